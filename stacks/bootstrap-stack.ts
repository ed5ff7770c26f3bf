/**
 * `bootstrap`: what the layers' state and CI need before any layer exists, deployed once per account, region
 * and environment suffix, and only when `BOOTSTRAP=1` selects it (main.ts), so `cdktf deploy` of the layers
 * never picks it up. The state bucket with its own KMS key, the optional lock table, GitHub's OIDC provider
 * and the plan and apply roles of the workflows. Its own state is local (beside the layers' local state) until
 * it is migrated into the bucket it created (BOOTSTRAP_STATE=s3; README, "State bootstrap").
 */
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { LocalBackend, S3Backend, TerraformOutput, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { posix } from 'path';
import { ownAccountId, ownPartition } from '../modules/core/account';
import { stateLocation } from '../modules/core/backend';
import { Config, LAYERS } from '../modules/core/config';
import { Naming } from '../modules/core/naming';
import { enforcePolicies } from '../modules/core/policy-check';
import { layerTags } from '../modules/core/tagging';
import { BootstrapConfig, derivedBucketName } from '../modules/bootstrap/config';
import { APPLY_MANAGED_POLICIES, applyStatements, PLAN_MANAGED_POLICIES, planStatements, PlatformScope, StateAccess } from '../modules/bootstrap/deploy-permissions';
import { GithubActionsRole, GithubOidcProvider } from '../modules/bootstrap/github-oidc';
import { LockTable } from '../modules/bootstrap/lock-table';
import { StateBucket } from '../modules/bootstrap/state-bucket';
import { StateKey } from '../modules/bootstrap/state-key';
import { RotationFunction } from '../modules/data/rotation-function';

export const BOOTSTRAP_STACK = 'bootstrap';
const BOOTSTRAP_STATE_FILE = 'bootstrap.tfstate';

export class BootstrapStack extends TerraformStack {
  readonly naming: Naming;

  constructor(scope: Construct, readonly config: Config, bootstrap: BootstrapConfig) {
    super(scope, BOOTSTRAP_STACK);
    const naming = this.naming = new Naming(config.project, config.environmentSuffix, config.region);
    const region = config.state.region;
    useBootstrapBackend(this, config, bootstrap);
    new AwsProvider(this, 'aws', { region, defaultTags: [{ tags: layerTags(config, BOOTSTRAP_STACK) }] });

    const account = ownAccountId(this);
    const partition = ownPartition(this);
    const bucketName = bootstrap.bucketName ?? derivedBucketName(config, account);
    const lockTableName = bootstrap.lockTable;
    const layerStateKeys = LAYERS.map((layer) => stateLocation({ ...config, state: { bucket: bucketName, region, lockTable: lockTableName } }, layer).s3!.key);

    const { github } = bootstrap;
    const provider = new GithubOidcProvider(this, 'github-oidc', { naming, mode: github.oidcProvider });
    const repository = `repo:${github.org}/${github.repo}`;
    // Roles first (trust only), then the key that names them, then their permissions that name the key.
    const planRoleName = naming.globalName('github-plan');
    const applyRoleName = naming.globalName('github-apply');
    const roleArn = (name: string) => `arn:${partition}:iam::${account}:role/${name}`;
    const key = new StateKey(this, 'state-key', {
      naming, region, userArns: [roleArn(planRoleName), roleArn(applyRoleName), ...bootstrap.stateKeyUsers],
    });
    const bucket = new StateBucket(this, 'state-bucket', {
      naming, bucketName, kmsKeyArn: key.key.arn, noncurrentVersionDays: bootstrap.noncurrentVersionDays, accessLogBucket: bootstrap.accessLogBucket,
    });
    const lockTable = lockTableName ? new LockTable(this, 'lock-table', { naming, tableName: lockTableName, kmsKeyArn: key.key.arn }) : undefined;

    const platform: PlatformScope = { partition, account, region: config.region, project: config.project, environmentSuffix: config.environmentSuffix };
    const state: StateAccess = { bucketArn: bucket.bucket.arn, stateKeys: layerStateKeys, kmsKeyArn: key.key.arn, lockTableArn: lockTable?.table.arn };
    const plan = new GithubActionsRole(this, 'plan-role', {
      name: planRoleName,
      description: `Read-only: cdktf diff of ${config.project} ${config.environmentSuffix} from pull requests of ${github.org}/${github.repo}`,
      providerArn: provider.arn,
      subjects: [`${repository}:pull_request`],
      awsManagedPolicies: PLAN_MANAGED_POLICIES,
      statements: planStatements(platform, state, [RotationFunction.logGroupName(RotationFunction.functionName(naming))]),
    });
    const apply = new GithubActionsRole(this, 'apply-role', {
      name: applyRoleName,
      description: `cdktf deploy of ${config.project} ${config.environmentSuffix} from the ${github.environment} environment of ${github.org}/${github.repo}`,
      providerArn: provider.arn,
      subjects: [`${repository}:environment:${github.environment}`],
      awsManagedPolicies: APPLY_MANAGED_POLICIES,
      statements: applyStatements(platform, state, { roleArns: [roleArn(planRoleName), roleArn(applyRoleName)], bucketArn: bucket.bucket.arn, kmsKeyArn: key.key.arn }),
    });

    // What STATE_BUCKET, STATE_REGION and STATE_LOCK_TABLE take, and what the workflows' variables take.
    const output = (id: string, value: string, description: string) => new TerraformOutput(this, id, { value, description, staticId: true });
    output('StateBucket', bucket.bucket.bucket, 'Set STATE_BUCKET to this.');
    output('StateRegion', region, 'Set STATE_REGION to this (when it differs from AWS_REGION).');
    if (lockTable) output('StateLockTable', lockTable.table.name, 'Set STATE_LOCK_TABLE to this.');
    output('StateKmsKeyArn', key.key.arn, 'The key state is encrypted with; set STATE_KMS_KEY_ID to this.');
    output('PlanRoleArn', plan.role.arn, 'GitHub variable PLAN_ROLE_ARN: the role pull requests run cdktf diff with.');
    output('ApplyRoleArn', apply.role.arn, `GitHub variable APPLY_ROLE_ARN of the ${github.environment} environment: the role deployments run with.`);
    output('GithubOidcProviderArn', provider.arn, 'The account\'s GitHub OIDC provider (GITHUB_OIDC_PROVIDER=existing in a second bootstrap of this account).');
  }

  /** The platform policies apply here as in every layer (LayerStack.toTerraform). */
  override toTerraform(): any {
    const synthesized = super.toTerraform();
    enforcePolicies(this, synthesized, this.config, []);
    return synthesized;
  }
}

/** Local state beside the layers' local state, or, once migrated, S3 beside the layers' state objects. */
function useBootstrapBackend(stack: TerraformStack, config: Config, bootstrap: BootstrapConfig): void {
  const beside = (path: string) => posix.join(posix.dirname(path), BOOTSTRAP_STATE_FILE);
  if (bootstrap.state === 'local') {
    const layerState = stateLocation({ ...config, state: { region: config.state.region } }, LAYERS[0]).local!;
    new LocalBackend(stack, { path: beside(layerState.path!) });
    return;
  }
  const layerState = stateLocation(config, LAYERS[0]).s3!;
  new S3Backend(stack, { ...layerState, key: beside(layerState.key) });
  stack.addOverride('terraform.backend.s3.use_lockfile', true);
}
