/** The `npm run verify` executable (bundled by esbuild into dist/verify.js, like dist/cost.js: see cli/cost/main.ts). */
import { isUserError, runVerify } from './index';

runVerify(process.argv.slice(2), { env: process.env, root: process.cwd(), write: (text) => process.stdout.write(`${text}\n`) })
  .then((code) => { process.exitCode = code; })
  .catch((error) => {
    if (!isUserError(error)) throw error;
    console.error(error.message);
    process.exitCode = 2;
  });
