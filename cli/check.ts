/**
 * `npm run -s check -- [DIR] [--format text|json|sarif]`: the platform policies over a cdktf output folder
 * (default `cdktf.out`), any project's: every `stacks/<stack>/cdk.tf.json` under it.
 *
 * Exit status: 0 when no stack has an error (warnings and undecided findings do not fail), 1 when one does,
 * 2 when the input cannot be read (no folder, no stacks, a file that is not JSON) or the arguments are wrong.
 *
 * Each stack is checked with the context its layer recorded at synthesis (suffix, required tags, taggable
 * types, dev or not, contract outputs). A stack from another project records none: the rules that need one
 * are listed as not checked, and the rest run as they would here.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'fs';
import { join, relative, resolve } from 'path';
import { checkStack, contextFromJson, Finding, StackReport, SuppressedFinding } from '../modules/policy/engine';
import { ALL_RULES } from '../modules/policy/rules';
import { CheckedFile, toSarif } from '../modules/policy/sarif';

const FORMATS = ['text', 'json', 'sarif'] as const;
type Format = (typeof FORMATS)[number];
const USAGE = 'usage: npm run -s check -- [DIR] [--format text|json|sarif]   (DIR: a cdktf output folder, default cdktf.out)';

class InputError extends Error {}
class HelpRequested extends Error {}

function parseArguments(args: readonly string[]): { directory: string; format: Format } {
  let directory: string | undefined;
  let format: Format = 'text';
  for (let index = 0; index < args.length; index++) {
    const arg = args[index];
    const value = arg === '--format' ? args[++index] : arg.startsWith('--format=') ? arg.slice('--format='.length) : undefined;
    if (arg === '--format' || arg.startsWith('--format=')) {
      if (!(FORMATS as readonly string[]).includes(value ?? '')) throw new InputError(`--format ${JSON.stringify(value ?? '')} is not allowed: use one of ${FORMATS.join(', ')}\n${USAGE}`);
      format = value as Format;
    } else if (arg === '--help' || arg === '-h') {
      throw new HelpRequested();
    } else if (arg.startsWith('-') || directory !== undefined) {
      throw new InputError(`unexpected argument ${JSON.stringify(arg)}\n${USAGE}`);
    } else {
      directory = arg;
    }
  }
  return { directory: directory ?? 'cdktf.out', format };
}

/** Every stack's cdk.tf.json under a cdktf output folder, by stack name. */
function stackFiles(directory: string): Array<{ stack: string; path: string }> {
  if (!existsSync(directory) || !statSync(directory).isDirectory()) throw new InputError(`cannot read ${directory}: no such folder (run cdktf synth first, or name a cdktf output folder)`);
  const stacksDirectory = join(directory, 'stacks');
  const stacks = existsSync(stacksDirectory) && statSync(stacksDirectory).isDirectory() ? readdirSync(stacksDirectory).sort() : [];
  const files = stacks.map((stack) => ({ stack, path: join(stacksDirectory, stack, 'cdk.tf.json') })).filter(({ path }) => existsSync(path));
  if (files.length === 0) throw new InputError(`cannot read ${directory}: it holds no stacks/<stack>/cdk.tf.json, so it is not a cdktf output folder`);
  return files;
}

function readStack(path: string): { text: string; json: Record<string, unknown> } {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new InputError(`cannot read ${path}: ${(error as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new InputError(`cannot read ${path}: not valid JSON (${(error as Error).message})`);
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) throw new InputError(`cannot read ${path}: a cdk.tf.json holds a JSON object`);
  return { text, json: json as Record<string, unknown> };
}

function count(reports: readonly StackReport[]) {
  const findings = reports.flatMap((report) => report.findings);
  const of = (severity: Finding['severity']) => findings.filter((finding) => finding.severity === severity).length;
  return { stacks: reports.length, errors: of('error'), warnings: of('warning'), undecided: of('undecided'), suppressed: reports.reduce((sum, report) => sum + report.suppressed.length, 0) };
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

function textReport(directory: string, files: readonly CheckedFile[]): string {
  const lines = [`Policy check of ${directory}: ${plural(files.length, 'stack')}, ${plural(ALL_RULES.length, 'rule')}`];
  const show = (finding: Finding | SuppressedFinding, label: string) => [
    `  ${label.padEnd(10)} [${finding.rule}] ${finding.address}`,
    `             ${finding.message}`,
    ...('reason' in finding ? [`             suppressed on ${finding.scope}: ${finding.reason}`] : [`             fix: ${finding.fix}`]),
  ];
  for (const { report, file } of files) {
    const summary = count([report]);
    lines.push('', `${report.stack} (${file}): ${plural(summary.errors, 'error')}, ${plural(summary.warnings, 'warning')}, ${summary.undecided} undecided, ${summary.suppressed} suppressed`);
    for (const finding of report.findings) lines.push(...show(finding, finding.severity.toUpperCase()));
    for (const finding of report.suppressed) lines.push(...show(finding, 'SUPPRESSED'));
    for (const suppression of report.suppressions) {
      lines.push(`  suppression [${suppression.rule}] on ${suppression.scope}: ${JSON.stringify(suppression.reason)} (${plural(suppression.matched, 'finding')})`);
    }
    if (report.skipped.length > 0) {
      lines.push(`  not checked: ${report.skipped.map(({ rule, missing }) => `${rule} (needs ${missing.join(', ')})`).join(', ')}; the stack records no policy context`);
    }
  }
  const total = count(files.map(({ report }) => report));
  lines.push('', `Summary: ${plural(total.stacks, 'stack')}, ${plural(total.errors, 'error')}, ${plural(total.warnings, 'warning')}, ${total.undecided} undecided, ${total.suppressed} suppressed: ${total.errors > 0 ? 'FAILED' : 'passed'}`);
  return `${lines.join('\n')}\n`;
}

/** Runs the check; returns the exit status and what to print. */
export function runCheck(args: readonly string[], cwd = process.cwd()): { status: number; stdout: string; stderr: string } {
  try {
    const { directory, format } = parseArguments(args);
    const files: CheckedFile[] = stackFiles(resolve(cwd, directory)).map(({ stack, path }) => {
      const { text, json } = readStack(path);
      return { report: checkStack(json, contextFromJson(json), stack), file: relative(cwd, path) || path, text };
    });
    const reports = files.map(({ report }) => report);
    const status = count(reports).errors > 0 ? 1 : 0;
    if (format === 'json') {
      const stacks = files.map(({ report, file }) => ({ file, ...report }));
      return { status, stdout: `${JSON.stringify({ directory, summary: count(reports), stacks }, null, 2)}\n`, stderr: '' };
    }
    if (format === 'sarif') return { status, stdout: `${JSON.stringify(toSarif(files, ALL_RULES), null, 2)}\n`, stderr: '' };
    return { status, stdout: textReport(directory, files), stderr: '' };
  } catch (error) {
    if (error instanceof HelpRequested) return { status: 0, stdout: `${USAGE}\n`, stderr: '' };
    if (error instanceof InputError) return { status: 2, stdout: '', stderr: `check: ${error.message}\n` };
    throw error;
  }
}

if (require.main === module) {
  const { status, stdout, stderr } = runCheck(process.argv.slice(2));
  process.stdout.write(stdout);
  process.stderr.write(stderr);
  process.exitCode = status;
}
