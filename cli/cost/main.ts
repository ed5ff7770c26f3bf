/**
 * The `npm run cost` executable (bundled by esbuild into dist/cost.js). It runs unconditionally: the bundle
 * is built with `require.main` defined as undefined (scripts/build.mjs) so that the repository's main.ts, which it bundles for
 * buildPlatform, does not also run its own `cdktf synth` entry point (`require.main === module` is true for
 * every module esbuild hoists into the bundle's scope).
 */
import { isUserError, runCost } from './index';

runCost(process.argv.slice(2), { env: process.env, root: process.cwd(), write: (text) => process.stdout.write(`${text}\n`) })
  .then((code) => { process.exitCode = code; })
  .catch((error) => {
    if (!isUserError(error)) throw error;
    console.error(error.message);
    process.exitCode = 2;
  });
