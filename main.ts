/**
 * The cdktf app: reads the configuration once and builds the three layers, each its own stack with its own
 * state. Deploy them in order: network, then data, then app. With BOOTSTRAP=1 it builds the bootstrap stack
 * instead, and only that (README, "State bootstrap"), so no layer command can ever touch it by accident.
 */
import { App } from 'cdktf';
import { bootstrapSelected, loadBootstrapConfig } from './modules/bootstrap/config';
import { ConfigError, ConfigSource, loadConfig } from './modules/core/config';
import { PolicyError } from './modules/policy/policy';
import { AppStack } from './stacks/app-stack';
import { BootstrapStack } from './stacks/bootstrap-stack';
import { DataStack } from './stacks/data-stack';
import { NetworkStack } from './stacks/network-stack';

/** Builds the platform into `app`; tests call this too, so they see what `cdktf synth` sees. */
export function buildPlatform(app: App, env: NodeJS.ProcessEnv = process.env): void {
  const source: ConfigSource = { env, context: (key) => app.node.tryGetContext(key) };
  const config = loadConfig(source);
  if (bootstrapSelected(env)) {
    new BootstrapStack(app, config, loadBootstrapConfig(source, config));
    return;
  }
  new NetworkStack(app, config);
  new DataStack(app, config);
  new AppStack(app, config);
}

/** What the app command runs (scripts/app.mjs): synthesizes into cdktf's output folder; returns the exit code. */
export function synthesize(env: NodeJS.ProcessEnv = process.env): number {
  try {
    // No stack traces in the manifest: they would write this machine's paths into cdktf.out.
    const app = new App({ stackTraces: false });
    buildPlatform(app, env);
    app.synth();
    return 0;
  } catch (error) {
    // A bad setting or a broken policy is the user's to fix: say what, without a stack trace.
    if (!(error instanceof ConfigError || error instanceof PolicyError)) throw error;
    console.error(error.message);
    return 1;
  }
}

if (require.main === module) process.exitCode = synthesize();
