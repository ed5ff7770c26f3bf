import { Testing } from 'cdktf';
import { buildPlatform } from '../main';
import { bucketNameProblem, BOOTSTRAP_SETTINGS } from '../modules/bootstrap/config';
import { stateLocation } from '../modules/core/backend';
import { LAYERS, loadConfig } from '../modules/core/config';
import { KEY_ADMINISTRATION_ACTIONS } from '../modules/core/kms-key';
import { policyDocument, resourcesOf, StackJson } from './support/synth';
import { readFileSync } from 'fs';
import { join } from 'path';

const GITHUB = { BOOTSTRAP: '1', GITHUB_ORG: 'acme', GITHUB_REPO: 'platform' };
const ACCOUNT = '${data.aws_caller_identity.caller-identity.account_id}';
const PARTITION = '${data.aws_partition.partition.partition}';

function synthBootstrap(env: Record<string, string> = {}): StackJson {
  const app = Testing.app();
  buildPlatform(app, { ...GITHUB, ...env });
  expect(app.node.children.map((child) => child.node.id)).toEqual(['bootstrap']);
  return JSON.parse(Testing.synth(app.node.findChild('bootstrap') as any));
}

const only = (json: StackJson, type: string): Record<string, any> => {
  const all = Object.values(resourcesOf(json, type));
  expect(all).toHaveLength(1);
  return all[0];
};
const statement = (document: { statement: Array<Record<string, any>> }, sid: string) => {
  const found = document.statement.find((item) => item.sid === sid);
  if (!found) throw new Error(`no statement ${sid}`);
  return found;
};
const condition = (item: Record<string, any>, variable: string) => item.condition.find((entry: any) => entry.variable === variable);
const roleNamed = (json: StackJson, name: string) => Object.values(resourcesOf(json, 'aws_iam_role')).find((role) => role.name === name)!;
const rolePolicy = (json: StackJson, name: string) => policyDocument(json, Object.values(resourcesOf(json, 'aws_iam_role_policy')).find((policy) => policy.name === name)!.policy);
const attachedPolicies = (json: StackJson, roleName: string) => Object.values(resourcesOf(json, 'aws_iam_role_policy_attachment'))
  .filter((attachment) => attachment.role === `\${aws_iam_role.${Object.entries(resourcesOf(json, 'aws_iam_role')).find(([, role]) => role.name === roleName)![0]}.name}`)
  .map((attachment) => attachment.policy_arn.split('/').pop()).sort();

describe('bootstrap selection', () => {
  it('is never built without BOOTSTRAP, and alone when BOOTSTRAP=1', () => {
    const layers = Testing.app();
    buildPlatform(layers, { GITHUB_ORG: 'acme', GITHUB_REPO: 'platform' });
    expect(layers.node.children.map((child) => child.node.id)).toEqual(['network', 'data', 'app']);
    for (const off of ['', '0', 'false']) {
      const app = Testing.app();
      buildPlatform(app, { BOOTSTRAP: off });
      expect(app.node.tryFindChild('bootstrap')).toBeUndefined();
    }
    synthBootstrap({ BOOTSTRAP: 'true' });
  });

  it('cannot be switched on from cdktf.json context', () => {
    const app = Testing.app({ context: { bootstrap: '1', BOOTSTRAP: '1' } });
    buildPlatform(app, {});
    expect(app.node.tryFindChild('bootstrap')).toBeUndefined();
  });

  it('refuses a BOOTSTRAP value it does not know', () => {
    expect(() => buildPlatform(Testing.app(), { BOOTSTRAP: 'yes' })).toThrow(/BOOTSTRAP "yes" is not allowed: use 1 or true/);
  });
});

