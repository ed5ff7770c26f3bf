/**
 * What the GitHub roles may do. Both reach the state the same way (the layers' state objects and their lock
 * files, the state key through S3, the lock table); beyond that:
 *
 * - plan (pull requests, `cdktf diff`): AWS's ReadOnlyAccess, because Terraform's refresh reads every
 *   resource type the layers manage and EC2, ELB and Auto Scaling offer no resource scope for their Describe
 *   calls; plus reading the platform's own secrets, which refreshing a secret version does; minus reading data
 *   that a plan never needs (objects in other buckets, table items, log events, database log files).
 * - apply (deployments, `cdktf deploy`): AWS's managed policies for the services the layers create (EC2 with
 *   ELB and Auto Scaling, RDS, Lambda, Secrets Manager, CloudWatch Logs, KMS key management), S3 and IAM
 *   only on the platform's own buckets and roles, and nothing on the bootstrap's own roles, bucket and key,
 *   so a deployment can never widen its own rights or weaken where state is kept.
 *
 * The platform's policy rules refuse inline grants on `*` and `service:*`; managed policies are how AWS offers
 * the Describe-style access that has no resource scope.
 */
import { DataAwsIamPolicyDocumentStatement } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';

export interface StateAccess {
  readonly bucketArn: string;
  /** Every layer's state object key. */
  readonly stateKeys: string[];
  readonly kmsKeyArn: string;
  readonly lockTableArn?: string;
}

export interface PlatformScope {
  readonly partition: string;
  readonly account: string;
  readonly region: string;
  readonly project: string;
  readonly environmentSuffix: string;
}

/** Terraform's S3 backend puts `<key>.tflock` beside the state while it holds the lock (use_lockfile). */
export const LOCK_FILE_SUFFIX = '.tflock';

export const PLAN_MANAGED_POLICIES = ['ReadOnlyAccess'];
export const APPLY_MANAGED_POLICIES = [
  'AmazonEC2FullAccess', 'AmazonRDSFullAccess', 'AWSLambda_FullAccess', 'SecretsManagerReadWrite',
  'CloudWatchLogsFullAccess', 'AWSKeyManagementServicePowerUser',
  // The alerts topic, the EventBridge rules, and the backup vault, plan, selection and restore test.
  'AmazonSNSFullAccess', 'AmazonEventBridgeFullAccess', 'AWSBackupFullAccess',
];
/** AWS managed policies the layers attach to their service roles; the apply role may attach these and no others. */
export const ATTACHABLE_MANAGED_POLICIES = ['service-role/*', 'AmazonSSMManagedInstanceCore', 'CloudWatchAgentServerPolicy'];

/** `<project>-*-<suffix>`: every name Naming gives this environment (`globalName` too). */
const ownNames = (scope: PlatformScope) => `${scope.project}-*-${scope.environmentSuffix}`;

