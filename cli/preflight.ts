/**
 * Checks the operator's commands make before they start cdktf, so a mistake costs a second and a clear
 * sentence instead of a half-run Terraform: AWS credentials present, STATE_BUCKET set where state must be
 * shared, and the layer order kept (a layer reads the state of the ones before it).
 *
 * Credentials are checked without a network call: the places the AWS SDK and Terraform look (variables,
 * a web identity token, container credentials, the named profile in the shared files). An STS call would
 * prove more, but costs a round trip on every command and hangs without a network; the first real call
 * Terraform makes reports expired credentials soon enough.
 */
import { spawn } from 'child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { homedir, tmpdir } from 'os';
import { join, resolve } from 'path';
import { stateLocation } from '../modules/core/backend';
import { Config, Layer } from '../modules/core/config';

export type Command = 'synth' | 'diff' | 'deploy' | 'destroy';

/** Set to `off` where credentials come from the EC2 instance metadata service, which only a network call can see. */
export const CREDENTIALS_CHECK_VARIABLE = 'AWS_CREDENTIALS_CHECK';

/** Why the AWS SDK and Terraform would find no credentials in `env`, or undefined when they would. */
export function missingCredentials(env: NodeJS.ProcessEnv, command: string): string | undefined {
  if (env[CREDENTIALS_CHECK_VARIABLE] === 'off') return undefined;
  if (env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY) return undefined;
  if (env.AWS_WEB_IDENTITY_TOKEN_FILE && env.AWS_ROLE_ARN) return undefined;
  if (env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI || env.AWS_CONTAINER_CREDENTIALS_FULL_URI) return undefined;
  const profile = env.AWS_PROFILE || env.AWS_DEFAULT_PROFILE;
  const home = env.HOME || homedir();
  const credentialsFile = env.AWS_SHARED_CREDENTIALS_FILE || join(home, '.aws', 'credentials');
  const configFile = env.AWS_CONFIG_FILE || join(home, '.aws', 'config');
  const name = profile ?? 'default';
  const inCredentials = sectionsOf(credentialsFile).includes(name);
  const inConfig = sectionsOf(configFile).includes(name === 'default' ? 'default' : `profile ${name}`);
  if (inCredentials || inConfig) return undefined;
  if (profile) {
    return `${command} needs AWS credentials, but the profile AWS_PROFILE=${JSON.stringify(profile)} is in neither ${configFile} nor ${credentialsFile}: ` +
      `check its name (aws configure list-profiles), or run aws configure sso --profile ${profile}`;
  }
  return `${command} needs AWS credentials and none were found: set AWS_PROFILE to a profile of ${configFile} (aws configure sso), ` +
    `or run where a role provides them (AWS_WEB_IDENTITY_TOKEN_FILE and AWS_ROLE_ARN, as GitHub's OIDC does). ` +
    `On an EC2 instance or in CodeBuild, where they come from the metadata service, set ${CREDENTIALS_CHECK_VARIABLE}=off.`;
}

/** Section names (`default`, `profile x`) of an AWS shared config or credentials file; none when it is missing. */
function sectionsOf(path: string): string[] {
  if (!existsSync(path)) return [];
  return [...readFileSync(path, 'utf8').matchAll(/^\s*\[([^\]]+)\]\s*$/gm)].map((match) => match[1].trim());
}

/** Why `command` may not run on the local state default, or undefined. Local state is for one machine only. */
export function missingStateBucket(config: Config, command: string, localStateAllowed: boolean): string | undefined {
  if (config.state.bucket || localStateAllowed) return undefined;
  return `${command} needs STATE_BUCKET: without it the state would stay in state/ on this machine, where nobody else (and no CI run) ` +
    'can see or lock it. Set STATE_BUCKET to the bucket the bootstrap created (its StateBucket output; README, "First deployment"), ' +
    'or pass --local-state for a throwaway environment of your own.';
}

export interface StateProbeOptions {
  /** Repository root: local state paths are relative to `<root>/<outdir>/stacks/<layer>`. */
  readonly root: string;
  /** cdktf's output folder (cdktf.json `output`). */
  readonly outdir: string;
  /** The Terraform binary. @default terraform */
  readonly terraform?: string;
  /** Limit for each Terraform run; the S3 backend retries on its own, this bounds the whole. @default 60000 */
  readonly timeoutMs?: number;
}

