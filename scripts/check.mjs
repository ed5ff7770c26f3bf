/**
 * `npm run check -- [DIR] [--format text|json|sarif]`: the policy check over a cdktf output folder, in one process
 * that brings its bundle up to date first (nothing is built when no input changed).
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { buildBundles, BUNDLES, ROOT } from './build.mjs';

await buildBundles(['check']);
const { runCheck } = createRequire(import.meta.url)(join(ROOT, BUNDLES.check.outfile));
const { status, stdout, stderr } = runCheck(process.argv.slice(2));
process.stdout.write(stdout);
process.stderr.write(stderr);
process.exitCode = status;
