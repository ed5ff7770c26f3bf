/**
 * The operator's commands (npm run synth | diff | deploy | destroy, per layer or all; npm run bootstrap):
 * fail fast with a clear sentence (preflight.ts), then run cdktf one stack at a time, in order: network, data,
 * app to diff and deploy, the reverse to destroy. Everything after `--` goes to cdktf (e.g. --auto-approve).
 *
 *   tsx cli/layers.ts <synth|diff|deploy|destroy> <network|data|app|all|bootstrap> [--local-state] [-- <cdktf options>]
 */
import { spawn } from 'child_process';
import { readFileSync } from 'fs';
import { join } from 'path';
import { bootstrapSelected, BOOTSTRAP_SELECTOR, loadBootstrapConfig } from '../modules/bootstrap/config';
import { Config, ConfigError, ConfigSource, Layer, LAYERS, loadConfig } from '../modules/core/config';
import { BOOTSTRAP_STACK } from '../stacks/bootstrap-stack';
import { Command, describeStateLocation, LayerState, missingCredentials, missingStateBucket, probeLayerState } from './preflight';

export type Target = Layer | typeof BOOTSTRAP_STACK;
const COMMANDS: readonly Command[] = ['synth', 'diff', 'deploy', 'destroy'];
const TARGETS = [...LAYERS, 'all', BOOTSTRAP_STACK] as const;
/** Optional: the state key's ARN, so the S3 backend encrypts state with it rather than with S3's own key. */

export interface Invocation {
  readonly command: Command;
  /** Stacks in the order they run. */
  readonly targets: readonly Target[];
  /** `--local-state`: diff, deploy and destroy may keep state on this machine. */
  readonly localState: boolean;
  readonly cdktfArgs: readonly string[];
}

export class UsageError extends Error {}

export function parseInvocation(argv: readonly string[]): Invocation {
  const separator = argv.indexOf('--');
  const own = separator === -1 ? argv : argv.slice(0, separator);
  const cdktfArgs = separator === -1 ? [] : argv.slice(separator + 1);
  const flags = own.filter((arg) => arg.startsWith('--'));
  const [command, target = 'all', ...rest] = own.filter((arg) => !arg.startsWith('--'));
  const usage = `usage: <${COMMANDS.join('|')}> <${TARGETS.join('|')}> [--local-state] [-- <cdktf options>]`;
  if (!COMMANDS.includes(command as Command)) throw new UsageError(`${command === undefined ? 'No command' : `Unknown command ${JSON.stringify(command)}`}; ${usage}`);
  if (!(TARGETS as readonly string[]).includes(target)) throw new UsageError(`Unknown stack ${JSON.stringify(target)}; ${usage}`);
  const unknownFlags = flags.filter((flag) => flag !== '--local-state');
  if (rest.length > 0 || unknownFlags.length > 0) throw new UsageError(`Unexpected ${[...rest, ...unknownFlags].join(' ')}; cdktf options go after --. ${usage}`);
  const inOrder = target === 'all' ? [...LAYERS] : [target as Target];
  return { command: command as Command, targets: command === 'destroy' ? inOrder.reverse() : inOrder, localState: flags.includes('--local-state'), cdktfArgs };
}

/** What the commands need from the outside world; tests replace it. */
export interface Operations {
  /** Runs cdktf with `args` and `env`; resolves to its exit code. */
  cdktf(args: readonly string[], env: NodeJS.ProcessEnv): Promise<number>;
  probe(config: Config, layer: Layer): Promise<LayerState>;
  /** cdktf.json context, for settings given there. */
  context(key: string): unknown;
  error(message: string): void;
}