describe('bootstrap settings', () => {
  const problems = (env: Record<string, string>) => {
    try {
      buildPlatform(Testing.app(), { BOOTSTRAP: '1', ...env });
    } catch (error) {
      return (error as Error).message;
    }
    return '';
  };

  it('needs the GitHub organisation and repository, and says so for both at once', () => {
    const message = problems({});
    expect(message).toContain('GITHUB_ORG is not set but the bootstrap needs it');
    expect(message).toContain('GITHUB_REPO is not set but the bootstrap needs it');
  });

  it.each([
    [{ GITHUB_ORG: '-acme' }, 'GITHUB_ORG "-acme" is not allowed'],
    [{ GITHUB_ORG: 'acme*' }, 'GITHUB_ORG "acme*" is not allowed'],
    [{ GITHUB_ORG: 'a'.repeat(40) }, 'is not allowed: the GitHub organisation'],
    [{ GITHUB_REPO: 'platform.git' }, 'GITHUB_REPO "platform.git" is not allowed: give the repository name as GitHub shows it'],
    [{ GITHUB_REPO: 'acme/platform' }, 'GITHUB_REPO "acme/platform" is not allowed'],
    [{ GITHUB_ENVIRONMENT: 'prod*' }, 'GITHUB_ENVIRONMENT "prod*" is not allowed'],
    [{ GITHUB_OIDC_PROVIDER: 'maybe' }, 'GITHUB_OIDC_PROVIDER "maybe" is not allowed: use one of create, existing'],
    [{ STATE_KEY_USERS: 'arn:aws:iam::123456789012:role/Admin,admin' }, 'STATE_KEY_USERS "admin" is not allowed'],
    [{ STATE_NONCURRENT_VERSION_DAYS: '0' }, 'STATE_NONCURRENT_VERSION_DAYS "0" is not allowed: use a whole number of days from 1 to 3650'],
    [{ BOOTSTRAP_LOCK_TABLE: 'yes' }, 'BOOTSTRAP_LOCK_TABLE "yes" is not allowed: use one of true, false'],
    [{ BOOTSTRAP_STATE: 's3' }, 'BOOTSTRAP_STATE "s3" needs STATE_BUCKET'],
    [{ STATE_ACCESS_LOG_BUCKET: 'Logs' }, 'STATE_ACCESS_LOG_BUCKET "Logs" is not allowed'],
  ])('refuses %j', (env, message) => {
    expect(problems({ GITHUB_ORG: 'acme', GITHUB_REPO: 'platform', ...env })).toContain(message);
  });

  it.each([
    ['xn--state', 'start with xn--'], ['sthree-state', 'start with sthree-'], ['amzn-s3-demo-state', 'start with amzn-s3-demo-'],
    ['state-s3alias', 'end with -s3alias'], ['state--ol-s3', 'end with --ol-s3'], ['state--x-s3', 'end with --x-s3'], ['state--table-s3', 'end with --table-s3'],
    ['acme.state', 'no dots'], ['ab', '3 to 63'],
  ])('refuses to create the state bucket %s (%s)', (bucket, reason) => {
    expect(bucketNameProblem(bucket)).toContain(reason);
  });

  it('refuses a configured STATE_BUCKET S3 reserves, and a project that makes the derived name reserved', () => {
    expect(problems({ GITHUB_ORG: 'acme', GITHUB_REPO: 'platform', STATE_BUCKET: 'sthree-state' }))
      .toContain('STATE_BUCKET "sthree-state" cannot be created: S3 reserves names that start with sthree-');
    expect(problems({ GITHUB_ORG: 'acme', GITHUB_REPO: 'platform', PROJECT_NAME: 'sthree' }))
      .toContain('PROJECT_NAME "sthree" is not allowed: AWS refuses S3 bucket names that begin with "sthree-"');
  });

  it('documents every setting in the README as the code declares it', () => {
    const readme = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');
    for (const setting of Object.values(BOOTSTRAP_SETTINGS)) {
      const shownDefault = 'default' in setting ? `\`${setting.default}\`` : setting.defaultDoc;
      expect(readme).toContain(`| \`${setting.env}\` | \`${setting.context}\` | ${shownDefault} |`);
    }
  });
});

