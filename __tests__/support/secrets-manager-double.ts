// A local stand-in for AWS Secrets Manager, speaking the AWS JSON 1.1 protocol of the SDK
// (POST with `X-Amz-Target: secretsmanager.<Operation>`), for the operations a rotation function uses.
// It follows the service's documented behaviour where a rotation depends on it:
// - RotateSecret lists the new version as AWSPENDING before it has a value; reading it fails until PutSecretValue.
// - PutSecretValue on an existing version succeeds with the same value and fails with another one.
// - A staging label is on one version at a time; moving AWSCURRENT labels the version it left AWSPREVIOUS.
// - Errors carry `__type`, so the SDK raises them as its exception classes (ResourceNotFoundException, ...).

import { randomInt, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

const CURRENT = 'AWSCURRENT';
const PENDING = 'AWSPENDING';
const PREVIOUS = 'AWSPREVIOUS';

interface Version {
  secretString?: string;
  stages: Set<string>;
}

interface Secret {
  arn: string;
  name: string;
  /** 'omitted': DescribeSecret leaves RotationEnabled out. */
  rotationEnabled: RotationEnabled;
  versions: Map<string, Version>;
}

export type RotationEnabled = boolean | 'omitted';

export interface RecordedRequest {
  operation: string;
  body: Record<string, unknown>;
}

class ServiceError extends Error {
  constructor(readonly type: string, message: string) {
    super(message);
  }
}

type Operation = (body: Record<string, unknown>) => Record<string, unknown>;

export class SecretsManagerDouble {
  /** Every request received, in order. */
  readonly requests: RecordedRequest[] = [];
  private readonly secrets = new Map<string, Secret>();
  private readonly randomPasswords: string[] = [];
  private readonly issuedPasswords: string[] = [];
  private readonly rotationTokens: string[] = [];
  private readonly operations: Record<string, Operation> = {
    DescribeSecret: (body) => this.describeSecret(body),
    GetSecretValue: (body) => this.getSecretValue(body),
    PutSecretValue: (body) => this.putSecretValue(body),
    UpdateSecretVersionStage: (body) => this.updateSecretVersionStage(body),
    GetRandomPassword: (body) => this.getRandomPassword(body),
  };

  readonly endpoint: string;

  private constructor(private readonly server: Server, readonly port: number) {
    this.endpoint = `http://127.0.0.1:${port}`;
  }

  static async start(): Promise<SecretsManagerDouble> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const double = new SecretsManagerDouble(server, (server.address() as AddressInfo).port);
    server.on('request', (request, response) => void double.handle(request, response));
    return double;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }

  // --- Test set-up and inspection, outside the API ---

  /** Creates a secret whose first version is AWSCURRENT; returns its ARN. */
  createSecret(name: string, secretString: string, { rotationEnabled = true as RotationEnabled } = {}): string {
    const arn = `arn:aws:secretsmanager:us-east-1:123456789012:secret:${name}-${randomUUID().slice(0, 6)}`;
    this.secrets.set(arn, { arn, name, rotationEnabled, versions: new Map() });
    this.putValue(arn, secretString, [CURRENT]);
    return arn;
  }

  /** What RotateSecret does before invoking the function: a new version id, AWSPENDING, with no value yet. */
  startRotation(secretId: string): string {
    const token = randomUUID();
    this.attachStage(this.find(secretId), PENDING, token, { secretString: undefined, stages: new Set() });
    return token;
  }

  /** Stores a value as PutSecretValue does; a token that is already a version gets the value (test set-up only). */
  putValue(secretId: string, secretString: string, stages: string[], versionId: string = randomUUID()): string {
    const secret = this.find(secretId);
    const version = secret.versions.get(versionId) ?? { stages: new Set<string>() };
    version.secretString = secretString;
    secret.versions.set(versionId, version);
    for (const stage of stages) this.attachStage(secret, stage, versionId, version);
    return versionId;
  }

  /** Version id to staging labels, as DescribeSecret lists them. */
  stages(secretId: string): Record<string, string[]> {
    return listStages(this.find(secretId));
  }

  value(secretId: string, versionId: string): string | undefined {
    return this.find(secretId).versions.get(versionId)?.secretString;
  }

  /** The next GetRandomPassword answer; the request must still allow its length and characters. */
  queueRandomPassword(password: string): void {
    this.randomPasswords.push(password);
  }

  /** Every secret value this double has held or handed out: whole secret strings, their passwords, rotation tokens. */
  secretValues(): string[] {
    const values = [...this.issuedPasswords, ...this.rotationTokens];
    for (const secret of this.secrets.values()) {
      for (const { secretString } of secret.versions.values()) {
        if (secretString === undefined) continue;
        values.push(secretString);
        const password = passwordOf(secretString);
        if (password) values.push(password);
      }
    }
    return values;
  }

  requestsFor(operation: string): RecordedRequest[] {
    return this.requests.filter((request) => request.operation === operation);
  }

  // --- The API ---

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const target = String(request.headers['x-amz-target'] ?? '');
    const operation = target.startsWith('secretsmanager.') ? target.slice('secretsmanager.'.length) : '';
    let status = 200;
    let payload: Record<string, unknown>;
    try {
      if (!String(request.headers.authorization ?? '').startsWith('AWS4-HMAC-SHA256')) {
        throw new ServiceError('MissingAuthenticationTokenException', 'Request is not signed');
      }
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>;
      this.requests.push({ operation, body });
      const run = this.operations[operation];
      if (!run) throw new ServiceError('UnknownOperationException', `Unknown operation ${target}`);
      payload = run(body);
    } catch (error) {
      const known = error instanceof ServiceError;
      status = known ? 400 : 500;
      payload = { __type: known ? error.type : 'InternalServiceError', message: (error as Error).message };
    }
    response.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' });
    response.end(JSON.stringify(payload));
  }

  private describeSecret(body: Record<string, unknown>) {
    const secret = this.find(body.SecretId);
    return {
      ARN: secret.arn,
      Name: secret.name,
      RotationEnabled: secret.rotationEnabled === 'omitted' ? undefined : secret.rotationEnabled,
      VersionIdsToStages: listStages(secret),
    };
  }

  private getSecretValue(body: Record<string, unknown>) {
    const secret = this.find(body.SecretId);
    const versionId = body.VersionId as string | undefined;
    const stage = (body.VersionStage as string | undefined) ?? (versionId ? undefined : CURRENT);
    const id = versionId ?? [...secret.versions].find(([, version]) => version.stages.has(stage!))?.[0];
    const version = id === undefined ? undefined : secret.versions.get(id);
    if (!version || version.secretString === undefined || (stage && !version.stages.has(stage))) {
      throw new ServiceError(
        'ResourceNotFoundException',
        `Secrets Manager can't find the specified secret value for VersionId: ${versionId ?? '-'}, VersionStage: ${
          stage ?? '-'
        }`,
      );
    }
    return {
      ARN: secret.arn,
      Name: secret.name,
      VersionId: id,
      SecretString: version.secretString,
      VersionStages: [...version.stages],
    };
  }

  private putSecretValue(body: Record<string, unknown>) {
    const secret = this.find(body.SecretId);
    const versionId = body.ClientRequestToken as string;
    const secretString = body.SecretString as string;
    if (typeof body.RotationToken === 'string') this.rotationTokens.push(body.RotationToken);
    const existing = secret.versions.get(versionId)?.secretString;
    if (existing !== undefined && existing !== secretString) {
      throw new ServiceError(
        'ResourceExistsException',
        `A resource with the ID you requested already exists: version ${versionId} has another value`,
      );
    }
    const stages = (body.VersionStages as string[] | undefined) ?? [CURRENT];
    if (existing === undefined) this.putValue(secret.arn, secretString, stages, versionId);
    return {
      ARN: secret.arn,
      Name: secret.name,
      VersionId: versionId,
      VersionStages: [...secret.versions.get(versionId)!.stages],
    };
  }

  private updateSecretVersionStage(body: Record<string, unknown>) {
    const secret = this.find(body.SecretId);
    const stage = body.VersionStage as string;
    const moveTo = body.MoveToVersionId as string | undefined;
    const removeFrom = body.RemoveFromVersionId as string | undefined;
    const holder = [...secret.versions].find(([, version]) => version.stages.has(stage))?.[0];
    if (removeFrom !== undefined && removeFrom !== holder) {
      throw new ServiceError(
        'InvalidParameterException',
        `Staging label ${stage} is not attached to version ${removeFrom}`,
      );
    }
    if (moveTo !== undefined) {
      const version = secret.versions.get(moveTo);
      if (!version) throw new ServiceError('ResourceNotFoundException', `Version ${moveTo} does not exist`);
      if (holder !== undefined && holder !== moveTo && removeFrom === undefined) {
        throw new ServiceError(
          'InvalidParameterException',
          `The parameter RemoveFromVersionId can't be empty. Staging label ${stage} is currently attached to version ${holder}`,
        );
      }
      this.attachStage(secret, stage, moveTo, version);
    } else if (removeFrom !== undefined) {
      secret.versions.get(removeFrom)!.stages.delete(stage);
    }
    return { ARN: secret.arn, Name: secret.name };
  }

  private getRandomPassword(body: Record<string, unknown>) {
    const length = (body.PasswordLength as number | undefined) ?? 32;
    const excluded = new Set((body.ExcludeCharacters as string | undefined) ?? '');
    const queued = this.randomPasswords.shift();
    if (queued !== undefined && (queued.length !== length || [...queued].some((c) => excluded.has(c)))) {
      throw new ServiceError(
        'InvalidParameterException',
        'The queued test password breaks the requested length or exclusions',
      );
    }
    const alphabet = [...PRINTABLE].filter((c) => !excluded.has(c));
    const password = queued ?? Array.from({ length }, () => alphabet[randomInt(alphabet.length)]).join('');
    this.issuedPasswords.push(password);
    return { RandomPassword: password };
  }

  // --- Internals ---

  private find(secretId: unknown): Secret {
    const secret = [...this.secrets.values()].find((s) => s.arn === secretId || s.name === secretId);
    if (!secret)
      throw new ServiceError('ResourceNotFoundException', "Secrets Manager can't find the specified secret.");
    return secret;
  }

  /** A label is on one version at a time; AWSCURRENT leaving a version makes that version AWSPREVIOUS. */
  private attachStage(secret: Secret, stage: string, versionId: string, version: Version): void {
    secret.versions.set(versionId, version);
    for (const [id, other] of secret.versions) {
      if (id === versionId || !other.stages.delete(stage)) continue;
      if (stage === CURRENT) this.attachStage(secret, PREVIOUS, id, other);
    }
    version.stages.add(stage);
  }
}

// GetRandomPassword draws from printable ASCII without the space (IncludeSpace defaults to false).
const PRINTABLE = Array.from({ length: 126 - 33 + 1 }, (_, i) => String.fromCharCode(33 + i)).join('');

function listStages(secret: Secret): Record<string, string[]> {
  // Versions without a label are deprecated and no longer listed.
  const listed = [...secret.versions].filter(([, version]) => version.stages.size > 0);
  return Object.fromEntries(listed.map(([id, version]) => [id, [...version.stages]]));
}

function passwordOf(secretString: string): string | undefined {
  try {
    const password = (JSON.parse(secretString) as { password?: unknown }).password;
    return typeof password === 'string' ? password : undefined;
  } catch {
    return undefined;
  }
}
