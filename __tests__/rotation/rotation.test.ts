// The rotation protocol end to end: the built function, the Secrets Manager double and a real PostgreSQL server.

import { randomUUID } from 'node:crypto';
import { STEP_WORK } from '../../lambda/rotation/limits';
import { rotationEvent as event, STEPS } from '../support/rotation-function';
import { useRotationSuite } from '../support/rotation-suite';
import { TcpGate } from '../support/tcp-gate';

const suite = useRotationSuite({ withPostgres: true });

/** The one version other than the token's, i.e. the one that was AWSCURRENT when the rotation started. */
function otherVersion(secretId: string, token: string): string {
  const others = Object.keys(suite.secrets.stages(secretId)).filter((id) => id !== token);
  expect(others).toHaveLength(1);
  return others[0];
}

function expectRotated(secretId: string, token: string, previousVersion: string): void {
  const stages = suite.secrets.stages(secretId);
  expect(stages[token]).toContain('AWSCURRENT');
  expect(stages[token]).not.toContain('AWSPREVIOUS');
  expect(stages[previousVersion]).toEqual(['AWSPREVIOUS']);
}

function pendingPassword(secretId: string, token: string): string {
  return JSON.parse(suite.secrets.value(secretId, token) ?? 'null').password;
}

describe('a full rotation', () => {
  it('gives the user a new password, refuses the old one and moves AWSCURRENT and AWSPREVIOUS', async () => {
    // A hand-written secret: port as a string, no dbname (defaults to postgres), a field the function does not know.
    const { dbname: _default, ...user } = await suite.newDatabaseUser();
    const current = { ...user, port: String(user.port), dbInstanceIdentifier: 'app-db' };
    const { secretId, token } = suite.newRotation(current);
    const oldVersion = otherVersion(secretId, token);

    await suite.rotation.rotate(secretId, token);

    const newPassword = pendingPassword(secretId, token);
    expect(JSON.parse(suite.secrets.value(secretId, token)!)).toEqual({ ...current, password: newPassword });
    expect(newPassword).toHaveLength(32);
    expect(await suite.postgres.login(user.username, newPassword)).toBe('accepted');
    expect(await suite.postgres.login(user.username, user.password)).toBe('refused');
    expectRotated(secretId, token, oldVersion);
    expect(suite.secrets.requestsFor('GetRandomPassword').map((r) => r.body)).toEqual([
      { PasswordLength: 32, ExcludeCharacters: ':/@"\'\\ ' },
    ]);
    // The transcript the leak check reads does hold the function's log lines.
    expect(suite.rotation.lines.join('\n')).toContain(`finishSecret ${secretId} version ${token}: moved AWSCURRENT`);
  });

  it('sends ALTER USER a SCRAM-SHA-256 verifier, never the password; the new password logs in over TLS', async () => {
    const user = await suite.newDatabaseUser();
    const { secretId, token } = suite.newRotation(user);

    await suite.rotation.rotate(secretId, token);

    const newPassword = pendingPassword(secretId, token);
    const [{ rolpassword }] = await suite.postgres.query(
      `SELECT rolpassword FROM pg_authid WHERE rolname = '${user.username}'`,
    );
    expect(rolpassword).toMatch(/^SCRAM-SHA-256\$4096:[A-Za-z0-9+/]{22}==\$[A-Za-z0-9+/]{43}=:[A-Za-z0-9+/]{43}=$/);
    expect(await suite.postgres.login(user.username, newPassword)).toBe('accepted');
    // The server logs role changes (log_statement = ddl), as a database exporting its log to CloudWatch would.
    const alterUser = suite.postgres.log().split('\n').filter((line) => line.includes(`ALTER USER "${user.username}"`));
    expect(alterUser).toEqual([expect.stringContaining(`WITH PASSWORD '${rolpassword}'`)]);
    expect(suite.postgres.log()).not.toContain(newPassword);
  });

  it('rotates a secret whose engine is aurora-postgresql', async () => {
    const user = await suite.newDatabaseUser();
    const { secretId, token } = suite.newRotation({ ...user, engine: 'aurora-postgresql' });
    const oldVersion = otherVersion(secretId, token);

    await suite.rotation.rotate(secretId, token);

    expect(await suite.postgres.login(user.username, pendingPassword(secretId, token))).toBe('accepted');
    expectRotated(secretId, token, oldVersion);
  });

  it('refuses a new password outside ASCII, as it cannot prepare it for SCRAM as PostgreSQL would', async () => {
    const user = await suite.newDatabaseUser();
    suite.secrets.queueRandomPassword('pässwörd-'.padEnd(32, 'x'));
    const { secretId, token } = suite.newRotation(user);
    await suite.rotation.invoke(event(secretId, token, 'createSecret'));

    await expect(suite.rotation.invoke(event(secretId, token, 'setSecret'))).rejects.toThrow(
      'The AWSPENDING password has characters outside ASCII, which this function cannot prepare for SCRAM',
    );
    expect(await suite.postgres.login(user.username, user.password)).toBe('accepted');
  });

  it('survives every step being run twice', async () => {
    const user = await suite.newDatabaseUser();
    const { secretId, token } = suite.newRotation({ ...user, ssl: true });
    const oldVersion = otherVersion(secretId, token);

    for (const step of STEPS) {
      await suite.rotation.invoke(event(secretId, token, step));
      await suite.rotation.invoke(event(secretId, token, step));
    }

    const newPassword = pendingPassword(secretId, token);
    expect(await suite.postgres.login(user.username, newPassword)).toBe('accepted');
    expect(await suite.postgres.login(user.username, user.password)).toBe('refused');
    expectRotated(secretId, token, oldVersion);
    expect(suite.secrets.requestsFor('GetRandomPassword')).toHaveLength(1);
    expect(suite.secrets.requestsFor('PutSecretValue')).toHaveLength(1);
    expect(suite.secrets.requestsFor('UpdateSecretVersionStage')).toHaveLength(1);
    const log = suite.rotation.lines.join('\n');
    expect(log).toContain('the AWSPENDING version already has a value');
    expect(log).toContain(`the database already accepts the AWSPENDING password of user ${user.username}`);
    expect(log).toContain('this version is already AWSCURRENT; nothing to do');
  });

  it('passes the RotationToken of the event on to PutSecretValue', async () => {
    const user = await suite.newDatabaseUser();
    const { secretId, token } = suite.newRotation(user);
    const rotationToken = `rotation-token-${randomUUID()}`;

    await suite.rotation.invoke({ ...event(secretId, token, 'createSecret'), RotationToken: rotationToken });

    expect(suite.secrets.requestsFor('PutSecretValue').map((r) => r.body.RotationToken)).toEqual([rotationToken]);
  });

  it('escapes user names and passwords with quotes, backslashes and dollar signs', async () => {
    const user = await suite.newDatabaseUser(
      `rot'ation "user" \\ $1 $$`,
      `old'pa"ss\\word$1$$'; DROP ROLE postgres; --`,
    );
    const newPassword = `new'pa"ss\\wo$rd$$x$1');--`.padEnd(32, 'z');
    suite.secrets.queueRandomPassword(newPassword);
    const { secretId, token } = suite.newRotation(user);
    expect(await suite.postgres.login(user.username, user.password)).toBe('accepted');

    // The default exclusions rule out quotes and backslashes, so they are allowed for this rotation.
    await suite.rotation.rotate(secretId, token, { EXCLUDE_CHARACTERS: ':/@ ' });

    expect(pendingPassword(secretId, token)).toBe(newPassword);
    expect(await suite.postgres.login(user.username, newPassword)).toBe('accepted');
    expect(await suite.postgres.login(user.username, user.password)).toBe('refused');
  });

  it('asks for passwords of PASSWORD_LENGTH characters without EXCLUDE_CHARACTERS', async () => {
    const user = await suite.newDatabaseUser();
    const { secretId, token } = suite.newRotation(user);

    await suite.rotation.invoke(event(secretId, token, 'createSecret'), {
      PASSWORD_LENGTH: '48',
      EXCLUDE_CHARACTERS: 'abc',
    });

    expect(suite.secrets.requestsFor('GetRandomPassword').map((r) => r.body)).toEqual([
      { PasswordLength: 48, ExcludeCharacters: 'abc' },
    ]);
    expect(pendingPassword(secretId, token)).toMatch(/^[^abc]{48}$/);
  });
});