describe('the state bucket', () => {
  const json = synthBootstrap();
  const bucketAddress = Object.keys(resourcesOf(json, 'aws_s3_bucket'))[0];
  const bucketId = `\${aws_s3_bucket.${bucketAddress}.id}`;
  const keyArn = `\${aws_kms_key.${Object.keys(resourcesOf(json, 'aws_kms_key'))[0]}.arn}`;

  it('is named after project, suffix, account and region unless STATE_BUCKET names it, and survives destroy', () => {
    expect(only(json, 'aws_s3_bucket')).toMatchObject({ bucket: `migration-tfstate-dev-${ACCOUNT}-us-east-1`, force_destroy: false, tags: { Name: 'migration-terraform-state-dev' } });
    expect(only(synthBootstrap({ STATE_BUCKET: 'acme-state' }), 'aws_s3_bucket').bucket).toBe('acme-state');
  });

  it('is versioned, encrypted with the state key by default, private and owner-enforced', () => {
    expect(only(json, 'aws_s3_bucket_versioning')).toMatchObject({ bucket: bucketId, versioning_configuration: { status: 'Enabled' } });
    expect(only(json, 'aws_s3_bucket_server_side_encryption_configuration')).toMatchObject({
      bucket: bucketId,
      rule: [{ apply_server_side_encryption_by_default: { sse_algorithm: 'aws:kms', kms_master_key_id: keyArn }, bucket_key_enabled: true }],
    });
    expect(only(json, 'aws_s3_bucket_public_access_block')).toMatchObject({
      bucket: bucketId, block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true,
    });
    expect(only(json, 'aws_s3_bucket_ownership_controls')).toMatchObject({ bucket: bucketId, rule: { object_ownership: 'BucketOwnerEnforced' } });
  });

  it('refuses every request that is not over TLS', () => {
    const policy = only(json, 'aws_s3_bucket_policy');
    expect(policy.depends_on).toEqual(expect.arrayContaining([expect.stringContaining('aws_s3_bucket_public_access_block.')]));
    const deny = statement(policyDocument(json, policy.policy), 'DenyInsecureTransport');
    expect(deny).toMatchObject({
      effect: 'Deny', actions: ['s3:*'], principals: [{ type: '*', identifiers: ['*'] }],
      resources: [`\${aws_s3_bucket.${bucketAddress}.arn}`, `\${aws_s3_bucket.${bucketAddress}.arn}/*`],
      condition: [{ test: 'Bool', variable: 'aws:SecureTransport', values: ['false'] }],
    });
  });

  it('expires replaced state versions after the configured days, keeping the newest ten', () => {
    const rule = (days?: string) => only(days ? synthBootstrap({ STATE_NONCURRENT_VERSION_DAYS: days }) : json, 'aws_s3_bucket_lifecycle_configuration').rule[0];
    expect(rule()).toMatchObject({ status: 'Enabled', noncurrent_version_expiration: [{ noncurrent_days: 90, newer_noncurrent_versions: 10 }], abort_incomplete_multipart_upload: [{ days_after_initiation: 1 }] });
    expect(rule('30').noncurrent_version_expiration[0].noncurrent_days).toBe(30);
  });

  it('logs accesses only when a log bucket is given', () => {
    expect(resourcesOf(json, 'aws_s3_bucket_logging')).toEqual({});
    expect(only(synthBootstrap({ STATE_ACCESS_LOG_BUCKET: 'acme-access-logs' }), 'aws_s3_bucket_logging'))
      .toMatchObject({ target_bucket: 'acme-access-logs', target_prefix: `migration-tfstate-dev-${ACCOUNT}-us-east-1/` });
  });

  it('lives in STATE_REGION when it differs from AWS_REGION', () => {
    const elsewhere = synthBootstrap({ AWS_REGION: 'eu-west-1', STATE_BUCKET: 'acme-state', STATE_REGION: 'eu-central-1' });
    expect(elsewhere.provider.aws[0].region).toBe('eu-central-1');
    expect(elsewhere.output.StateRegion.value).toBe('eu-central-1');
  });
});

describe('the state key', () => {
  const json = synthBootstrap({ STATE_KEY_USERS: 'arn:aws:iam::123456789012:role/Admin' });
  const key = only(json, 'aws_kms_key');
  const policy = policyDocument(json, key.policy);

  it('rotates and has an alias with the suffix', () => {
    expect(key).toMatchObject({ enable_key_rotation: true, deletion_window_in_days: 30 });
    expect(only(json, 'aws_kms_alias').name).toBe('alias/migration-terraform-state-dev');
  });

  it('lets the account administer it without using it', () => {
    const admin = statement(policy, 'AdministeredByTheAccount');
    expect(admin.actions).toEqual(KEY_ADMINISTRATION_ACTIONS);
    expect(admin.actions.filter((action: string) => /Decrypt|Encrypt|GenerateDataKey/.test(action))).toEqual([]);
  });

  it('names its users: the plan and apply roles and STATE_KEY_USERS, through S3 and DynamoDB only', () => {
    const use = statement(policy, 'UsedForStateByItsUsers');
    expect(condition(use, 'aws:PrincipalArn')).toEqual({
      test: 'ArnEquals', variable: 'aws:PrincipalArn',
      values: [
        `arn:${PARTITION}:iam::${ACCOUNT}:role/migration-github-plan-us-east-1-dev`,
        `arn:${PARTITION}:iam::${ACCOUNT}:role/migration-github-apply-us-east-1-dev`,
        'arn:aws:iam::123456789012:role/Admin',
      ],
    });
    expect(condition(use, 'kms:ViaService').values).toEqual(['s3.us-east-1.amazonaws.com', 'dynamodb.us-east-1.amazonaws.com']);
    expect(condition(use, 'kms:CallerAccount').values).toEqual([ACCOUNT]);
  });
});

