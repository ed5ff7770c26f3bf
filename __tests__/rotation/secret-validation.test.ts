// Secrets and settings the function cannot use are refused before anything changes, with an error naming the
// field or variable and never quoting a value. No database is needed: nothing here gets as far as connecting.

import { randomUUID } from 'node:crypto';
import { rotationEvent as event } from '../support/rotation-function';
import { useRotationSuite } from '../support/rotation-suite';

const suite = useRotationSuite({ withPostgres: false });

const validSecret = () => ({
  engine: 'postgres',
  host: 'db.example.internal',
  port: 5432,
  username: 'app',
  password: `valid-${randomUUID()}`,
  dbname: 'app',
});

describe('createSecret refuses an AWSCURRENT secret', () => {
  it.each([
    ['engine', { engine: undefined }, 'must be "postgres" or "aurora-postgresql"'],
    ['engine', { engine: 'mysql' }, 'must be "postgres" or "aurora-postgresql"'],
    ['engine', { engine: 'aurora-mysql' }, 'must be "postgres" or "aurora-postgresql"'],
    ['host', { host: undefined }, 'must be a non-empty string'],
    ['host', { host: '' }, 'must be a non-empty string'],
    ['port', { port: 0 }, 'must be an integer from 1 to 65535'],
    ['port', { port: 65536 }, 'must be an integer from 1 to 65535'],
    ['port', { port: 5432.5 }, 'must be an integer from 1 to 65535'],
    ['port', { port: '54x2' }, 'must be an integer from 1 to 65535'],
    ['username', { username: undefined }, 'must be a non-empty string'],
    ['username', { username: 42 }, 'must be a non-empty string'],
    ['password', { password: undefined }, 'must be a non-empty string'],
    ['password', { password: '' }, 'must be a non-empty string'],
    ['dbname', { dbname: '' }, 'must be a non-empty string'],
    // AWS's own functions would fall back to plain TCP for these; this one refuses to guess.
    ['ssl', { ssl: 'no' }, 'must be true or false (a JSON boolean, or that string)'],
    ['ssl', { ssl: ' false' }, 'must be true or false (a JSON boolean, or that string)'],
    ['ssl', { ssl: 0 }, 'must be true or false (a JSON boolean, or that string)'],
    ['ssl', { ssl: null }, 'must be true or false (a JSON boolean, or that string)'],
  ])('whose "%s" is %p', async (field, change, expectation) => {
    const { secretId, token } = suite.newRotation({ ...validSecret(), ...change });

    await expect(suite.rotation.invoke(event(secretId, token, 'createSecret'))).rejects.toThrow(
      `AWSCURRENT secret: "${field}" ${expectation}`,
    );
    expect(suite.secrets.requestsFor('PutSecretValue')).toEqual([]);
  });

  it('that is not JSON, without quoting it', async () => {
    const { secretId } = suite.newRotation(validSecret());
    const plainPassword = `plain-password-${randomUUID()}`;
    suite.secrets.putValue(secretId, plainPassword, ['AWSCURRENT']);
    const token = suite.secrets.startRotation(secretId);

    // JSON.parse's own message would quote the text: `Unexpected token 'p', "plain-pass"... is not valid JSON`.
    const error = await suite.rotation.invoke(event(secretId, token, 'createSecret')).catch((e: Error) => e);
    expect(error).toEqual(new Error('AWSCURRENT secret: the secret string is not valid JSON'));
  });

  it('that is JSON but not an object', async () => {
    const { secretId } = suite.newRotation(validSecret());
    suite.secrets.putValue(secretId, JSON.stringify([validSecret()]), ['AWSCURRENT']);
    const token = suite.secrets.startRotation(secretId);

    await expect(suite.rotation.invoke(event(secretId, token, 'createSecret'))).rejects.toThrow(
      'AWSCURRENT secret: the secret string is not a JSON object',
    );
  });
});

it.each(['setSecret', 'testSecret'])('%s refuses an AWSPENDING secret without a password', async (step) => {
  const secret = validSecret();
  const { secretId, token } = suite.newRotation(secret);
  suite.secrets.putValue(secretId, JSON.stringify({ ...secret, password: undefined }), ['AWSPENDING'], token);

  await expect(suite.rotation.invoke(event(secretId, token, step))).rejects.toThrow(
    'AWSPENDING secret: "password" must be a non-empty string',
  );
});

it.each([
  ['PASSWORD_LENGTH', 'thirty-two'],
  ['PASSWORD_LENGTH', '0'],
  ['DB_TIMEOUT_MS', '2.5'],
])('refuses %s=%p', async (name, value) => {
  const { secretId, token } = suite.newRotation(validSecret());

  await expect(suite.rotation.invoke(event(secretId, token, 'createSecret'), { [name]: value })).rejects.toThrow(
    `${name} must be a positive integer`,
  );
});
