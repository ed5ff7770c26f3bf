/**
 * The esbuild bundles (the cdktf app, the rotation function and the operator commands check, verify and cost), rebuilt only when one of their inputs
 * changed. esbuild's metafile names every file a bundle read; its size and mtime are kept beside the bundle
 * (`<outfile>.inputs.json`), so an unchanged tree costs a few hundred stat calls instead of a build.
 * esbuild itself is loaded only when something must be built.
 *
 *   node scripts/build.mjs            every bundle, if changed
 *   node scripts/build.mjs app        some of them (app | rotation | check | verify | cost)
 *   node scripts/build.mjs --force    rebuild regardless
 *   node scripts/build.mjs rotation --outfile=<path>   one bundle, to another place: always built, no record kept
 */
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Every bundle, with the esbuild options that make it; changing an option forces a rebuild. */
export const BUNDLES = {
  // Whitespace and syntax minified (names kept, so errors stay readable): a third less for node to compile on every synth.
  app: {
    entryPoints: ['main.ts'], outfile: 'dist/main.js', target: 'node20', minifyWhitespace: true, minifySyntax: true,
  },
  rotation: { entryPoints: ['lambda/rotation/index.ts'], outfile: 'dist/rotation/index.js', target: 'node24' },
  check: { entryPoints: ['cli/check.ts'], outfile: 'dist/check.js', target: 'node20' },
  verify: { entryPoints: ['cli/verify/main.ts'], outfile: 'dist/verify.js', target: 'node20' },
  // The estimate synthesizes the platform in-process through main.ts, whose own entry point must stay asleep.
  cost: { entryPoints: ['cli/cost/main.ts'], outfile: 'dist/cost.js', target: 'node20', define: { 'require.main': 'undefined' } },
};
const COMMON_OPTIONS = {
  bundle: true, platform: 'node', format: 'cjs', logLevel: 'warning',
  // The app layer's boot script and systemd units are files in the repository, bundled as text.
  loader: { '.sh': 'text', '.service': 'text', '.timer': 'text', '.conf': 'text' },
};
/** Files esbuild reads without listing them as inputs: module resolution and compiler settings. */
const IMPLICIT_INPUTS = ['package.json', 'package-lock.json', 'tsconfig.json'];

const stampOf = (bundle) => join(ROOT, `${bundle.outfile}.inputs.json`);
const fingerprint = (path) => {
  try {
    const { size, mtimeMs } = statSync(join(ROOT, path));
    return `${size}:${mtimeMs}`;
  } catch {
    return 'missing';
  }
};

function writeAtomically(path, contents) {
  mkdirSync(dirname(path), { recursive: true });
  const aside = `${path}.${process.pid}.tmp`;
  writeFileSync(aside, contents);
  renameSync(aside, path);
}

/** Whether `bundle` is built from exactly the inputs (and options) recorded at its last build. */
export function isFresh(bundle) {
  if (!existsSync(join(ROOT, bundle.outfile))) return false;
  let stamp;
  try {
    stamp = JSON.parse(readFileSync(stampOf(bundle), 'utf8'));
  } catch {
    return false;
  }
  if (JSON.stringify(stamp.options) !== JSON.stringify(bundle)) return false;
  return Object.entries(stamp.inputs).every(([path, recorded]) => fingerprint(path) === recorded);
}

/** Builds the bundles named (all by default) whose inputs changed; returns the names it built. */
export async function buildBundles(names = Object.keys(BUNDLES), { force = false, outfile: requested } = {}) {
  // Another place than the bundle's own is a copy: always built, no record kept.
  const outfile = names.length === 1 && requested && resolve(ROOT, requested) !== resolve(ROOT, BUNDLES[names[0]].outfile) ? requested : undefined;
  const stale = names.filter((name) => force || outfile || !isFresh(BUNDLES[name]));
  if (stale.length === 0) return [];
  const esbuild = await import('esbuild');
  await Promise.all(stale.map(async (name) => {
    const bundle = outfile ? { ...BUNDLES[name], outfile } : BUNDLES[name];
    const started = Date.now();
    const result = await esbuild.build({ ...COMMON_OPTIONS, ...bundle, absWorkingDir: ROOT, metafile: true, write: false });
    // Written aside and renamed into place: a synthesis running meanwhile reads the old bundle or the new, never half of one.
    for (const file of result.outputFiles) writeAtomically(file.path, file.contents);
    const inputs = [...Object.keys(result.metafile.inputs), ...IMPLICIT_INPUTS];
    // A file saved while esbuild ran may not be in the bundle: no stamp, so the next run builds again.
    if (outfile) return;
    if (inputs.some((path) => existsSync(join(ROOT, path)) && statSync(join(ROOT, path)).mtimeMs >= started)) return;
    writeAtomically(stampOf(bundle), JSON.stringify({ options: bundle, inputs: Object.fromEntries(inputs.map((path) => [path, fingerprint(path)])) }));
  }));
  return stale;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const outfile = args.find((arg) => arg.startsWith('--outfile='))?.slice('--outfile='.length);
  const names = args.filter((arg) => !arg.startsWith('--'));
  const unknown = names.filter((name) => !(name in BUNDLES));
  if (unknown.length > 0) {
    console.error(`Unknown bundle ${unknown.join(', ')}: use ${Object.keys(BUNDLES).join(', ')}`);
    process.exit(2);
  }
  if (outfile && names.length !== 1) {
    console.error(`--outfile builds one bundle: name it (${Object.keys(BUNDLES).join(', ')})`);
    process.exit(2);
  }
  await buildBundles(names.length > 0 ? names : undefined, { force: args.includes('--force'), outfile });
}