describe('the lock table', () => {
  it('exists only when asked for, with PITR and the state key, and is an output', () => {
    const without = synthBootstrap();
    expect(resourcesOf(without, 'aws_dynamodb_table')).toEqual({});
    expect(without.output.StateLockTable).toBeUndefined();

    const json = synthBootstrap({ BOOTSTRAP_LOCK_TABLE: 'true' });
    const keyArn = `\${aws_kms_key.${Object.keys(resourcesOf(json, 'aws_kms_key'))[0]}.arn}`;
    const table = only(json, 'aws_dynamodb_table');
    expect(table).toMatchObject({
      name: 'migration-terraform-lock-dev', billing_mode: 'PAY_PER_REQUEST', hash_key: 'LockID', attribute: [{ name: 'LockID', type: 'S' }],
      point_in_time_recovery: { enabled: true }, server_side_encryption: { enabled: true, kms_key_arn: keyArn }, deletion_protection_enabled: true,
    });
    expect(json.output.StateLockTable.value).toBe(`\${aws_dynamodb_table.${Object.keys(resourcesOf(json, 'aws_dynamodb_table'))[0]}.name}`);
    expect(only(synthBootstrap({ BOOTSTRAP_LOCK_TABLE: 'true', STATE_BUCKET: 'acme-state', STATE_LOCK_TABLE: 'acme-locks-dev' }), 'aws_dynamodb_table').name).toBe('acme-locks-dev');
  });
});

