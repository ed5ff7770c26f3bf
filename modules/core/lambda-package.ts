/**
 * A Lambda deployment package made from an esbuild bundle: one `index.js` in a deterministic zip, so an
 * unchanged build keeps its `source_code_hash` and the plan shows no change. Compressing takes about
 * 0.1-0.2 s, so the package is kept beside the bundle under the bundle's hash and made again only when the
 * bundle changes.
 */
import { createHash } from 'crypto';
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'fs';
import { basename, dirname, join } from 'path';
import { deterministicZip } from './zip';

export interface LambdaPackage {
  /** The zip file, for a TerraformAsset to copy into the stack. */
  readonly path: string;
  /** Base64 SHA-256 of the zip, as Lambda's `source_code_hash` takes it. */
  readonly sourceCodeHash: string;
}

const PACKAGE_NAME = /^package-[0-9a-f]{16}\.zip$/;

export function lambdaPackage(bundlePath: string, what: string): LambdaPackage {
  if (!existsSync(bundlePath)) throw new Error(`The ${what} is not built (${basename(bundlePath)} is missing): run npm run build`);
  const bundle = readFileSync(bundlePath);
  const folder = dirname(bundlePath);
  const name = `package-${createHash('sha256').update(bundle).digest('hex').slice(0, 16)}.zip`;
  const path = join(folder, name);
  let zip: Buffer;
  if (existsSync(path)) {
    zip = readFileSync(path);
  } else {
    zip = deterministicZip([{ name: 'index.js', content: bundle }]);
    // Written under a temporary name and renamed, so a parallel synthesis never reads half a file.
    const staged = `${path}.${process.pid}.partial`;
    writeFileSync(staged, zip);
    renameSync(staged, path);
    for (const stale of readdirSync(folder).filter((file) => PACKAGE_NAME.test(file) && file !== name)) rmSync(join(folder, stale), { force: true });
  }
  return { path, sourceCodeHash: createHash('sha256').update(zip).digest('base64') };
}