/** Runs an invocation; resolves to the process exit code. */
export async function run(invocation: Invocation, env: NodeJS.ProcessEnv, operations: Operations): Promise<number> {
  const fail = (message: string) => { operations.error(message); return 1; };
  const { command, targets } = invocation;
  const bootstrap = targets.includes(BOOTSTRAP_STACK);
  const stackEnv: NodeJS.ProcessEnv = { ...env, [BOOTSTRAP_SELECTOR]: bootstrap ? '1' : '' };

  let config: Config;
  try {
    const source: ConfigSource = { env: stackEnv, context: operations.context };
    config = loadConfig(source);
    if (bootstrapSelected(stackEnv)) loadBootstrapConfig(source, config);
  } catch (error) {
    if (error instanceof ConfigError) return fail(error.message);
    throw error;
  }
  const what = `${command} ${targets.join(', ')}`;
  if (command !== 'synth') {
    const credentials = missingCredentials(env, what);
    if (credentials) return fail(credentials);
    if (!bootstrap) {
      const bucket = missingStateBucket(config, what, invocation.localState);
      if (bucket) return fail(bucket);
    }
  }

  if (command === 'synth') return operations.cdktf(['synth', ...invocation.cdktfArgs], stackEnv);
  for (const target of targets) {
    if (target !== BOOTSTRAP_STACK) {
      const problem = await orderProblem(command, target, config, operations);
      if (problem) return fail(problem);
    }
    const code = await operations.cdktf([command, target, ...invocation.cdktfArgs], stackEnv);
    if (code !== 0) return code;
  }
  return 0;
}

/** A layer reads the state of the layers before it: they must exist to diff or deploy it, and outlive it. */
async function orderProblem(command: Command, layer: Layer, config: Config, operations: Operations): Promise<string | undefined> {
  const index = LAYERS.indexOf(layer);
  if (command === 'diff' || command === 'deploy') {
    for (const earlier of LAYERS.slice(0, index)) {
      const state = await operations.probe(config, earlier);
      if (!state.found || state.outputs.length === 0) {
        const reason = state.found ? 'it has no outputs (destroyed?)' : state.reason;
        return `${command} ${layer} reads the ${earlier} layer's state, which is not there: ${reason} (${describeStateLocation(config, earlier)}). ` +
          `Deploy ${earlier} first (npm run deploy:${earlier}), with the same AWS_REGION, ENVIRONMENT_SUFFIX and STATE_BUCKET.`;
      }
    }
  }
  if (command === 'destroy') {
    for (const later of LAYERS.slice(index + 1)) {
      const state = await operations.probe(config, later);
      // Unknown is not empty: a state that could not be read may still hold a layer that runs on this one.
      if (!state.found && !state.absent) {
        return `destroy ${layer} cannot tell whether the ${later} layer still runs on it: its state could not be read: ${state.reason} ` +
          `(${describeStateLocation(config, later)}). Fix access to the state and try again.`;
      }
      if (state.found && state.outputs.length > 0) {
        return `destroy ${layer} would leave the ${later} layer without what it runs on: ${later} still has state (${describeStateLocation(config, later)}). ` +
          `Destroy ${later} first (npm run destroy:${later}), or everything in order with npm run destroy.`;
      }
    }
  }
  return undefined;
}

/** The real world: cdktf from node_modules, Terraform on PATH, cdktf.json beside this folder. */
export function systemOperations(root: string): Operations {
  const cdktfJson = JSON.parse(readFileSync(join(root, 'cdktf.json'), 'utf8')) as { output: string; context?: Record<string, unknown> };
  return {
    cdktf: (args, env) => new Promise((done) => {
      const child = spawn(join(root, 'node_modules', '.bin', 'cdktf'), args, { cwd: root, env, stdio: 'inherit' });
      child.on('error', (error) => { console.error(`could not run cdktf: ${error.message}`); done(1); });
      child.on('close', (code) => done(code ?? 1));
    }),
    probe: (config, layer) => probeLayerState(config, layer, { root, outdir: cdktfJson.output }),
    context: (key) => cdktfJson.context?.[key],
    error: (message) => console.error(message),
  };
}

if (require.main === module) {
  let invocation: Invocation;
  try {
    invocation = parseInvocation(process.argv.slice(2));
  } catch (error) {
    console.error((error as Error).message);
    process.exit(2);
  }
  run(invocation, process.env, systemOperations(join(__dirname, '..'))).then((code) => { process.exitCode = code; });
}
