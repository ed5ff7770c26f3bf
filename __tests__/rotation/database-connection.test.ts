// How the function reaches the database: TLS verified against the configured CAs, plain TCP only when the secret
// says "ssl": false, and a short timeout when the database does not answer.

import { rotationEvent as event } from '../support/rotation-function';
import { useRotationSuite } from '../support/rotation-suite';
import { TcpGate } from '../support/tcp-gate';

const suite = useRotationSuite({ withPostgres: true });

/** A user and a rotation whose AWSPENDING value is already put, so setSecret is next. */
async function rotationAtSetSecret(change: object = {}) {
  const user = await suite.newDatabaseUser();
  const { secretId, token } = suite.newRotation({ ...user, ...change });
  await suite.rotation.invoke(event(secretId, token, 'createSecret'));
  return { user, secretId, token, stagesBefore: suite.secrets.stages(secretId) };
}

describe('TLS', () => {
  it('refuses a server whose certificate does not chain to the CA in DB_TLS_CA_FILE', async () => {
    const { user, secretId, token, stagesBefore } = await rotationAtSetSecret();

    await expect(
      suite.rotation.invoke(event(secretId, token, 'setSecret'), { DB_TLS_CA_FILE: suite.postgres.impostorCaFile }),
    ).rejects.toThrow(
      `Cannot log in to PostgreSQL at localhost:${suite.postgres.port} as ${user.username}: unable to verify the first certificate`,
    );
    expect(suite.secrets.stages(secretId)).toEqual(stagesBefore);
    expect(await suite.postgres.login(user.username, user.password)).toBe('accepted');
  });

  it('refuses a server not certified by an Amazon RDS CA when DB_TLS_CA_FILE is not set', async () => {
    const { user, secretId, token } = await rotationAtSetSecret();

    await expect(
      suite.rotation.invoke(event(secretId, token, 'setSecret'), { DB_TLS_CA_FILE: undefined }),
    ).rejects.toThrow(`as ${user.username}: unable to verify the first certificate`);
    expect(await suite.postgres.login(user.username, user.password)).toBe('accepted');
  });

  it('connects without TLS only when the secret says "ssl": false', async () => {
    const { user, secretId, token } = await rotationAtSetSecret({ ssl: false });

    // The server accepts TLS connections only (hostssl), so a plain connection is turned away by name.
    await expect(suite.rotation.invoke(event(secretId, token, 'setSecret'))).rejects.toThrow(
      `no pg_hba.conf entry for host "127.0.0.1", user "${user.username}", database "postgres", no encryption`,
    );
  });
});

describe('an unreachable database', () => {
  let gate: TcpGate;
  beforeEach(async () => {
    gate = await TcpGate.start(suite.postgres.port);
  });
  afterEach(() => gate.stop());

  it('fails setSecret within DB_TIMEOUT_MS, leaves the stages alone, and a rerun completes once it answers', async () => {
    const { user, secretId, token, stagesBefore } = await rotationAtSetSecret({ port: gate.port });

    const started = Date.now();
    await expect(suite.rotation.invoke(event(secretId, token, 'setSecret'), { DB_TIMEOUT_MS: '1000' })).rejects.toThrow(
      `Cannot log in to PostgreSQL at localhost:${gate.port} as ${user.username}: timeout expired`,
    );
    // One timeout, not one for each password tried.
    expect(Date.now() - started).toBeLessThan(1900);
    expect(suite.secrets.stages(secretId)).toEqual(stagesBefore);
    expect(await suite.postgres.login(user.username, user.password)).toBe('accepted');

    gate.open();
    for (const step of ['setSecret', 'testSecret', 'finishSecret']) {
      await suite.rotation.invoke(event(secretId, token, step));
    }

    const newPassword = JSON.parse(suite.secrets.value(secretId, token)!).password;
    expect(await suite.postgres.login(user.username, newPassword)).toBe('accepted');
    expect(await suite.postgres.login(user.username, user.password)).toBe('refused');
    expect(suite.secrets.stages(secretId)[token]).toContain('AWSCURRENT');
  });
});
