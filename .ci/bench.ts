/**
 * `npm run bench`: measures what the budgets in the issues promise, on this machine, and fails when
 * one is broken.
 * - Full synthesis of all stacks in one process (`node dist/main.js`, what cdktf.json runs):
 *   median wall time and peak memory of several runs. Budget: 1.0 s and 200 MiB.
 * - The build of the app and of the rotation function bundle (reported, with the bundle's size).
 * - The policy check of all three synthesized stacks in this process (read, parse, every rule): median of
 *   several runs. Budget: 100 ms.
 * - The `check` command over the synthesized output, node start included (`node dist/check.js`): median wall
 *   time. Budget: 0.5 s. Also through `npm run -s check`, which adds npm's own start (reported, no budget:
 *   npm alone takes 0.3 s idle and up to 0.6 s on a loaded machine).
 * - The whole test suite. Budget: 60 s.
 */
import { spawnSync } from 'child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { checkStack, contextFromJson } from '../modules/policy/policy';

const ROOT = join(__dirname, '..');
const SYNTH_RUNS = 7;
const BUDGETS = { synthSeconds: 1.0, synthMiB: 200, policyCheckMs: 100, checkCommandSeconds: 0.5, testSeconds: 60 };
const CHECK_RUNS = 7;

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

  // The policies over the output of the first synthesis: in this process, then as the command.
  const output = join(scratch, 'out-0');
  const stackFiles = readdirSync(join(output, 'stacks')).map((stack) => join(output, 'stacks', stack, 'cdk.tf.json'));
  const checkMs: number[] = [];
  for (let run = 0; run < CHECK_RUNS; run++) {
    const started = process.hrtime.bigint();
    for (const file of stackFiles) {
      const json = JSON.parse(readFileSync(file, 'utf8'));
      checkStack(json, contextFromJson(json));
    }
    checkMs.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  report(`policy check, ${stackFiles.length} stacks in one process: median of ${CHECK_RUNS}`, median(checkMs), 'ms', BUDGETS.policyCheckMs);
  // Through npm first: it builds dist/check.js if a source is newer, for the direct runs.
  const viaNpm = Array.from({ length: CHECK_RUNS }, () => timed('npm', ['run', '--silent', 'check', '--', output]).seconds);
  const direct = Array.from({ length: CHECK_RUNS }, () => timed(process.execPath, ['dist/check.js', output]).seconds);
  report(`check command (node dist/check.js), node start included: median of ${CHECK_RUNS}`, median(direct), 's', BUDGETS.checkCommandSeconds);
  report(`check command through npm run -s check (npm start included): median of ${CHECK_RUNS}`, median(viaNpm), 's');

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