describe('GitHub OIDC and the workflow roles', () => {
  const json = synthBootstrap({ BOOTSTRAP_LOCK_TABLE: 'true' });
  const plan = roleNamed(json, 'migration-github-plan-us-east-1-dev');
  const apply = roleNamed(json, 'migration-github-apply-us-east-1-dev');
  const providerArn = `\${aws_iam_openid_connect_provider.${Object.keys(resourcesOf(json, 'aws_iam_openid_connect_provider'))[0]}.arn}`;

  it('creates the provider for GitHub with the STS audience and no thumbprints', () => {
    const provider = only(json, 'aws_iam_openid_connect_provider');
    expect(provider).toMatchObject({ url: 'https://token.actions.githubusercontent.com', client_id_list: ['sts.amazonaws.com'] });
    expect(provider.thumbprint_list).toBeUndefined();
  });

  it('uses the account\'s existing provider when told to', () => {
    const existing = synthBootstrap({ GITHUB_OIDC_PROVIDER: 'existing' });
    expect(resourcesOf(existing, 'aws_iam_openid_connect_provider')).toEqual({});
    const trust = policyDocument(existing, roleNamed(existing, 'migration-github-plan-us-east-1-dev').assume_role_policy);
    expect(trust.statement[0].principals).toEqual([{ type: 'Federated', identifiers: [`arn:${PARTITION}:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com`] }]);
  });

  it.each([
    ['plan', () => plan, 'repo:acme/platform:pull_request'],
    ['apply', () => apply, 'repo:acme/platform:environment:dev'],
  ])('lets only %s runs of the repository assume the role', (_kind, role, subject) => {
    const trust = policyDocument(json, role().assume_role_policy);
    expect(trust.statement).toEqual([{
      sid: 'AssumedByGithubActions',
      actions: ['sts:AssumeRoleWithWebIdentity'],
      principals: [{ type: 'Federated', identifiers: [providerArn] }],
      condition: [
        { test: 'StringEquals', variable: 'token.actions.githubusercontent.com:aud', values: ['sts.amazonaws.com'] },
        { test: 'StringEquals', variable: 'token.actions.githubusercontent.com:sub', values: [subject] },
      ],
    }]);
  });

  it('trusts the GitHub environment GITHUB_ENVIRONMENT names for apply', () => {
    const other = synthBootstrap({ GITHUB_ENVIRONMENT: 'production' });
    const trust = policyDocument(other, roleNamed(other, 'migration-github-apply-us-east-1-dev').assume_role_policy);
    expect(condition(trust.statement[0], 'token.actions.githubusercontent.com:sub').values).toEqual(['repo:acme/platform:environment:production']);
  });

  const stateKeys = LAYERS.map((layer) => stateLocation(loadConfig({ env: { STATE_BUCKET: 'any-bucket' } }), layer).s3!.key);
  const bucketArn = `\${aws_s3_bucket.${Object.keys(resourcesOf(json, 'aws_s3_bucket'))[0]}.arn}`;
  const keyArn = `\${aws_kms_key.${Object.keys(resourcesOf(json, 'aws_kms_key'))[0]}.arn}`;
  const tableArn = `\${aws_dynamodb_table.${Object.keys(resourcesOf(json, 'aws_dynamodb_table'))[0]}.arn}`;

  it('gives the plan role read-only access: state read, its lock, the key, and nothing that writes', () => {
    expect(attachedPolicies(json, plan.name)).toEqual(['ReadOnlyAccess']);
    const policy = rolePolicy(json, plan.name);
    expect(statement(policy, 'ReadsState')).toMatchObject({ actions: ['s3:GetObject'], resources: stateKeys.map((key) => `${bucketArn}/${key}`) });
    expect(statement(policy, 'LocksState')).toMatchObject({ actions: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'], resources: stateKeys.map((key) => `${bucketArn}/${key}.tflock`) });
    expect(statement(policy, 'UsesTheStateKey')).toMatchObject({ actions: ['kms:Decrypt', 'kms:GenerateDataKey'], resources: [keyArn] });
    expect(statement(policy, 'LocksStateInTheTable').resources).toEqual([tableArn]);
    const allowed = policy.statement.filter((item) => item.effect === 'Allow');
    const writes = allowed.flatMap((item) => item.actions.filter((action: string) => !/^(s3|kms|dynamodb|secretsmanager):(Get|List|Describe|Decrypt)/.test(action))
      .map((action: string) => `${item.sid}:${action}`));
    expect(writes).toEqual(['LocksState:s3:PutObject', 'LocksState:s3:DeleteObject', 'UsesTheStateKey:kms:GenerateDataKey', 'LocksStateInTheTable:dynamodb:PutItem', 'LocksStateInTheTable:dynamodb:DeleteItem']);
  });

  it('denies the plan role the data ReadOnlyAccess would read', () => {
    const policy = rolePolicy(json, plan.name);
    expect(statement(policy, 'ReadsNoDataOutsideState')).toMatchObject({ effect: 'Deny', actions: ['s3:GetObject', 's3:GetObjectVersion'] });
    expect(statement(policy, 'ReadsNoDataOutsideState').not_resources).toEqual(expect.arrayContaining(stateKeys.map((key) => `${bucketArn}/${key}`)));
    // Except the rotation function's log, whose errors npm run verify counts (the function logs no secret value).
    const rotationLog = `arn:${PARTITION}:logs:us-east-1:${ACCOUNT}:log-group:/aws/lambda/migration-secret-rotation-dev`;
    expect(statement(policy, 'ReadsNoRecords')).toMatchObject({ effect: 'Deny', not_resources: [tableArn, rotationLog, `${rotationLog}:*`] });
    expect(statement(policy, 'ReadsNoRecords').actions).toEqual(expect.arrayContaining(['dynamodb:Scan', 'logs:GetLogEvents', 'rds:DownloadDBLogFilePortion']));
    expect(statement(policy, 'RefreshesThePlatformSecrets').resources).toEqual([`arn:${PARTITION}:secretsmanager:us-east-1:${ACCOUNT}:secret:migration-*-dev-*`]);
  });

  it('gives the apply role the services the layers create, IAM and S3 only on the platform\'s names', () => {
    expect(attachedPolicies(json, apply.name)).toEqual(['AWSBackupFullAccess', 'AWSKeyManagementServicePowerUser', 'AWSLambda_FullAccess', 'AmazonEC2FullAccess', 'AmazonEventBridgeFullAccess', 'AmazonRDSFullAccess', 'AmazonSNSFullAccess', 'CloudWatchLogsFullAccess', 'SecretsManagerReadWrite']);
    const policy = rolePolicy(json, apply.name);
    expect(statement(policy, 'ReadsAndWritesState')).toMatchObject({ actions: ['s3:GetObject', 's3:PutObject'], resources: stateKeys.map((key) => `${bucketArn}/${key}`) });
    expect(statement(policy, 'ManagesThePlatformRoles').resources).toEqual([`arn:${PARTITION}:iam::${ACCOUNT}:role/migration-*-dev`, `arn:${PARTITION}:iam::${ACCOUNT}:instance-profile/migration-*-dev`]);
    expect(condition(statement(policy, 'AttachesOnlyServicePolicies'), 'iam:PolicyARN').values).not.toEqual(expect.arrayContaining([expect.stringMatching(/AdministratorAccess|PowerUserAccess|IAMFullAccess/)]));
    // What the key power user policy lacks for the platform's keys (rotation on, policy, deletion), on its keys only.
    expect(statement(policy, 'ManagesThePlatformKeys')).toMatchObject({
      actions: ['kms:EnableKeyRotation', 'kms:PutKeyPolicy', 'kms:UpdateKeyDescription', 'kms:ScheduleKeyDeletion', 'kms:CancelKeyDeletion'],
      resources: [`arn:${PARTITION}:kms:*:${ACCOUNT}:key/*`],
    });
    expect(condition(statement(policy, 'ManagesThePlatformKeys'), 'aws:ResourceTag/Environment').values).toEqual(['dev']);
    expect(condition(statement(policy, 'PassesThePlatformRolesToServices'), 'iam:PassedToService').values).toContain('backup.amazonaws.com');
    expect(condition(statement(policy, 'UsesThePlatformKeysThroughServices'), 'kms:ViaService').values).toContain('backup.*.amazonaws.com');
    expect(statement(policy, 'ManagesThePlatformBuckets').resources).toEqual([`arn:${PARTITION}:s3:::migration-*`, `arn:${PARTITION}:s3:::migration-*/*`]);
  });

  it('never lets the apply role change its own roles, the state bucket or the state key', () => {
    const policy = rolePolicy(json, apply.name);
    expect(statement(policy, 'NeverChangesTheBootstrapRoles')).toMatchObject({
      effect: 'Deny',
      resources: [`arn:${PARTITION}:iam::${ACCOUNT}:role/migration-github-plan-us-east-1-dev`, `arn:${PARTITION}:iam::${ACCOUNT}:role/migration-github-apply-us-east-1-dev`],
    });
    expect(statement(policy, 'NeverChangesTheBootstrapRoles').actions).toEqual(expect.arrayContaining(['iam:UpdateAssumeRolePolicy', 'iam:PutRolePolicy', 'iam:AttachRolePolicy']));
    expect(statement(policy, 'NeverChangesTheStateBucket')).toMatchObject({ effect: 'Deny', resources: [bucketArn, `${bucketArn}/*`] });
    expect(statement(policy, 'NeverChangesTheStateKey')).toMatchObject({ effect: 'Deny', resources: [keyArn] });
    expect(statement(policy, 'NeverChangesTheStateKey').actions).toEqual(expect.arrayContaining(['kms:PutKeyPolicy', 'kms:ScheduleKeyDeletion']));
  });
});

describe('the bootstrap\'s own state and outputs', () => {
  it('keeps its state locally beside the layers\' local state', () => {
    const json = synthBootstrap();
    const layerPath = stateLocation(loadConfig({ env: {} }), 'network').local!.path!;
    expect(json.terraform.backend).toEqual({ local: { path: layerPath.replace(/network\.tfstate$/, 'bootstrap.tfstate') } });
  });

  it('moves into the bucket, beside the layers\' state objects, with BOOTSTRAP_STATE=s3', () => {
    const json = synthBootstrap({ BOOTSTRAP_STATE: 's3', STATE_BUCKET: 'acme-state' });
    const layer = stateLocation(loadConfig({ env: { STATE_BUCKET: 'acme-state' } }), 'network').s3!;
    expect(json.terraform.backend.s3).toMatchObject({ bucket: 'acme-state', key: layer.key.replace(/network\.tfstate$/, 'bootstrap.tfstate'), encrypt: true, use_lockfile: true });
  });

  it('outputs what STATE_BUCKET, STATE_REGION and the workflows need', () => {
    const json = synthBootstrap();
    expect(Object.keys(json.output).sort()).toEqual(['ApplyRoleArn', 'GithubOidcProviderArn', 'PlanRoleArn', 'StateBucket', 'StateKmsKeyArn', 'StateRegion']);
    expect(json.output.StateBucket.value).toMatch(/^\$\{aws_s3_bucket\.[^.]+\.bucket\}$/);
    expect(json.output.StateRegion.value).toBe('us-east-1');
  });

  it('tags everything like a layer, with Layer=bootstrap', () => {
    const json = synthBootstrap();
    expect(json.provider.aws[0].default_tags[0].tags).toEqual({ Environment: 'dev', Project: 'migration', CostCenter: 'migration', Owner: 'platform-team', ManagedBy: 'cdktf', Layer: 'bootstrap' });
  });
});