describe('setSecret', () => {
  it('logs in with the AWSPREVIOUS password when the database refuses the AWSCURRENT one', async () => {
    const user = await suite.newDatabaseUser();
    const { secretId, token } = suite.newRotation(user);
    // Someone put a new AWSCURRENT value by hand without changing the database: user's version is now AWSPREVIOUS.
    const current = { ...user, password: `never-set-${randomUUID()}` };
    const currentVersion = suite.secrets.putValue(secretId, JSON.stringify(current), ['AWSCURRENT']);

    await suite.rotation.rotate(secretId, token);

    expect(suite.rotation.lines.join('\n')).toContain('logged in with the AWSPREVIOUS password');
    expect(await suite.postgres.login(user.username, pendingPassword(secretId, token))).toBe('accepted');
    expect(await suite.postgres.login(user.username, user.password)).toBe('refused');
    expectRotated(secretId, token, currentVersion);
  });

  it('does, step by step, the work limits.ts counts for its worst case (at its most: the fall-back)', async () => {
    const gate = await TcpGate.start(suite.postgres.port);
    gate.open();
    try {
      const user = { ...(await suite.newDatabaseUser()), port: gate.port };
      const { secretId, token } = suite.newRotation(user);
      suite.secrets.putValue(secretId, JSON.stringify({ ...user, password: `never-set-${randomUUID()}` }), [
        'AWSCURRENT',
      ]);

      for (const step of STEPS) {
        const [callsBefore, sessionsBefore] = [suite.secrets.requests.length, gate.connections];
        await suite.rotation.invoke(event(secretId, token, step));
        const work = {
          secretsManagerCalls: suite.secrets.requests.length - callsBefore,
          databaseSessions: gate.connections - sessionsBefore,
        };
        expect({ step, ...work }).toEqual({ step, ...STEP_WORK[step] });
      }
      expect(await suite.postgres.login(user.username, pendingPassword(secretId, token))).toBe('accepted');
    } finally {
      await gate.stop();
    }
  });

  it('fails with a clear message when the database refuses both the AWSCURRENT and the AWSPREVIOUS password', async () => {
    const user = await suite.newDatabaseUser();
    const { secretId, token } = suite.newRotation({ ...user, password: `wrong-previous-${randomUUID()}` });
    suite.secrets.putValue(secretId, JSON.stringify({ ...user, password: `wrong-current-${randomUUID()}` }), [
      'AWSCURRENT',
    ]);
    await suite.rotation.invoke(event(secretId, token, 'createSecret'));

    await expect(suite.rotation.invoke(event(secretId, token, 'setSecret'))).rejects.toThrow(
      `setSecret: the database refuses both the AWSCURRENT and the AWSPREVIOUS password of user ${user.username}`,
    );
    expect(await suite.postgres.login(user.username, user.password)).toBe('accepted');
  });

  it('reports a failed ALTER USER by its SQLSTATE only, as the server message may quote the statement', async () => {
    const user = await suite.newDatabaseUser();
    // As on a read replica: the login works, the password change does not.
    await suite.postgres.query(`ALTER ROLE ${user.username} SET default_transaction_read_only = on`);
    const { secretId, token } = suite.newRotation(user);
    await suite.rotation.invoke(event(secretId, token, 'createSecret'));

    await expect(suite.rotation.invoke(event(secretId, token, 'setSecret'))).rejects.toThrow(
      new Error(`ALTER USER for ${user.username} failed: SQLSTATE 25006`),
    );
    expect(await suite.postgres.login(user.username, user.password)).toBe('accepted');
  });

  it.each([
    ['username', { username: 'someone_else' }, 'the AWSPENDING username differs from the AWSCURRENT one'],
    // An unresolvable host: had the function connected before comparing, it would fail with a DNS error instead.
    ['host', { host: 'elsewhere.invalid' }, 'the AWSPENDING host differs from the AWSCURRENT one'],
  ])('refuses an AWSPENDING version whose %s differs from AWSCURRENT', async (_field, change, message) => {
    const user = await suite.newDatabaseUser();
    const { secretId, token } = suite.newRotation(user);
    const pending = { ...user, ...change, password: `pending-${randomUUID()}` };
    suite.secrets.putValue(secretId, JSON.stringify(pending), ['AWSPENDING'], token);

    await expect(suite.rotation.invoke(event(secretId, token, 'setSecret'))).rejects.toThrow(message);
    expect(await suite.postgres.login(user.username, user.password)).toBe('accepted');
  });
});

