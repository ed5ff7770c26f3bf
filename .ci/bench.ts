/**
 * `npm run bench`: measures what the budgets in the issues promise, on this machine, and fails when
 * one is broken.
 * - Full synthesis of all stacks in one process (`node dist/main.js`, what cdktf.json runs):
 *   median wall time and peak memory of several runs. Budget: 1.0 s and 200 MiB.
 * - The build of the app and of the rotation function bundle (reported, with the bundle's size).
 * - The operator commands (issue 11), as esbuild bundles, the way their npm scripts run them: `cost` on the
 *   default configuration, `verify` with every check against the test suite's mocked healthy environment
 *   (.ci/verify-with-mocks.ts). Median wall of several runs. Budget: 2 s each. The same commands under tsx
 *   are timed once, to show why the scripts bundle first.
 * - The whole test suite. Budget: 60 s.
 */
import { spawnSync } from 'child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

const ROOT = join(__dirname, '..');
const SYNTH_RUNS = 7;
const COMMAND_RUNS = 5;
const BUDGETS = { synthSeconds: 1.0, synthMiB: 200, testSeconds: 60, commandSeconds: 2.0 };

const scratch = mkdtempSync(join(tmpdir(), 'platform-bench-'));
// Loaded into each synthesis run: reports the process's own peak resident memory as it exits.
const peakMemoryReporter = join(scratch, 'report-peak-memory.js');
writeFileSync(peakMemoryReporter, 'process.on("exit", () => process.stderr.write(`maxrss-kib=${process.resourceUsage().maxRSS}\\n`));\n');

function timed(command: string, args: string[], env: NodeJS.ProcessEnv = process.env) {
  const started = process.hrtime.bigint();
  const result = spawnSync(command, args, { cwd: ROOT, env, encoding: 'utf8' });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} failed (${result.status}):\n${result.stdout}\n${result.stderr}`);
  }
  return { seconds, stderr: result.stderr };
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
  report('build: app bundle (esbuild)', timed('npm', ['run', '--silent', 'build:app']).seconds, 's');
  report('build: rotation function bundle (esbuild)', timed('npm', ['run', '--silent', 'build:lambda']).seconds, 's');
  report('rotation bundle size', statSync(join(ROOT, 'dist/rotation/index.js')).size / 1024, 'KiB');

  const seconds: number[] = [];
  const peaks: number[] = [];
  for (let run = 0; run < SYNTH_RUNS; run++) {
    const outdir = join(scratch, `out-${run}`);
    const { seconds: wall, stderr } = timed(process.execPath, ['-r', peakMemoryReporter, 'dist/main.js'], { ...process.env, CDKTF_OUTDIR: outdir });
    seconds.push(wall);
    peaks.push(Number(/maxrss-kib=(\d+)/.exec(stderr)![1]) / 1024);
  }
  report(`full synthesis, 3 stacks: median wall of ${SYNTH_RUNS}`, median(seconds), 's', BUDGETS.synthSeconds);
  report(`full synthesis, 3 stacks: median peak memory of ${SYNTH_RUNS}`, median(peaks), 'MiB', BUDGETS.synthMiB);
  report(`full synthesis, 3 stacks: worst peak memory of ${SYNTH_RUNS}`, Math.max(...peaks), 'MiB', BUDGETS.synthMiB);

  // `npm run cost` builds dist/cost.js (and the rotation bundle the data layer packages) before it runs.
  report('cost: npm run cost, bundle build included', timed('npm', ['run', '--silent', 'cost', '--', '--format', 'json']).seconds, 's');
  const bundleRuns = (bundle: string) => median(Array.from({ length: COMMAND_RUNS }, () => timed(process.execPath, [bundle]).seconds));
  report(`cost: node dist/cost.js, median wall of ${COMMAND_RUNS}`, bundleRuns('dist/cost.js'), 's', BUDGETS.commandSeconds);
  report('cost: the same under tsx, once', timed('npx', ['tsx', 'cli/cost/main.ts']).seconds, 's');
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
