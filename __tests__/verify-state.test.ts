/**
 * Where verify reads each layer's outputs: a local state file at the path the layers' backend uses, or, for S3
 * state, `terraform output -json` beside the layer's own backend block (run for real against a local backend,
 * and with a stand-in terraform for S3, which needs AWS).
 */
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { dirname, join, resolve } from 'path';
import { readStateOutputs, StateUnavailableError, terraformOutputs } from '../cli/verify/state';
import { stateLocation } from '../modules/core/backend';
import { loadConfig } from '../modules/core/config';
import { synthPlatform } from './support/synth';

const stateFile = (outputs: Record<string, { value: unknown; type: unknown }>) => JSON.stringify({
  version: 4, terraform_version: '1.11.0', serial: 3, lineage: '6b0c2f2e-6c37-4c1b-9d5e-0a0e4f6a9d11', outputs, resources: [], check_results: null,
});

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'verify-state-'));
  writeFileSync(join(root, 'cdktf.json'), JSON.stringify({ output: 'cdktf.out', context: {} }));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('local state', () => {
  it('reads the outputs from the file the layer\'s local backend writes', async () => {
    const config = loadConfig({ env: { ENVIRONMENT_SUFFIX: 'qa' } });
    const location = stateLocation(config, 'network');
    const file = resolve(root, 'cdktf.out/stacks/network', location.local!.path!);
    expect(file.startsWith(`${root}/state/`)).toBe(true);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, stateFile({ VpcId: { value: 'vpc-1', type: 'string' }, PublicSubnetIds: { value: ['subnet-1', 'subnet-2'], type: ['list', 'string'] } }));
    expect(await readStateOutputs(config, 'network', { root })).toEqual({ VpcId: 'vpc-1', PublicSubnetIds: ['subnet-1', 'subnet-2'] });
  });

  it('says where it looked when the layer has no state', async () => {
    const config = loadConfig({ env: {} });
    await expect(readStateOutputs(config, 'data', { root })).rejects.toThrow(StateUnavailableError);
    await expect(readStateOutputs(config, 'data', { root })).rejects.toThrow(`no state at ${resolve(root, 'cdktf.out/stacks/data', stateLocation(config, 'data').local!.path!)}: the data layer is not deployed`);
  });
});

describe('terraform output', () => {
  it('reads outputs through a real terraform, from the backend block alone', async () => {
    const file = join(root, 'app.tfstate');
    writeFileSync(file, stateFile({ BlueWeight: { value: 100, type: 'number' }, AppLogGroupName: { value: '/migration/app/dev', type: 'string' } }));
    expect(await terraformOutputs({ local: { path: file } }, { root })).toEqual({ BlueWeight: 100, AppLogGroupName: '/migration/app/dev' });
  }, 60_000);

  /** A terraform that records what it ran and the backend it was given, then prints `outputs`. */
  function standInTerraform(body: string): string {
    const script = join(root, 'terraform');
    writeFileSync(script, `#!/bin/sh\necho "$@" >> ${root}/calls\ncp main.tf.json ${root}/backend.json\n${body}\n`);
    chmodSync(script, 0o755);
    return script;
  }

  it('for S3 state, gives terraform exactly the backend block the layer synthesizes', async () => {
    const env = { STATE_BUCKET: 'acme-terraform-state', STATE_LOCK_TABLE: 'acme-locks', ENVIRONMENT_SUFFIX: 'prod', CERTIFICATE_ARN: 'arn:aws:acm:us-east-1:123456789012:certificate/00000000-0000-0000-0000-000000000000' };
    const terraform = standInTerraform('[ "$1" = output ] && echo \'{"DBSecretArn":{"sensitive":false,"type":"string","value":"arn:aws:secretsmanager:us-east-1:123456789012:secret:x"}}\'; exit 0');
    const outputs = await readStateOutputs(loadConfig({ env }), 'data', { root, terraform });
    expect(outputs).toEqual({ DBSecretArn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:x' });
    const synthesized = synthPlatform(env).data.json.terraform.backend;
    expect(JSON.parse(readFileSync(join(root, 'backend.json'), 'utf8'))).toEqual({ terraform: { backend: synthesized } });
    expect(synthesized.s3).toMatchObject({ bucket: 'acme-terraform-state', use_lockfile: true, dynamodb_table: 'acme-locks' });
    expect(readFileSync(join(root, 'calls'), 'utf8').split('\n')).toEqual(['init -input=false -no-color -lock=false', 'output -json -no-color', '']);
  });

  it('reports terraform\'s error without hanging, and stops a terraform that does not finish', async () => {
    const failing = standInTerraform('echo "Error: Failed to get existing workspaces: AccessDenied" >&2; exit 1');
    await expect(terraformOutputs({ s3: {} }, { root, terraform: failing })).rejects.toThrow('terraform could not read the state: Error: Failed to get existing workspaces: AccessDenied');
    const hanging = standInTerraform('sleep 30');
    const started = Date.now();
    await expect(terraformOutputs({ s3: {} }, { root, terraform: hanging, terraformTimeoutMs: 500 })).rejects.toThrow('terraform did not answer within 500 ms reading the state');
    expect(Date.now() - started).toBeLessThan(5000);
  });
});
