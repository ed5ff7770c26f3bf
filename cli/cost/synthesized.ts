/**
 * The stacks to price: read from a cdktf output directory (`cdktf synth` wrote it), or synthesized in this
 * process by the same buildPlatform main.ts runs, with the settings in `env` and cdktf.json's context.
 */
import { App } from 'cdktf';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { buildPlatform } from '../../main';
import { Layer, LAYERS } from '../../modules/core/config';
import { CostInputError, StackJson } from './estimate';

export type SynthesizedStacks = Record<Layer, StackJson>;

/** Reads `<outdir>/stacks/<layer>/cdk.tf.json` for every layer. */
export function readSynthesized(outdir: string): SynthesizedStacks {
  return Object.fromEntries(LAYERS.map((layer) => {
    const file = join(outdir, 'stacks', layer, 'cdk.tf.json');
    if (!existsSync(file)) throw new CostInputError(`${file} does not exist: run npm run synth first, or leave out --from to synthesize in this process`);
    return [layer, JSON.parse(readFileSync(file, 'utf8'))];
  })) as SynthesizedStacks;
}

/** Synthesizes every layer from `env` into a scratch directory, reads it back, and removes it. */
export function synthesize(env: NodeJS.ProcessEnv, root: string): SynthesizedStacks {
  const outdir = mkdtempSync(join(tmpdir(), 'platform-cost-'));
  try {
    const context = JSON.parse(readFileSync(join(root, 'cdktf.json'), 'utf8')).context ?? {};
    const app = new App({ outdir, stackTraces: false, context });
    buildPlatform(app, env);
    app.synth();
    return readSynthesized(outdir);
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}
