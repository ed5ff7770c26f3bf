/** The configuration as tests load it: from an environment and optional cdktf.json context. */
import { Config, ConfigError, loadConfig } from '../../modules/core/config';

export function load(env: Record<string, string> = {}, context: Record<string, unknown> = {}): Config {
  return loadConfig({ env, context: (key) => context[key] });
}

/** The problems a configuration is rejected for; fails the test if it is accepted. */
export function problemsOf(env: Record<string, string>): readonly string[] {
  try {
    load(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error(`configuration ${JSON.stringify(env)} was accepted`);
}