/** A layer's state: found with its output names, or not found, either because none was written (`absent`) or because it could not be read. */
export type LayerState = { readonly found: true; readonly outputs: string[] } | { readonly found: false; readonly absent: boolean; readonly reason: string };

/**
 * The output names in `layer`'s state, read exactly as a later layer reads them: Terraform's built-in
 * terraform_remote_state over the layer's backend settings (stateLocation), in a scratch folder. Nothing
 * to download, and the same code path for local and S3 state.
 */
export async function probeLayerState(config: Config, layer: Layer, options: StateProbeOptions): Promise<LayerState> {
  const location = stateLocation(config, layer);
  const backend = location.local
    ? { backend: 'local', config: { path: resolve(options.root, options.outdir, 'stacks', layer, location.local.path!) } }
    : { backend: 's3', config: { ...snakeCase({ ...location.s3 }), use_lockfile: true } };
  const scratch = mkdtempSync(join(tmpdir(), `state-probe-${layer}-`));
  try {
    writeFileSync(join(scratch, 'main.tf.json'), JSON.stringify({
      data: { terraform_remote_state: { layer: backend } },
      output: { names: { value: '${keys(data.terraform_remote_state.layer.outputs)}' } },
    }));
    const run = (args: string[]) => runTerraform(options.terraform ?? 'terraform', args, scratch, options.timeoutMs ?? 60_000);
    const init = await run(['init', '-input=false', '-no-color']);
    if (init.code !== 0) return { found: false, absent: false, reason: `terraform init failed: ${lastLines(init.output)}` };
    const apply = await run(['apply', '-auto-approve', '-input=false', '-no-color', '-lock=false', '-json']);
    const messages = apply.output.split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as Record<string, any>);
    // The plan's outputs message says what changes; the apply's final one carries the values.
    const outputs = messages.filter((message) => message.type === 'outputs').map((message) => message.outputs?.names?.value as string[] | undefined)
      .find((value) => value !== undefined);
    if (apply.code === 0 && outputs) return { found: true, outputs };
    const error = messages.find((message) => message.type === 'diagnostic' && message.diagnostic?.severity === 'error')?.diagnostic;
    if (error?.summary === 'Unable to find remote state') return { found: false, absent: true, reason: 'no state has been written yet' };
    return { found: false, absent: false, reason: error ? `${error.summary}: ${error.detail}` : lastLines(apply.output) };
  } catch (problem) {
    return { found: false, absent: false, reason: (problem as Error).message };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** Where `layer`'s state lives, for messages. */
export function describeStateLocation(config: Config, layer: Layer): string {
  const location = stateLocation(config, layer);
  return location.local ? `local file ${location.local.path!.replace(/^(\.\.\/)+/, '')}` : `s3://${location.s3.bucket}/${location.s3.key}`;
}

function snakeCase(settings: object): Record<string, unknown> {
  return Object.fromEntries(Object.entries(settings).map(([key, value]) => [key.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`), value]));
}

function lastLines(text: string): string {
  return text.trim().split('\n').slice(-3).join(' ').slice(0, 500);
}

/** Runs Terraform; rejects when it outlives `timeoutMs` (it is killed: a state read has nothing to leave half done). */
function runTerraform(binary: string, args: string[], cwd: string, timeoutMs: number): Promise<{ code: number; output: string }> {
  return new Promise((done, fail) => {
    const child = spawn(binary, args, {
      cwd,
      env: { ...process.env, TF_IN_AUTOMATION: '1', CHECKPOINT_DISABLE: '1', TF_INPUT: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => { output += chunk; });
    child.stderr.on('data', (chunk) => { output += chunk; });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      fail(new Error(`terraform ${args[0]} did not finish within ${timeoutMs / 1000} s (is the state bucket reachable from here?)`));
    }, timeoutMs);
    child.on('error', (error) => { clearTimeout(timer); fail(new Error(`could not run ${binary}: ${error.message}`)); });
    child.on('close', (code) => { clearTimeout(timer); done({ code: code ?? 1, output }); });
  });
}
