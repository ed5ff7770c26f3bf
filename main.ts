/**
 * The cdktf app: reads the configuration once and builds the three layers, each its own stack
 * with its own state. Deploy them in order: network, then data, then app.
 */
import { App } from 'cdktf';
import { ConfigError, loadConfig } from './modules/core/config';
import { PolicyError } from './modules/policy/policy';
import { AppStack } from './stacks/app-stack';
import { DataStack } from './stacks/data-stack';
import { NetworkStack } from './stacks/network-stack';

/** Builds the whole platform into `app`; tests call this too, so they see what `cdktf synth` sees. */
export function buildPlatform(app: App, env: NodeJS.ProcessEnv = process.env): void {
  const config = loadConfig({ env, context: (key) => app.node.tryGetContext(key) });
  new NetworkStack(app, config);
  new DataStack(app, config);
  new AppStack(app, config);
}

if (require.main === module) {
  try {
    // No stack traces in the manifest: they would write this machine's paths into cdktf.out.
    const app = new App({ stackTraces: false });
    buildPlatform(app);
    app.synth();
  } catch (error) {
    // A bad setting or a broken policy is the user's to fix: say what, without a stack trace.
    if (!(error instanceof ConfigError || error instanceof PolicyError)) throw error;
    console.error(error.message);
    process.exitCode = 1;
  }
}
