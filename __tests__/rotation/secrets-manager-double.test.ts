// The Secrets Manager double, through the real SDK client: the documented behaviours the rotation tests rely on.

import {
  DescribeSecretCommand,
  GetSecretValueCommand,
  InvalidParameterException,
  PutSecretValueCommand,
  ResourceExistsException,
  ResourceNotFoundException,
  SecretsManagerClient,
  UpdateSecretVersionStageCommand,
} from '@aws-sdk/client-secrets-manager';
import { SecretsManagerDouble } from '../support/secrets-manager-double';

let double: SecretsManagerDouble;
let client: SecretsManagerClient;

beforeAll(async () => {
  // The tests may run on an older Node.js than the function's nodejs24.x; the SDK would warn about it.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  double = await SecretsManagerDouble.start();
  client = new SecretsManagerClient({
    region: 'us-east-1',
    endpoint: double.endpoint,
    credentials: { accessKeyId: 'test-access-key', secretAccessKey: 'test-secret-key' },
  });
});

afterAll(async () => {
  client.destroy();
  await double.stop();
});

it('lists a started rotation as AWSPENDING but has no value for it until one is put', async () => {
  const secretId = double.createSecret('double-pending', 'v1');
  const token = double.startRotation(secretId);

  const { VersionIdsToStages } = await client.send(new DescribeSecretCommand({ SecretId: secretId }));
  expect(VersionIdsToStages?.[token]).toEqual(['AWSPENDING']);
  const read = () =>
    client.send(new GetSecretValueCommand({ SecretId: secretId, VersionId: token, VersionStage: 'AWSPENDING' }));
  await expect(read()).rejects.toBeInstanceOf(ResourceNotFoundException);

  await client.send(
    new PutSecretValueCommand({
      SecretId: secretId,
      ClientRequestToken: token,
      SecretString: 'v2',
      VersionStages: ['AWSPENDING'],
    }),
  );
  expect((await read()).SecretString).toBe('v2');
});

it('accepts the same value again for a version and refuses another one', async () => {
  const secretId = double.createSecret('double-put', 'v1');
  const token = double.startRotation(secretId);
  const put = (value: string) =>
    client.send(
      new PutSecretValueCommand({
        SecretId: secretId,
        ClientRequestToken: token,
        SecretString: value,
        VersionStages: ['AWSPENDING'],
      }),
    );

  await put('v2');
  await put('v2');
  await expect(put('v3')).rejects.toBeInstanceOf(ResourceExistsException);
  expect(double.value(secretId, token)).toBe('v2');
});

it('labels the version AWSCURRENT leaves AWSPREVIOUS, and moves AWSCURRENT only from where it is', async () => {
  const secretId = double.createSecret('double-stages', 'v1');
  const [first] = Object.keys(double.stages(secretId));
  const token = double.startRotation(secretId);
  double.putValue(secretId, 'v2', ['AWSPENDING'], token);
  const move = (removeFrom?: string) =>
    client.send(
      new UpdateSecretVersionStageCommand({
        SecretId: secretId,
        VersionStage: 'AWSCURRENT',
        MoveToVersionId: token,
        RemoveFromVersionId: removeFrom,
      }),
    );

  await expect(move()).rejects.toBeInstanceOf(InvalidParameterException);
  await move(first);

  expect(double.stages(secretId)).toEqual({ [first]: ['AWSPREVIOUS'], [token]: ['AWSPENDING', 'AWSCURRENT'] });
  const current = await client.send(new GetSecretValueCommand({ SecretId: secretId }));
  expect(current.SecretString).toBe('v2');
});
