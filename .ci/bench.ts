/**
 * `npm run bench`: measures what the budgets in the issues promise, on this machine, and fails when
 * one is broken.
 * - The app command, exactly as cdktf runs it: the `app` string of cdktf.json through a shell, in a fresh
 *   process, all three layers. Median wall time and peak memory (GNU time, so esbuild's process counts too)
 *   of several runs with the bundles up to date (what every cdktf command after the first pays; budget 1.0 s
 *   and 200 MiB), and of runs that rebuild both bundles (once after a change; reported, memory budget only).
 *   CPU seconds are reported too: on a shared machine they say more than wall time.
 * - The policy check of all three synthesized stacks in this process (read, parse, every rule): median of
 *   several runs. Budget: 100 ms.
 * - The `check` command over the synthesized output, node start included (`node dist/check.js`): median wall
 *   time. Budget: 0.5 s. Also through `npm run -s check`, which adds npm's own start (reported, no budget:
 *   npm alone takes 0.3 s idle and up to 0.6 s on a loaded machine).
 * - The operator commands (issue 11), as the esbuild bundles their npm scripts run: `cost` on the default
 *   configuration, `verify` with every check against the test suite's mocked healthy environment
 *   (.ci/verify-with-mocks.ts). Median wall of several runs. Budget: 2 s each. verify under tsx is timed
 *   once, to show why the scripts bundle first (cost cannot run under tsx: it loads the boot files as text).
 * - The whole test suite. Budget: 60 s.
 */
import { spawnSync } from 'child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { checkStack, contextFromJson } from '../modules/policy/policy';

const ROOT = join(__dirname, '..');
const RUNS = 7;
const COMMAND_RUNS = 5;
const BUDGETS = { appSeconds: 1.0, appMiB: 200, policyCheckMs: 100, checkCommandSeconds: 0.5, commandSeconds: 2.0, testSeconds: 60 };
const APP = JSON.parse(readFileSync(join(ROOT, 'cdktf.json'), 'utf8')).app as string;
const GNU_TIME = '/usr/bin/time';
/** What makes a bundle stale: its record of inputs (scripts/build.mjs). */
const STAMPS = ['dist/main.js.inputs.json', 'dist/rotation/index.js.inputs.json'];

const scratch = mkdtempSync(join(tmpdir(), 'platform-bench-'));

