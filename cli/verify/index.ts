/**
 * `npm run verify`: is the deployed environment what the code promises? Reads each layer's outputs from its
 * state (state.ts), checks the live environment with read-only AWS calls (checks/), and prints one line per
 * check, a summary, and exits 1 when a check fails.
 *
 *   npm run verify [-- --layer network|data|app] [--format text|json] [--host <domain on the certificate>]
 *
 * main.ts beside this file is the executable; this module only exports the command, for tests.
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import { parseArgs } from 'util';
import { Config, ConfigError, Layer, LAYERS, loadConfig } from '../../modules/core/config';
import { Check, CheckResult, LoadBalancerProbe, runChecks } from './check';
import { AwsClients, createAwsClients, destroyAwsClients } from './clients';
import { databaseInstance } from './checks/database';
import { instanceRoleSecretAccess } from './checks/instance-role';
import { loadBalancerHttp, loadBalancerHttps } from './checks/load-balancer';
import { appLogGroup, databaseLogGroups } from './checks/log-groups';
import { rotationFunctionErrors, secretRotation } from './checks/rotation';
import { sshIngress } from './checks/ssh';
import { tagAudit } from './checks/tags';
import { healthyTargets } from './checks/targets';
import { readStateOutputs, StateOutputs } from './state';

/** Every check, in the order they print: by layer, then as listed. */
export const CHECKS: readonly Check[] = [
  loadBalancerHttp, loadBalancerHttps, sshIngress,
  databaseInstance, databaseLogGroups, secretRotation, rotationFunctionErrors,
  ...healthyTargets, instanceRoleSecretAccess, appLogGroup,
  ...tagAudit,
].sort((a, b) => LAYERS.indexOf(a.layer) - LAYERS.indexOf(b.layer));

export interface VerifyCommandContext {
  readonly env: NodeJS.ProcessEnv;
  /** The repository root: cdktf.json, the cdktf output directory, local state. */
  readonly root: string;
  readonly write: (text: string) => void;
  /** Tests pass clients answered by aws-sdk-client-mock; @default real clients for the configured region */
  readonly clients?: AwsClients;
  /** Tests point the load balancer checks at a local server. */
  readonly probe?: Omit<LoadBalancerProbe, 'host'>;
  readonly now?: Date;
  /** Tests give outputs directly; @default read from each layer's state */
  readonly readOutputs?: (config: Config, layer: Layer) => Promise<StateOutputs>;
}

export class UsageError extends Error {}

const FORMATS = ['text', 'json'] as const;

/** Runs the command; returns the exit code: 0 when no check failed, 1 otherwise. */
export async function runVerify(argv: string[], context: VerifyCommandContext): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { layer: { type: 'string' }, format: { type: 'string', default: 'text' }, host: { type: 'string' } },
    strict: true,
  });
  const format = values.format as (typeof FORMATS)[number];
  if (!FORMATS.includes(format)) throw new UsageError(`--format ${values.format} is not allowed: use one of ${FORMATS.join(', ')}`);
  const layer = values.layer as Layer | undefined;
  if (layer !== undefined && !LAYERS.includes(layer)) throw new UsageError(`--layer ${layer} is not allowed: use one of ${LAYERS.join(', ')}`);

  const cdktfContext = JSON.parse(readFileSync(join(context.root, 'cdktf.json'), 'utf8')).context ?? {};
  const config = loadConfig({ env: context.env, context: (key) => cdktfContext[key] });
  const readOutputs = context.readOutputs ?? ((c: Config, l: Layer) => readStateOutputs(c, l, { root: context.root }));
  const outputs = Object.fromEntries(await Promise.all(LAYERS.map(async (name) => {
    try {
      return [name, await readOutputs(config, name)];
    } catch (error) {
      return [name, error instanceof Error ? error : new Error(String(error))];
    }
  }))) as Record<Layer, StateOutputs | Error>;

  const clients = context.clients ?? createAwsClients(config.region);
  try {
    const checks = CHECKS.filter((check) => layer === undefined || check.layer === layer);
    const results = await runChecks(checks, { config, clients, outputs, now: context.now, probe: { ...context.probe, host: values.host } });
    const stateResults = LAYERS.filter((name) => layer === undefined || name === layer).map((name): CheckResult => {
      const read = outputs[name];
      if (read instanceof Error) return { layer: name, name: 'outputs read from state', status: 'fail', detail: read.message };
      // An S3 backend answers an environment that was never deployed with an empty state, not an error.
      if (Object.keys(read).length === 0) {
        return { layer: name, name: 'outputs read from state', status: 'fail', detail: `the ${name} layer's state has no outputs: is it deployed, with these ENVIRONMENT_SUFFIX, AWS_REGION and STATE_BUCKET?` };
      }
      return { layer: name, name: 'outputs read from state', status: 'pass', detail: `${Object.keys(read).length} outputs` };
    });
    const all = LAYERS.flatMap((name) => [...stateResults, ...results].filter((result) => result.layer === name));
    context.write(format === 'json' ? formatJson(config, all) : formatText(config, all));
    return all.some((result) => result.status === 'fail') ? 1 : 0;
  } finally {
    if (!context.clients) destroyAwsClients(clients);
  }
}

const MARKS = { pass: 'PASS', fail: 'FAIL', skip: 'SKIP' } as const;

export function summary(results: readonly CheckResult[]) {
  const count = (status: CheckResult['status']) => results.filter((result) => result.status === status).length;
  return { passed: count('pass'), failed: count('fail'), skipped: count('skip') };
}

export function formatText(config: Config, results: readonly CheckResult[]): string {
  const { passed, failed, skipped } = summary(results);
  return [
    `Verifying ${config.project}-${config.environmentSuffix} in ${config.region}`,
    ...results.map((result) => `${MARKS[result.status]}  ${result.layer.padEnd(7)}  ${result.name}: ${result.detail}`),
    `${passed} passed, ${failed} failed, ${skipped} skipped`,
  ].join('\n');
}

export function formatJson(config: Config, results: readonly CheckResult[]): string {
  return JSON.stringify({ environment: `${config.project}-${config.environmentSuffix}`, region: config.region, checks: results, summary: summary(results) }, null, 2);
}

export function isUserError(error: unknown): error is Error {
  return error instanceof UsageError || error instanceof ConfigError
    || (error instanceof TypeError && (error as NodeJS.ErrnoException).code?.startsWith('ERR_PARSE_ARGS') === true);
}
