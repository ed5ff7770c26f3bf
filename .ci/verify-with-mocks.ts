/**
 * `npm run verify` as the bench times it: the real command (cli/verify), all its checks, against the test
 * suite's healthy environment (AWS clients answered by aws-sdk-client-mock, a local HTTP server for the load
 * balancer). Bundled by esbuild like dist/verify.js; exits with the command's code.
 */
import { answerHealth, mockHealthyServices, startLoadBalancer, verify } from '../__tests__/support/verify-environment';

async function main(): Promise<number> {
  mockHealthyServices();
  const loadBalancer = await startLoadBalancer(answerHealth);
  try {
    const run = await verify({ httpPort: loadBalancer.port, root: process.cwd() });
    return run.code;
  } finally {
    loadBalancer.server.close();
  }
}

main().then((code) => { process.exitCode = code; }, (error) => { console.error(error); process.exitCode = 1; });