/** Reading the state (every layer reads the earlier ones), taking its lock; `write` adds saving it. */
export function stateStatements(state: StateAccess, write: boolean): DataAwsIamPolicyDocumentStatement[] {
  const objects = state.stateKeys.map((key) => `${state.bucketArn}/${key}`);
  const lockFiles = objects.map((object) => `${object}${LOCK_FILE_SUFFIX}`);
  return [
    // Terraform lists the bucket to find workspaces; listing shows key names, never contents.
    { sid: 'ListsTheStateBucket', effect: 'Allow', actions: ['s3:ListBucket'], resources: [state.bucketArn] },
    { sid: write ? 'ReadsAndWritesState' : 'ReadsState', effect: 'Allow', actions: write ? ['s3:GetObject', 's3:PutObject'] : ['s3:GetObject'], resources: objects },
    { sid: 'LocksState', effect: 'Allow', actions: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'], resources: lockFiles },
    { sid: 'UsesTheStateKey', effect: 'Allow', actions: ['kms:Decrypt', 'kms:GenerateDataKey'], resources: [state.kmsKeyArn] },
    ...(state.lockTableArn ? [{
      sid: 'LocksStateInTheTable', effect: 'Allow',
      actions: ['dynamodb:DescribeTable', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:DeleteItem'],
      resources: [state.lockTableArn],
    }] : []),
  ];
}

/**
 * @param readableLogGroups log groups the plan role may read although it reads no other records: the rotation
 *   function's, whose errors `npm run verify` counts (the function never logs a secret value).
 */
export function planStatements(scope: PlatformScope, state: StateAccess, readableLogGroups: readonly string[] = []): DataAwsIamPolicyDocumentStatement[] {
  const { partition, account, region } = scope;
  const logGroupArns = readableLogGroups.map((name) => `arn:${partition}:logs:${region}:${account}:log-group:${name}`);
  const secrets = `arn:${partition}:secretsmanager:${region}:${account}:secret:${ownNames(scope)}-*`;
  return [
    ...stateStatements(state, false),
    // Refreshing an aws_secretsmanager_secret_version reads its value; ReadOnlyAccess does not grant that.
    { sid: 'RefreshesThePlatformSecrets', effect: 'Allow', actions: ['secretsmanager:GetSecretValue'], resources: [secrets] },
    {
      sid: 'DecryptsThemThroughSecretsManager', effect: 'Allow', actions: ['kms:Decrypt'],
      resources: [`arn:${partition}:kms:${region}:${account}:key/*`],
      condition: [
        { test: 'StringEquals', variable: 'kms:ViaService', values: [`secretsmanager.${region}.amazonaws.com`] },
        { test: 'StringLike', variable: 'kms:EncryptionContext:SecretARN', values: [secrets] },
      ],
    },
    {
      // ReadOnlyAccess reads data too; a plan needs the configuration of resources, never their contents.
      sid: 'ReadsNoDataOutsideState', effect: 'Deny',
      actions: ['s3:GetObject', 's3:GetObjectVersion'],
      notResources: [...state.stateKeys.map((key) => `${state.bucketArn}/${key}`), ...state.stateKeys.map((key) => `${state.bucketArn}/${key}${LOCK_FILE_SUFFIX}`)],
    },
    {
      sid: 'ReadsNoRecords', effect: 'Deny',
      actions: [
        'dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:Scan', 'dynamodb:GetRecords',
        'logs:GetLogEvents', 'logs:FilterLogEvents', 'logs:StartQuery', 'logs:GetQueryResults', 'logs:GetLogRecord', 'logs:StartLiveTail',
        'rds:DownloadDBLogFilePortion', 'rds:DownloadCompleteDBLogFile',
      ],
      ...readableRecords(state, logGroupArns),
    },
  ];
}

/** What the plan role's ban on records leaves out: the lock table it locks state in, and the readable log groups. */
function readableRecords(state: StateAccess, logGroupArns: readonly string[]): Pick<DataAwsIamPolicyDocumentStatement, 'resources' | 'notResources'> {
  const readable = [...(state.lockTableArn ? [state.lockTableArn] : []), ...logGroupArns.flatMap((arn) => [arn, `${arn}:*`])];
  return readable.length > 0 ? { notResources: readable } : { resources: ['*'] };
}

export interface BootstrapResources {
  readonly roleArns: string[];
  readonly bucketArn: string;
  readonly kmsKeyArn: string;
}

export function applyStatements(scope: PlatformScope, state: StateAccess, bootstrap: BootstrapResources): DataAwsIamPolicyDocumentStatement[] {
  const { partition, account, region } = scope;
  const iam = (kind: string) => `arn:${partition}:iam::${account}:${kind}/${ownNames(scope)}`;
  return [
    ...stateStatements(state, true),
    {
      sid: 'ManagesThePlatformRoles', effect: 'Allow',
      actions: [
        'iam:CreateRole', 'iam:DeleteRole', 'iam:GetRole', 'iam:UpdateRole', 'iam:UpdateRoleDescription', 'iam:UpdateAssumeRolePolicy',
        'iam:TagRole', 'iam:UntagRole', 'iam:ListRoleTags', 'iam:PutRolePolicy', 'iam:GetRolePolicy', 'iam:DeleteRolePolicy',
        'iam:ListRolePolicies', 'iam:ListAttachedRolePolicies', 'iam:ListInstanceProfilesForRole', 'iam:DetachRolePolicy',
        'iam:CreateInstanceProfile', 'iam:DeleteInstanceProfile', 'iam:GetInstanceProfile', 'iam:AddRoleToInstanceProfile',
        'iam:RemoveRoleFromInstanceProfile', 'iam:TagInstanceProfile', 'iam:UntagInstanceProfile',
      ],
      resources: [iam('role'), iam('instance-profile')],
    },
    {
      sid: 'AttachesOnlyServicePolicies', effect: 'Allow', actions: ['iam:AttachRolePolicy'], resources: [iam('role')],
      condition: [{ test: 'ArnLike', variable: 'iam:PolicyARN', values: ATTACHABLE_MANAGED_POLICIES.map((name) => `arn:${partition}:iam::aws:policy/${name}`) }],
    },
    {
      sid: 'PassesThePlatformRolesToServices', effect: 'Allow', actions: ['iam:PassRole'], resources: [iam('role')],
      condition: [{ test: 'StringLike', variable: 'iam:PassedToService', values: ['ec2.amazonaws.com', 'lambda.amazonaws.com', 'monitoring.rds.amazonaws.com', 'vpc-flow-logs.amazonaws.com', 'backup.amazonaws.com'] }],
    },
    {
      // AWSKeyManagementServicePowerUser creates keys but can neither turn on their rotation, change their policy
      // nor schedule their deletion: allowed here on the keys tagged as this environment's (default_tags tag them
      // at creation), in any region (the backup copy's key lives in BACKUP_COPY_REGION).
      sid: 'ManagesThePlatformKeys', effect: 'Allow',
      actions: ['kms:EnableKeyRotation', 'kms:PutKeyPolicy', 'kms:UpdateKeyDescription', 'kms:ScheduleKeyDeletion', 'kms:CancelKeyDeletion'],
      resources: [`arn:${partition}:kms:*:${account}:key/*`],
      condition: [
        { test: 'StringEquals', variable: 'aws:ResourceTag/Project', values: [scope.project] },
        { test: 'StringEquals', variable: 'aws:ResourceTag/Environment', values: [scope.environmentSuffix] },
      ],
    },
    {
      sid: 'MovesThePlatformKeyAliases', effect: 'Allow', actions: ['kms:UpdateAlias'],
      resources: [`arn:${partition}:kms:*:${account}:alias/${ownNames(scope)}`, `arn:${partition}:kms:*:${account}:key/*`],
    },
    {
      sid: 'ManagesThePlatformBuckets', effect: 'Allow',
      actions: [
        's3:CreateBucket', 's3:DeleteBucket', 's3:ListBucket', 's3:ListBucketVersions', 's3:GetBucket*', 's3:PutBucket*', 's3:DeleteBucketPolicy',
        's3:GetEncryptionConfiguration', 's3:PutEncryptionConfiguration', 's3:GetLifecycleConfiguration', 's3:PutLifecycleConfiguration',
        's3:GetAccelerateConfiguration', 's3:GetReplicationConfiguration', 's3:GetAnalyticsConfiguration', 's3:GetIntelligentTieringConfiguration',
        's3:GetInventoryConfiguration', 's3:GetMetricsConfiguration', 's3:DeleteObject', 's3:DeleteObjectVersion',
      ],
      resources: [`arn:${partition}:s3:::${scope.project}-*`, `arn:${partition}:s3:::${scope.project}-*/*`],
    },
    {
      // RDS, Secrets Manager and AWS Backup use customer keys with the caller's rights (grants, data keys); a backup
      // vault in BACKUP_COPY_REGION too.
      sid: 'UsesThePlatformKeysThroughServices', effect: 'Allow',
      actions: ['kms:Encrypt', 'kms:Decrypt', 'kms:GenerateDataKey', 'kms:CreateGrant', 'kms:DescribeKey'],
      resources: [`arn:${partition}:kms:*:${account}:key/*`],
      condition: [{ test: 'StringLike', variable: 'kms:ViaService', values: [...['rds', 'secretsmanager', 'lambda'].map((service) => `${service}.${region}.amazonaws.com`), 'backup.*.amazonaws.com'] }],
    },
    {
      // The latest Amazon Linux image for the app servers is a public SSM parameter.
      sid: 'ReadsPublicParameters', effect: 'Allow', actions: ['ssm:GetParameter', 'ssm:GetParameters'],
      resources: [`arn:${partition}:ssm:${region}::parameter/aws/service/*`],
    },
    {
      sid: 'NeverChangesTheBootstrapRoles', effect: 'Deny',
      actions: ['iam:UpdateAssumeRolePolicy', 'iam:PutRolePolicy', 'iam:DeleteRolePolicy', 'iam:AttachRolePolicy', 'iam:DetachRolePolicy', 'iam:DeleteRole', 'iam:UpdateRole', 'iam:TagRole', 'iam:UntagRole', 'iam:PutRolePermissionsBoundary', 'iam:DeleteRolePermissionsBoundary'],
      resources: bootstrap.roleArns,
    },
    {
      sid: 'NeverChangesTheStateBucket', effect: 'Deny',
      actions: ['s3:DeleteBucket', 's3:PutBucket*', 's3:DeleteBucketPolicy', 's3:PutEncryptionConfiguration', 's3:PutLifecycleConfiguration', 's3:DeleteObjectVersion'],
      resources: [bootstrap.bucketArn, `${bootstrap.bucketArn}/*`],
    },
    {
      sid: 'NeverChangesTheStateKey', effect: 'Deny',
      actions: ['kms:PutKeyPolicy', 'kms:ScheduleKeyDeletion', 'kms:DisableKey', 'kms:DisableKeyRotation', 'kms:CreateGrant', 'kms:RevokeGrant', 'kms:UpdateAlias', 'kms:DeleteAlias'],
      resources: [bootstrap.kmsKeyArn],
    },
  ];
}