describe('before any step', () => {
  const anySecret = () => ({ engine: 'postgres', host: 'localhost', username: 'app', password: `p-${randomUUID()}` });

  it('goes on when DescribeSecret leaves RotationEnabled out, as AWS\'s own functions do', async () => {
    const { secretId, token } = suite.newRotation(anySecret(), { rotationEnabled: 'omitted' });

    await suite.rotation.invoke(event(secretId, token, 'createSecret'));

    expect(suite.secrets.requestsFor('PutSecretValue')).toHaveLength(1);
  });

  it('refuses a secret whose rotation is not enabled', async () => {
    const { secretId, token } = suite.newRotation(anySecret(), { rotationEnabled: false });

    await expect(suite.rotation.invoke(event(secretId, token, 'createSecret'))).rejects.toThrow(
      `Secret ${secretId} is not enabled for rotation`,
    );
    expect(suite.secrets.requestsFor('PutSecretValue')).toEqual([]);
  });

  it.each(STEPS)('%s refuses a token that is not a version of the secret', async (step) => {
    const { secretId } = suite.newRotation(anySecret());
    const unknown = randomUUID();

    await expect(suite.rotation.invoke(event(secretId, unknown, step))).rejects.toThrow(
      `Version ${unknown} is not a version of secret ${secretId}`,
    );
  });

  it.each(STEPS)('%s does nothing for a token that is already AWSCURRENT', async (step) => {
    const { secretId, token } = suite.newRotation(anySecret());
    const currentVersion = otherVersion(secretId, token);
    const stagesBefore = suite.secrets.stages(secretId);

    await suite.rotation.invoke(event(secretId, currentVersion, step));

    expect(suite.secrets.stages(secretId)).toEqual(stagesBefore);
    expect(suite.secrets.requests.map((r) => r.operation)).toEqual(['DescribeSecret']);
  });

  it.each(STEPS)('%s refuses a token that is not AWSPENDING', async (step) => {
    const secret = anySecret();
    const { secretId } = suite.newRotation(secret);
    const previous = suite.secrets.putValue(secretId, JSON.stringify(secret), ['AWSPREVIOUS']);

    await expect(suite.rotation.invoke(event(secretId, previous, step))).rejects.toThrow(
      `Version ${previous} of secret ${secretId} is not AWSPENDING`,
    );
  });

  it('refuses an unknown step without calling Secrets Manager', async () => {
    const { secretId, token } = suite.newRotation(anySecret());

    await expect(suite.rotation.invoke(event(secretId, token, 'deleteSecret'))).rejects.toThrow(
      `Unknown rotation step "deleteSecret" for secret ${secretId}`,
    );
    expect(suite.secrets.requests).toEqual([]);
  });
});
