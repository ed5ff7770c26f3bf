// How the function reaches the database: TLS verified against the configured CAs, plain TCP only when the secret
// says "ssl": false, and a short timeout when the database does not answer.

import { setTimeout as delay } from 'node:timers/promises';
import { PLAIN_TCP_ROLE } from '../support/postgres';
import { rotationEvent as event } from '../support/rotation-function';
import { TEST_DB_TIMEOUT_MS as TIMEOUT_MS, useRotationSuite } from '../support/rotation-suite';
import { TcpGate } from '../support/tcp-gate';

const suite = useRotationSuite({ withPostgres: true });

/** Waits until the server has no session of the function left, not even one whose client is gone. */
async function untilNoRotationSessions(): Promise<void> {
  const sql = `SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'secrets-manager-rotation'`;
  for (let tries = 0; (await suite.postgres.query(sql))[0].n !== 0; tries++) {
    if (tries === 100) throw new Error('The rotation function still has sessions on the server after 5 s');
    await delay(50);
  }
}

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

  it.each([false, 'false', 'FALSE', 'False'])('connects without TLS when the secret says "ssl": %p', async (ssl) => {
    const { user, secretId, token } = await rotationAtSetSecret({ ssl });

    // The server accepts TLS connections only (hostssl), so a plain connection is turned away by name.
    await expect(suite.rotation.invoke(event(secretId, token, 'setSecret'))).rejects.toThrow(
      `no pg_hba.conf entry for host "127.0.0.1", user "${user.username}", database "postgres", no encryption`,
    );
  });

  it.each([undefined, true, 'true', 'TRUE'])('connects with TLS when "ssl" is %p', async (ssl) => {
    const { user, secretId, token } = await rotationAtSetSecret({ ssl });

    // Only TLS logins reach the server, so a completed setSecret proves TLS (and never a fall-back to plain TCP).
    await suite.rotation.invoke(event(secretId, token, 'setSecret'));
    expect(await suite.postgres.login(user.username, user.password)).toBe('refused');
  });
});

describe('a lock held on the role by another session', () => {
  it('fails setSecret; the server cancels the ALTER USER itself, so it never commits after the lock', async () => {
    const { user, secretId, token, stagesBefore } = await rotationAtSetSecret();
    const pendingPassword = JSON.parse(suite.secrets.value(secretId, token)!).password;
    // An administrator's transaction that changed the role and is still open: ALTER USER waits for its row lock.
    const holder = await suite.postgres.superuserSession();
    await holder.query('BEGIN');
    await holder.query(`ALTER ROLE ${user.username} VALID UNTIL 'infinity'`);

    const outcome = suite.rotation.invoke(event(secretId, token, 'setSecret')).catch((error: Error) => error);
    // Released after the client's query timeout at the latest, whether or not the invocation has ended by then.
    const settled = await Promise.race([outcome, delay(2 * TIMEOUT_MS, undefined, { ref: false })]);
    await holder.query('ROLLBACK');
    await holder.end();

    await outcome;
    await untilNoRotationSessions();
    expect(await suite.postgres.login(user.username, user.password)).toBe('accepted');
    expect(await suite.postgres.login(user.username, pendingPassword)).toBe('refused');
    expect(suite.secrets.stages(secretId)).toEqual(stagesBefore);
    // SQLSTATE 55P03: the server gave up on the lock (lock_timeout) before the client stopped waiting.
    expect(settled).toEqual(new Error(`ALTER USER for ${user.username} failed: SQLSTATE 55P03`));
  });
});

describe('a database that does not answer', () => {
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

  it('gives up waiting for the server to close a session after DB_TIMEOUT_MS, so the step still ends', async () => {
    // Without TLS: with it, the server's close_notify alert, which the gate passes on, would close the session anyway.
    const { user, secretId, token } = await rotationAtSetSecret({ port: gate.port, ssl: false });
    await suite.postgres.query(`GRANT ${PLAIN_TCP_ROLE} TO ${user.username}`);
    gate.open();
    gate.holdCloses();

    const started = Date.now();
    await suite.rotation.invoke(event(secretId, token, 'setSecret'));

    // The AWSPENDING login is refused before a session begins; the ALTER USER session then waits once to close.
    const took = Date.now() - started;
    expect(took).toBeGreaterThanOrEqual(TIMEOUT_MS - 10);
    expect(took).toBeLessThan(2 * TIMEOUT_MS);
    expect(await suite.postgres.login(user.username, user.password)).toBe('refused');
  });
});
