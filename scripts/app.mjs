/**
 * The cdktf app command (`app` in cdktf.json): one process that brings the bundles up to date (esbuild's
 * API, nothing built when no input changed) and then synthesizes in-process from the app bundle. cdktf
 * synth, diff and deploy all wait for this, so it avoids npm and a second node process.
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { buildBundles, BUNDLES, ROOT } from './build.mjs';

// The check command's bundle is built when it is first run, not on every synthesis.
await buildBundles(['app', 'rotation']);
const { synthesize } = createRequire(import.meta.url)(join(ROOT, BUNDLES.app.outfile));
process.exitCode = synthesize();
