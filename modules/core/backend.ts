/**
 * Where each layer keeps its state, and how another layer reads it. Both sides derive from one
 * description (stateLocation), so a writer and its readers can never disagree.
 *
 * - STATE_BUCKET set: S3, key `<project>/<region>/<suffix>/<layer>.tfstate`, encrypted, with S3-native lock
 *   files (`use_lockfile`, Terraform 1.10+) and, if STATE_LOCK_TABLE is set, a DynamoDB lock too.
 * - Otherwise: local state in the repository's `state/<region>/<suffix>/` folder, written as a path relative
 *   to the stack's working directory (`cdktf.out/stacks/<layer>`), so no machine path is synthesized.
 *
 * The region is part of both: the same project and suffix in a second region (a disaster-recovery copy)
 * is another environment, and must never read or overwrite the first one's state.
 */
import {
  DataTerraformRemoteStateLocal, DataTerraformRemoteStateS3, LocalBackend, LocalBackendConfig, S3Backend, S3BackendConfig,
  TerraformRemoteState, TerraformStack,
} from 'cdktf';
import { Construct } from 'constructs';
import { Config, Layer } from './config';

/** From `cdktf.out/stacks/<layer>`, where Terraform runs, back to the repository root. */
const STACK_DIR_TO_REPO_ROOT = '../../..';

export type StateLocation = { readonly s3: S3BackendConfig; readonly local?: never } | { readonly local: LocalBackendConfig; readonly s3?: never };

export function stateLocation(config: Config, layer: Layer): StateLocation {
  const { bucket, lockTable, kmsKeyId, region } = config.state;
  if (!bucket) {
    return { local: { path: `${STACK_DIR_TO_REPO_ROOT}/state/${config.region}/${config.environmentSuffix}/${layer}.tfstate` } };
  }
  return {
    s3: {
      bucket,
      key: `${config.project}/${config.region}/${config.environmentSuffix}/${layer}.tfstate`,
      region,
      encrypt: true,
      // Without a key the S3 backend asks for S3's own encryption (AES256) on every write.
      ...(kmsKeyId ? { kmsKeyId } : {}),
      ...(lockTable ? { dynamodbTable: lockTable } : {}),
    },
  };
}

/** Configures the backend the layer's own state lives in. */
export function useLayerBackend(stack: TerraformStack, config: Config, layer: Layer): void {
  const location = stateLocation(config, layer);
  if (location.local) {
    new LocalBackend(stack, location.local);
    return;
  }
  new S3Backend(stack, location.s3);
  // cdktf 0.21's S3BackendConfig predates S3-native locking (Terraform 1.10+), so it goes in as an override.
  stack.addOverride('terraform.backend.s3.use_lockfile', true);
}

/** A reader of another layer's state, configured exactly as that layer's backend. */
export function readLayerState(scope: Construct, id: string, config: Config, layer: Layer): TerraformRemoteState {
  const location = stateLocation(config, layer);
  if (location.local) return new DataTerraformRemoteStateLocal(scope, id, location.local);
  const reader = new DataTerraformRemoteStateS3(scope, id, location.s3);
  reader.addOverride('config.use_lockfile', true);
  return reader;
}
