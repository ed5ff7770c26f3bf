import { execFileSync, spawnSync } from 'child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { Invocation, Operations, parseInvocation, run, Target } from '../cli/layers';
import { LayerState, missingCredentials, probeLayerState } from '../cli/preflight';
import { stateLocation } from '../modules/core/backend';
import { Config, Layer, loadConfig } from '../modules/core/config';

const terraformFound = spawnSync('terraform', ['version'], { encoding: 'utf8' }).status === 0;
const scratch = mkdtempSync(join(tmpdir(), 'operator-commands-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** An environment with credentials from a web identity token (as in CI), and a HOME without AWS files. */
const CI_ENV = { HOME: scratch, AWS_WEB_IDENTITY_TOKEN_FILE: '/var/run/token', AWS_ROLE_ARN: 'arn:aws:iam::123456789012:role/x', STATE_BUCKET: 'acme-state' };

interface Recorded { readonly cdktf: Array<{ args: readonly string[]; env: NodeJS.ProcessEnv }>; readonly probes: Layer[]; readonly errors: string[] }

/** Operations that record what would have run; `states` says which layers have state; `failing` makes cdktf fail for a stack. */
function fakeOperations(states: Partial<Record<Layer, LayerState>> = {}, failing?: Target): Operations & { recorded: Recorded } {
  const recorded: Recorded = { cdktf: [], probes: [], errors: [] };
  return {
    recorded,
    cdktf: async (args, env) => { recorded.cdktf.push({ args, env }); return failing !== undefined && args[1] === failing ? 7 : 0; },
    probe: async (_config: Config, layer: Layer) => { recorded.probes.push(layer); return states[layer] ?? { found: false, absent: true, reason: 'no state has been written yet' }; },
    context: () => undefined,
    error: (message) => recorded.errors.push(message),
  };
}
const deployed = (...names: string[]): LayerState => ({ found: true, outputs: names.length > 0 ? names : ['VpcId'] });

async function runWith(argv: string[], env: NodeJS.ProcessEnv, operations = fakeOperations()) {
  const code = await run(parseInvocation(argv), env, operations);
  return { code, ...operations.recorded };
}

describe('the command line', () => {
  it.each<[string[], Partial<Invocation>]>([
    [['deploy', 'all'], { command: 'deploy', targets: ['network', 'data', 'app'], localState: false, cdktfArgs: [] }],
    [['diff'], { command: 'diff', targets: ['network', 'data', 'app'] }],
    [['destroy', 'all'], { command: 'destroy', targets: ['app', 'data', 'network'] }],
    [['deploy', 'data', '--local-state', '--', '--auto-approve'], { targets: ['data'], localState: true, cdktfArgs: ['--auto-approve'] }],
    [['deploy', 'bootstrap'], { targets: ['bootstrap'] }],
  ])('reads %j', (argv, expected) => {
    expect(parseInvocation(argv)).toMatchObject(expected);
  });

  it.each([
    [['apply', 'network'], /Unknown command "apply"; usage: <synth\|diff\|deploy\|destroy>/],
    [['deploy', 'database'], /Unknown stack "database"; usage: .*<network\|data\|app\|all\|bootstrap>/],
    [['deploy', 'network', '--auto-approve'], /Unexpected --auto-approve; cdktf options go after --/],
    [[], /No command/],
  ])('refuses %j', (argv, message) => {
    expect(() => parseInvocation(argv)).toThrow(message);
  });
});

describe('AWS credentials, found without a network call', () => {
  const home = join(scratch, 'home');
  mkdirSync(join(home, '.aws'), { recursive: true });
  writeFileSync(join(home, '.aws', 'config'), '[default]\nregion = eu-west-1\n\n[profile ops]\nsso_session = corp\n');

  it.each([
    ['access keys', { AWS_ACCESS_KEY_ID: 'AKIA', AWS_SECRET_ACCESS_KEY: 'secret' }],
    ['a web identity token (GitHub OIDC)', { AWS_WEB_IDENTITY_TOKEN_FILE: '/var/run/token', AWS_ROLE_ARN: 'arn:aws:iam::123456789012:role/x' }],
    ['container credentials', { AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: '/v2/credentials/x' }],
    ['a named profile in ~/.aws/config', { HOME: home, AWS_PROFILE: 'ops' }],
    ['the default profile', { HOME: home }],
    ['the metadata service, when told', { HOME: scratch, AWS_CREDENTIALS_CHECK: 'off' }],
  ])('accepts %s', (_what, env) => {
    expect(missingCredentials({ HOME: scratch, ...env }, 'deploy network')).toBeUndefined();
  });

  it('names the profile that is not there, and where it looked', () => {
    expect(missingCredentials({ HOME: home, AWS_PROFILE: 'opps' }, 'deploy network'))
      .toBe(`deploy network needs AWS credentials, but the profile AWS_PROFILE="opps" is in neither ${home}/.aws/config nor ${home}/.aws/credentials: check its name (aws configure list-profiles), or run aws configure sso --profile opps`);
  });

  it('says what to set when there is nothing at all', () => {
    expect(missingCredentials({ HOME: scratch, AWS_ACCESS_KEY_ID: 'AKIA' }, 'diff data')).toMatch(/^diff data needs AWS credentials and none were found: set AWS_PROFILE .* set AWS_CREDENTIALS_CHECK=off\.$/);
  });
});

describe('the operator commands fail fast', () => {
  it('without credentials, before cdktf or any state read', async () => {
    const { code, cdktf, probes, errors } = await runWith(['deploy', 'data'], { HOME: scratch, STATE_BUCKET: 'acme-state' });
    expect(code).toBe(1);
    expect(errors[0]).toMatch(/^deploy data needs AWS credentials and none were found/);
    expect(cdktf).toEqual([]);
    expect(probes).toEqual([]);
  });

  it('without STATE_BUCKET for diff, deploy and destroy, unless local state is asked for', async () => {
    for (const command of ['diff', 'deploy', 'destroy']) {
      const { code, cdktf, errors } = await runWith([command, 'network'], { ...CI_ENV, STATE_BUCKET: '' });
      expect(code).toBe(1);
      expect(errors[0]).toMatch(new RegExp(`^${command} network needs STATE_BUCKET: .* or pass --local-state`));
      expect(cdktf).toEqual([]);
    }
    const local = await runWith(['deploy', 'network', '--local-state'], { ...CI_ENV, STATE_BUCKET: '' });
    expect(local.code).toBe(0);
    expect(local.cdktf.map(({ args }) => args)).toEqual([['deploy', 'network']]);
  });

  it('when a later layer is deployed before an earlier one has state', async () => {
    const { code, cdktf, probes, errors } = await runWith(['deploy', 'app'], CI_ENV, fakeOperations({ network: deployed() }));
    expect(code).toBe(1);
    expect(probes).toEqual(['network', 'data']);
    expect(errors).toEqual([
      'deploy app reads the data layer\'s state, which is not there: no state has been written yet (s3://acme-state/' +
      `${stateLocation(loadConfig({ env: CI_ENV }), 'data').s3!.key}). Deploy data first (npm run deploy:data), with the same AWS_REGION, ENVIRONMENT_SUFFIX and STATE_BUCKET.`,
    ]);
    expect(cdktf).toEqual([]);
  });

  it('when an earlier layer\'s state has no outputs (destroyed), and when it cannot be read', async () => {
    const emptied = await runWith(['diff', 'data'], CI_ENV, fakeOperations({ network: { found: true, outputs: [] } }));
    expect(emptied.errors[0]).toContain('it has no outputs (destroyed?)');
    const unreachable = await runWith(['deploy', 'data'], CI_ENV, fakeOperations({ network: { found: false, absent: false, reason: 'terraform apply did not finish within 60 s' } }));
    expect(unreachable.errors[0]).toContain('which is not there: terraform apply did not finish within 60 s');
  });

  it('when a later layer\'s state cannot be read: unknown is not empty', async () => {
    const { code, cdktf, errors } = await runWith(['destroy', 'data'], CI_ENV, fakeOperations({ app: { found: false, absent: false, reason: 'terraform init failed: Error: AccessDenied' } }));
    expect(code).toBe(1);
    expect(cdktf).toEqual([]);
    expect(errors[0]).toMatch(/^destroy data cannot tell whether the app layer still runs on it: its state could not be read: terraform init failed: Error: AccessDenied/);
  });

  it('when an earlier layer would be destroyed under a later one', async () => {
    const { code, cdktf, errors } = await runWith(['destroy', 'network'], CI_ENV, fakeOperations({ data: deployed('RDSEndpoint') }));
    expect(code).toBe(1);
    expect(errors[0]).toMatch(/^destroy network would leave the data layer without what it runs on: data still has state .*Destroy data first \(npm run destroy:data\)/);
    expect(cdktf).toEqual([]);
  });

  it('with bad settings, naming each', async () => {
    const { code, errors } = await runWith(['deploy', 'network'], { ...CI_ENV, AWS_REGION: 'mars-1' });
    expect(code).toBe(1);
    expect(errors[0]).toMatch(/^Invalid configuration:\n {2}- AWS_REGION "mars-1" is not allowed/);
    const bootstrap = await runWith(['deploy', 'bootstrap'], CI_ENV);
    expect(bootstrap.errors[0]).toContain('GITHUB_ORG is not set but the bootstrap needs it');
  });

  it('with a state key that is not a KMS key ARN', async () => {
    const { code, errors } = await runWith(['deploy', 'network'], { ...CI_ENV, STATE_KMS_KEY_ID: 'alias/state' });
    expect(code).toBe(1);
    expect(errors[0]).toContain('STATE_KMS_KEY_ID "alias/state" is not allowed');
  });
});

describe('the operator commands, when all is well', () => {
  it('deploy every layer in order, each after the one before it has state, passing cdktf options on', async () => {
    const operations = fakeOperations({ network: deployed(), data: deployed('RDSEndpoint') });
    const { code, cdktf, probes } = await runWith(['deploy', 'all', '--', '--auto-approve'], CI_ENV, operations);
    expect(code).toBe(0);
    expect(cdktf.map(({ args }) => args)).toEqual([['deploy', 'network', '--auto-approve'], ['deploy', 'data', '--auto-approve'], ['deploy', 'app', '--auto-approve']]);
    expect(probes).toEqual(['network', 'network', 'data']);
    expect(cdktf.every(({ env }) => env.BOOTSTRAP === '')).toBe(true);
  });

  it('destroy in reverse order', async () => {
    const { code, cdktf } = await runWith(['destroy', 'all'], CI_ENV);
    expect(code).toBe(0);
    expect(cdktf.map(({ args }) => args[1])).toEqual(['app', 'data', 'network']);
  });

  it('stop at the first layer that fails, with its exit code', async () => {
    const { code, cdktf } = await runWith(['deploy', 'all'], CI_ENV, fakeOperations({ network: deployed(), data: deployed() }, 'data'));
    expect(code).toBe(7);
    expect(cdktf.map(({ args }) => args[1])).toEqual(['network', 'data']);
  });

  it('select the bootstrap stack with BOOTSTRAP=1 and need no state bucket for it', async () => {
    const { code, cdktf } = await runWith(['deploy', 'bootstrap'], { ...CI_ENV, STATE_BUCKET: '', GITHUB_ORG: 'acme', GITHUB_REPO: 'platform' });
    expect(code).toBe(0);
    expect(cdktf).toHaveLength(1);
    expect(cdktf[0].args).toEqual(['deploy', 'bootstrap']);
    expect(cdktf[0].env.BOOTSTRAP).toBe('1');
  });

  it('synthesize without credentials', async () => {
    const { code, cdktf } = await runWith(['synth', 'all'], { HOME: scratch });
    expect(code).toBe(0);
    expect(cdktf.map(({ args }) => args)).toEqual([['synth']]);
  });
});

describe('reading a layer\'s state as the next layer reads it', () => {
  const root = join(scratch, 'repository');
  const config = loadConfig({ env: { ENVIRONMENT_SUFFIX: 'probe' } });
  const options = { root, outdir: 'cdktf.out', timeoutMs: 30_000 };

  (terraformFound ? it : it.skip)('finds no state before the layer is deployed, and its outputs after (real Terraform, local state)', async () => {
    expect(await probeLayerState(config, 'network', options)).toEqual({ found: false, absent: true, reason: 'no state has been written yet' });

    // Write the network layer's state where its backend puts it, with a real apply.
    const stackDir = join(root, 'cdktf.out', 'stacks', 'network');
    mkdirSync(stackDir, { recursive: true });
    writeFileSync(join(stackDir, 'main.tf.json'), JSON.stringify({
      terraform: { backend: { local: stateLocation(config, 'network').local } },
      output: { VpcId: { value: 'vpc-0123' }, PublicSubnetIds: { value: ['subnet-a'] } },
    }));
    const terraform = (...args: string[]) => execFileSync('terraform', args, { cwd: stackDir, env: { ...process.env, CHECKPOINT_DISABLE: '1' }, stdio: 'ignore' });
    terraform('init', '-input=false');
    terraform('apply', '-auto-approve', '-input=false');
    expect(existsSync(join(stackDir, stateLocation(config, 'network').local!.path!))).toBe(true);

    expect(await probeLayerState(config, 'network', options)).toEqual({ found: true, outputs: ['PublicSubnetIds', 'VpcId'] });
  });

  /** A stand-in `terraform` that records its configuration and behaves as `script` says. */
  function fakeTerraform(name: string, script: string): string {
    const path = join(scratch, name);
    writeFileSync(path, `#!/bin/sh\ncp main.tf.json "${path}.config.json"\n${script}\n`);
    chmodSync(path, 0o755);
    return path;
  }

  it('reads S3 state with exactly the settings of the layer\'s backend', async () => {
    const s3Config = loadConfig({ env: { STATE_BUCKET: 'acme-state', STATE_LOCK_TABLE: 'acme-locks', STATE_REGION: 'eu-west-1' } });
    const terraform = fakeTerraform('terraform-refusing', 'echo "Error: AccessDenied" >&2; exit 1');
    const state = await probeLayerState(s3Config, 'network', { ...options, terraform });
    expect(state).toEqual({ found: false, absent: false, reason: 'terraform init failed: Error: AccessDenied' });
    const location = stateLocation(s3Config, 'network').s3!;
    expect(JSON.parse(readFileSync(`${terraform}.config.json`, 'utf8')).data.terraform_remote_state.layer).toEqual({
      backend: 's3',
      config: { bucket: 'acme-state', key: location.key, region: 'eu-west-1', encrypt: true, dynamodb_table: 'acme-locks', use_lockfile: true },
    });
  });

  it('gives up on a Terraform that hangs, within the limit, and kills it', async () => {
    const marker = join(scratch, 'hung-terraform-still-running');
    const terraform = fakeTerraform('terraform-hanging', `sleep 5 && touch "${marker}"`);
    const started = Date.now();
    const state = await probeLayerState(config, 'network', { ...options, terraform, timeoutMs: 300 });
    expect(Date.now() - started).toBeLessThan(3000);
    expect(state).toEqual({ found: false, absent: false, reason: 'terraform init did not finish within 0.3 s (is the state bucket reachable from here?)' });
    await new Promise((resolve) => setTimeout(resolve, 5500));
    expect(existsSync(marker)).toBe(false);
  }, 15_000);
});
