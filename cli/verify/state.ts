/**
 * Each layer's outputs, read from its state where the layers keep it (modules/core/backend.ts `stateLocation`,
 * the same description the layers' backends and readers derive from):
 * - local state: the state file itself (Terraform's JSON state, format version 4), no Terraform needed;
 * - S3 state: `terraform output -json` in a scratch directory holding only the layer's backend block, as
 *   `useLayerBackend` writes it. The S3 backend is built into Terraform, so this needs no provider download,
 *   only `terraform` on PATH and read access to the state object (s3:GetObject, s3:ListBucket; kms:Decrypt when
 *   the bucket encrypts with a KMS key). It does not take the state lock: reading outputs changes nothing.
 */
import { execFile } from 'child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join, resolve } from 'path';
import { promisify } from 'util';
import { App, TerraformStack } from 'cdktf';
import { stateLocation, useLayerBackend } from '../../modules/core/backend';
import { Config, Layer } from '../../modules/core/config';

/** Output name to value (a string, a number or a list) as the state holds it. */
export type StateOutputs = Readonly<Record<string, unknown>>;

export class StateUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StateUnavailableError';
  }
}

export interface StateReaderOptions {
  /** The repository root: cdktf.json and the cdktf output directory. */
  readonly root: string;
  /** @default 'terraform' */
  readonly terraform?: string;
  /** Limit for each Terraform command. @default 120000 */
  readonly terraformTimeoutMs?: number;
}

export async function readStateOutputs(config: Config, layer: Layer, options: StateReaderOptions): Promise<StateOutputs> {
  const location = stateLocation(config, layer);
  if (location.local) {
    // Terraform runs each stack in <cdktf output>/stacks/<layer>; the backend's relative path starts there.
    const outdir = JSON.parse(readFileSync(join(options.root, 'cdktf.json'), 'utf8')).output ?? 'cdktf.out';
    const file = resolve(options.root, outdir, 'stacks', layer, location.local.path!);
    if (!existsSync(file)) throw new StateUnavailableError(`no state at ${file}: the ${layer} layer is not deployed with these settings (same ENVIRONMENT_SUFFIX, AWS_REGION and STATE_BUCKET as the deploy?)`);
    return outputsOfStateFile(readFileSync(file, 'utf8'), file);
  }
  const stack = new TerraformStack(new App({ outdir: tmpdir(), stackTraces: false }), layer);
  useLayerBackend(stack, config, layer);
  const backend = (stack.toTerraform() as { terraform: { backend: Record<string, unknown> } }).terraform.backend;
  return terraformOutputs(backend, options);
}

/** The outputs of a Terraform state file (JSON, format version 4). */
export function outputsOfStateFile(text: string, where: string): StateOutputs {
  const state = JSON.parse(text);
  if (state.version !== 4) throw new StateUnavailableError(`${where} is not a Terraform state of format version 4`);
  return Object.fromEntries(Object.entries<{ value: unknown }>(state.outputs ?? {}).map(([name, output]) => [name, output.value]));
}

const run = promisify(execFile);

/** `terraform init` and `terraform output -json` against `backend` (a Terraform JSON backend block), in a scratch directory. */
export async function terraformOutputs(backend: Record<string, unknown>, options: StateReaderOptions): Promise<StateOutputs> {
  const directory = mkdtempSync(join(tmpdir(), 'platform-verify-state-'));
  const terraform = options.terraform ?? 'terraform';
  const settings = {
    cwd: directory,
    timeout: options.terraformTimeoutMs ?? 120_000,
    killSignal: 'SIGKILL' as const,
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, TF_IN_AUTOMATION: '1', TF_INPUT: '0', CHECKPOINT_DISABLE: '1' },
  };
  try {
    writeFileSync(join(directory, 'main.tf.json'), JSON.stringify({ terraform: { backend } }));
    try {
      await run(terraform, ['init', '-input=false', '-no-color', '-lock=false'], settings);
      const { stdout } = await run(terraform, ['output', '-json', '-no-color'], settings);
      return Object.fromEntries(Object.entries<{ value: unknown }>(JSON.parse(stdout)).map(([name, output]) => [name, output.value]));
    } catch (error) {
      const failure = error as { killed?: boolean; stderr?: string; message: string };
      throw new StateUnavailableError(failure.killed
        ? `terraform did not answer within ${settings.timeout} ms reading the state`
        : `terraform could not read the state: ${(failure.stderr || failure.message).trim().split('\n').slice(0, 5).join(' ')}`);
    }
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}