function timed(command: string, args: string[], env: NodeJS.ProcessEnv = process.env) {
  const started = process.hrtime.bigint();
  const result = spawnSync(command, args, { cwd: ROOT, env, encoding: 'utf8' });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} failed (${result.status}):\n${result.stdout}\n${result.stderr}`);
  }
  return { seconds, stderr: result.stderr };
}

/** One run of the app command into a fresh output folder: wall seconds, CPU seconds and peak resident MiB. */
function appRun(run: number): { seconds: number; cpu: number; mib: number } {
  const outdir = join(scratch, `out-${run}`);
  const { seconds, stderr } = timed(GNU_TIME, ['-f', 'maxrss-kib=%M cpu=%U+%S', '/bin/sh', '-c', APP], { ...process.env, CDKTF_OUTDIR: outdir });
  const [, user, system] = /cpu=([\d.]+)\+([\d.]+)/.exec(stderr)!;
  for (const layer of ['network', 'data', 'app']) {
    if (!existsSync(join(outdir, 'stacks', layer, 'cdk.tf.json'))) throw new Error(`the app command did not synthesize ${layer}`);
  }
  return { seconds, cpu: Number(user) + Number(system), mib: Number(/maxrss-kib=(\d+)/.exec(stderr)![1]) / 1024 };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const rows: Array<[string, string, string]> = [];
let overBudget = false;
function report(what: string, value: number, unit: string, budget?: number) {
  const ok = budget === undefined || value <= budget;
  overBudget ||= !ok;
  rows.push([what, `${value.toFixed(unit === 's' ? 3 : 1)} ${unit}`, budget === undefined ? '' : `${ok ? 'within' : 'OVER'} ${budget} ${unit}`]);
}

try {
  if (!existsSync(GNU_TIME)) throw new Error(`${GNU_TIME} is missing: install Debian's time package`);
  for (const [label, prepare, wallBudget] of [
    ['bundles up to date', () => undefined, BUDGETS.appSeconds],
    ['bundles rebuilt (esbuild)', () => STAMPS.forEach((stamp) => rmSync(join(ROOT, stamp), { force: true })), undefined],
  ] as const) {
    appRun(-1); // settle: the first run after a change of mode builds, or warms the disk cache
    const runs = Array.from({ length: RUNS }, (_, run) => { prepare(); return appRun(run); });
    report(`app command (${APP}), ${label}: median wall of ${RUNS}`, median(runs.map((run) => run.seconds)), 's', wallBudget);
    report(`app command, ${label}: median CPU (user + system) of ${RUNS}`, median(runs.map((run) => run.cpu)), 's');
    report(`app command, ${label}: worst peak memory of ${RUNS}`, Math.max(...runs.map((run) => run.mib)), 'MiB', BUDGETS.appMiB);
  }
  report('rotation bundle size', statSync(join(ROOT, 'dist/rotation/index.js')).size / 1024, 'KiB');

  // The policies over the output of the last app run: in this process, then as the command.
  const output = join(scratch, `out-${RUNS - 1}`);
  const stackFiles = readdirSync(join(output, 'stacks')).map((stack) => join(output, 'stacks', stack, 'cdk.tf.json'));
  const checkMs = Array.from({ length: RUNS }, () => {
    const started = process.hrtime.bigint();
    for (const file of stackFiles) {
      const json = JSON.parse(readFileSync(file, 'utf8'));
      checkStack(json, contextFromJson(json));
    }
    return Number(process.hrtime.bigint() - started) / 1e6;
  });
  report(`policy check, ${stackFiles.length} stacks in one process: median of ${RUNS}`, median(checkMs), 'ms', BUDGETS.policyCheckMs);
  // Through npm first: it builds dist/check.js when a source changed, for the direct runs.
  const viaNpm = Array.from({ length: RUNS }, () => timed('npm', ['run', '--silent', 'check', '--', output]).seconds);
  const direct = Array.from({ length: RUNS }, () => timed(process.execPath, ['dist/check.js', output]).seconds);
  report(`check command (node dist/check.js), node start included: median of ${RUNS}`, median(direct), 's', BUDGETS.checkCommandSeconds);
  report(`check command through npm run -s check (npm start included): median of ${RUNS}`, median(viaNpm), 's');

  // `npm run cost` builds dist/cost.js (and the rotation bundle the data layer packages) before it runs.
  report('cost: npm run cost, bundle build included', timed('npm', ['run', '--silent', 'cost', '--', '--format', 'json']).seconds, 's');
  const bundleRuns = (bundle: string) => median(Array.from({ length: COMMAND_RUNS }, () => timed(process.execPath, [bundle]).seconds));
  report(`cost: node dist/cost.js, median wall of ${COMMAND_RUNS}`, bundleRuns('dist/cost.js'), 's', BUDGETS.commandSeconds);
  timed('npx', ['esbuild', '.ci/verify-with-mocks.ts', '--bundle', '--platform=node', '--target=node20', '--format=cjs', `--outfile=${join(scratch, 'verify.js')}`, '--log-level=warning']);
  report(`verify, every check, mocked AWS: median wall of ${COMMAND_RUNS}`, bundleRuns(join(scratch, 'verify.js')), 's', BUDGETS.commandSeconds);
  report('verify: the same under tsx, once', timed('npx', ['tsx', '.ci/verify-with-mocks.ts']).seconds, 's');

  report('test suite (jest, all tests)', timed('npx', ['jest', '--silent']).seconds, 's', BUDGETS.testSeconds);
} finally {
  rmSync(scratch, { recursive: true, force: true });
}

const width = Math.max(...rows.map(([what]) => what.length));
for (const [what, value, verdict] of rows) console.log(`${what.padEnd(width)}  ${value.padStart(12)}  ${verdict}`);
if (overBudget) {
  console.error('\nA budget is broken.');
  process.exitCode = 1;
}
