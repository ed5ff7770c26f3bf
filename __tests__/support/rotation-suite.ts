// Wires a test file: the Secrets Manager double, optionally one PostgreSQL server, the built rotation function,
// and, after every test, the check that no secret value appeared in a log line or an error.

import { type PostgresServer, startPostgres } from './postgres';
import { RotationFunction } from './rotation-function';
import { type RotationEnabled, SecretsManagerDouble } from './secrets-manager-double';
import { TcpGate } from './tcp-gate';

export interface DatabaseUser {
  engine: 'postgres';
  host: string;
  port: number;
  username: string;
  password: string;
  dbname: string;
}

export interface RotationSuite {
  readonly secrets: SecretsManagerDouble;
  /** With `secretsManagerBehindGate`: a gate, closed, new for each test, between the function and the double. */
  readonly secretsManagerGate: TcpGate;
  readonly rotation: RotationFunction;
  readonly postgres: PostgresServer;
  /** A login role in the test server, described as the secret's fields. */
  newDatabaseUser(username?: string, password?: string): Promise<DatabaseUser>;
  /** A secret holding `fields` as AWSCURRENT, with a rotation started: the new version is AWSPENDING, without value. */
  newRotation(fields: object, options?: { rotationEnabled?: RotationEnabled }): { secretId: string; token: string };
}

// Short, so the unreachable-database test is quick, and long enough for TLS and SCRAM on a busy machine.
export const TEST_DB_TIMEOUT_MS = 2000;

export function useRotationSuite({
  withPostgres,
  secretsManagerBehindGate = false,
}: {
  withPostgres: boolean;
  secretsManagerBehindGate?: boolean;
}): RotationSuite {
  let secrets: SecretsManagerDouble | undefined;
  let gate: TcpGate | undefined;
  let rotation: RotationFunction | undefined;
  let postgres: PostgresServer | undefined;
  let count = 0;

  // The SDK client reads its endpoint when the function loads, so a new gate needs a new copy of the function.
  const loadFunction = (secretsManagerEndpoint: string) =>
    RotationFunction.load({
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'test-access-key',
      AWS_SECRET_ACCESS_KEY: 'test-secret-key',
      AWS_SESSION_TOKEN: undefined,
      AWS_PROFILE: undefined,
      AWS_MAX_ATTEMPTS: undefined,
      AWS_RETRY_MODE: undefined,
      AWS_ENDPOINT_URL_SECRETS_MANAGER: secretsManagerEndpoint,
      DB_TLS_CA_FILE: postgres?.caFile,
      DB_TIMEOUT_MS: String(TEST_DB_TIMEOUT_MS),
      // The tests may run on an older Node.js than the function's nodejs24.x; the SDK would warn about it.
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    });

  beforeAll(async () => {
    secrets = await SecretsManagerDouble.start();
    if (withPostgres) postgres = await startPostgres();
    if (!secretsManagerBehindGate) rotation = loadFunction(secrets.endpoint);
  }, 30_000);

  beforeEach(async () => {
    secrets?.requests.splice(0);
    if (secretsManagerBehindGate && secrets) {
      gate = await TcpGate.start(secrets.port);
      jest.resetModules();
      rotation = loadFunction(`http://127.0.0.1:${gate.port}`);
    }
  });

  afterEach(async () => {
    await gate?.stop();
    gate = undefined;
    if (!rotation || !secrets) return;
    const values = secrets.secretValues();
    const leaks = rotation.takeTranscript().filter((line) => values.some((value) => line.includes(value)));
    expect(leaks).toEqual([]);
  });

  afterAll(async () => {
    try {
      postgres?.stop();
    } finally {
      await secrets?.stop();
    }
  }, 30_000);

  const ready = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`${what} is not started (see beforeAll)`);
    return value;
  };
  return {
    get secrets() {
      return ready(secrets, 'The Secrets Manager double');
    },
    get secretsManagerGate() {
      return ready(gate, 'The Secrets Manager gate (secretsManagerBehindGate)');
    },
    get rotation() {
      return ready(rotation, 'The rotation function');
    },
    get postgres() {
      return ready(postgres, 'PostgreSQL');
    },
    async newDatabaseUser(username = `rotation_user_${++count}`, password = `initial-${username}-${Date.now()}`) {
      const server = this.postgres;
      await server.createUser(username, password);
      return { engine: 'postgres', host: server.host, port: server.port, username, password, dbname: 'postgres' };
    },
    newRotation(fields, { rotationEnabled = true } = {}) {
      const secretId = this.secrets.createSecret(`rotation-test-${++count}`, JSON.stringify(fields), {
        rotationEnabled,
      });
      return { secretId, token: this.secrets.startRotation(secretId) };
    },
  };
}
