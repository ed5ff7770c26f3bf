import { TerraformOutput, Testing, TerraformStack } from 'cdktf';
import { loadConfig } from '../modules/core/config';
import { CONTRACT, readLayerOutputs } from '../modules/core/contract';
import { synthPlatform } from './support/synth';

// Outside dev the load balancer must serve HTTPS (policy https-only-outside-dev), so production has a certificate.
const S3_ENV = {
  STATE_BUCKET: 'acme-terraform-state', ENVIRONMENT_SUFFIX: 'prod', STATE_REGION: 'eu-west-1', AWS_REGION: 'eu-central-1',
  CERTIFICATE_ARN: 'arn:aws:acm:eu-central-1:123456789012:certificate/12345678-1234-1234-1234-123456789012',
};

/** What a consumer layer's terraform_remote_state data source for `network` looks like. */
function networkReader(env: Record<string, string>) {
  const app = Testing.app();
  const consumer = new TerraformStack(app, 'consumer');
  const outputs = readLayerOutputs(consumer, loadConfig({ env }), 'network');
  // Echo every value read, to see the references a consumer's resources would get.
  for (const [name, value] of Object.entries(outputs)) new TerraformOutput(consumer, name, { value, staticId: true });
  const json = JSON.parse(Testing.synth(consumer));
  return { outputs, echoed: json.output, reader: json.data.terraform_remote_state['network-state'] };
}

describe('state backends', () => {
  it('keeps state locally under state/<region>/<suffix>/, relative to the stack directory, by default', () => {
    const layers = synthPlatform();
    for (const layer of ['network', 'data', 'app'] as const) {
      expect(layers[layer].json.terraform.backend).toEqual({ local: { path: `../../../state/us-east-1/dev/${layer}.tfstate` } });
    }
  });

  it('uses an encrypted S3 backend with S3-native locking when STATE_BUCKET is set', () => {
    const layers = synthPlatform(S3_ENV);
    for (const layer of ['network', 'data', 'app'] as const) {
      expect(layers[layer].json.terraform.backend).toEqual({
        s3: {
          bucket: 'acme-terraform-state',
          key: `migration/eu-central-1/prod/${layer}.tfstate`,
          region: 'eu-west-1',
          encrypt: true,
          use_lockfile: true,
        },
      });
    }
  });

  it('keeps the same environment in a second region apart, in S3 and locally', () => {
    const key = (env: Record<string, string>) => synthPlatform(env).network.json.terraform.backend.s3.key;
    expect([key(S3_ENV), key({ ...S3_ENV, AWS_REGION: 'eu-west-1', CERTIFICATE_ARN: S3_ENV.CERTIFICATE_ARN.replace('eu-central-1', 'eu-west-1') })]).toEqual(['migration/eu-central-1/prod/network.tfstate', 'migration/eu-west-1/prod/network.tfstate']);
    const path = (env: Record<string, string>) => synthPlatform(env).network.json.terraform.backend.local.path;
    expect([path({}), path({ AWS_REGION: 'us-west-2' })]).toEqual(['../../../state/us-east-1/dev/network.tfstate', '../../../state/us-west-2/dev/network.tfstate']);
  });

  it('adds a DynamoDB lock table only when STATE_LOCK_TABLE is set', () => {
    const { network } = synthPlatform({ ...S3_ENV, STATE_LOCK_TABLE: 'terraform-locks' });
    expect(network.json.terraform.backend.s3).toMatchObject({ dynamodb_table: 'terraform-locks', use_lockfile: true });
  });

  it('encrypts state objects with the state key when STATE_KMS_KEY_ID is set, and S3\'s own key otherwise', () => {
    const key = 'arn:aws:kms:eu-west-1:123456789012:key/0123abcd-0123-0123-0123-0123456789ab';
    const { network, data } = synthPlatform({ ...S3_ENV, STATE_KMS_KEY_ID: key });
    expect(network.json.terraform.backend.s3).toMatchObject({ encrypt: true, kms_key_id: key });
    expect(data.json.data.terraform_remote_state['network-state'].config).toMatchObject({ kms_key_id: key });
    expect(synthPlatform(S3_ENV).network.json.terraform.backend.s3.kms_key_id).toBeUndefined();
  });

  it('keeps the state region with the layers when STATE_REGION is not set', () => {
    const { network } = synthPlatform({ STATE_BUCKET: 'acme-terraform-state', AWS_REGION: 'ap-southeast-2' });
    expect(network.json.terraform.backend.s3.region).toBe('ap-southeast-2');
  });
});

describe('layer contract', () => {
  it('reads another layer\'s local state from the same relative path its backend writes', () => {
    const { reader } = networkReader({});
    expect(reader).toEqual({ backend: 'local', config: { path: '../../../state/us-east-1/dev/network.tfstate' } });
    expect(reader.config.path).toBe(synthPlatform().network.json.terraform.backend.local.path);
  });

  it('reads S3 state with exactly the settings its backend writes with', () => {
    const env = { ...S3_ENV, STATE_LOCK_TABLE: 'terraform-locks' };
    const { reader } = networkReader(env);
    expect(reader.backend).toBe('s3');
    expect(reader.config).toEqual(synthPlatform(env).network.json.terraform.backend.s3);
  });

  it('gives typed references to every declared output, lists as lists', () => {
    const { outputs, echoed } = networkReader({});
    expect(Object.keys(outputs).sort()).toEqual(Object.keys(CONTRACT.network).sort());
    for (const name of Object.keys(CONTRACT.network)) {
      expect(echoed[name].value).toBe(`\${data.terraform_remote_state.network-state.outputs.${name}}`);
    }
    expect(Array.isArray(outputs.PrivateSubnetIds)).toBe(true);
    expect(typeof outputs.BlueTargetGroupArn).toBe('string');
  });

  it('declares a description for every output, and only names that are stable identifiers', () => {
    for (const outputs of Object.values(CONTRACT)) {
      for (const [name, spec] of Object.entries(outputs)) {
        expect(name).toMatch(/^[A-Z][A-Za-z0-9]+$/);
        expect((spec as { description: string }).description).toMatch(/\.$/);
      }
    }
  });

  it('never uses cdktf cross-stack references between layers', () => {
    const layers = synthPlatform();
    for (const { json } of Object.values(layers)) {
      expect(Object.keys(json.output ?? {}).filter((name) => name.startsWith('cross-stack-output'))).toEqual([]);
      expect(JSON.stringify(json)).not.toContain('cross-stack');
    }
  });
});
