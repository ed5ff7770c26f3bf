import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { DbInstance } from '@cdktf/provider-aws/lib/db-instance';
import { DbParameterGroup } from '@cdktf/provider-aws/lib/db-parameter-group';
import { DbSubnetGroup } from '@cdktf/provider-aws/lib/db-subnet-group';
import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';
import { LambdaPermission } from '@cdktf/provider-aws/lib/lambda-permission';
import { SecretsmanagerSecret } from '@cdktf/provider-aws/lib/secretsmanager-secret';
import { SecretsmanagerSecretRotation } from '@cdktf/provider-aws/lib/secretsmanager-secret-rotation';
import { Testing } from 'cdktf';
import { execSync } from 'child_process';
import { createHash } from 'crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { basename, dirname, join } from 'path';
import { inflateRawSync } from 'zlib';
import { CONTRACT } from '../modules/core/contract';
import { Naming } from '../modules/core/naming';
import { deterministicZip } from '../modules/core/zip';
import { KEY_ADMINISTRATION_ACTIONS, KEY_USE_ACTIONS } from '../modules/core/kms-key';
import { RotationFunction, rotationTimeoutSeconds } from '../modules/data/rotation-function';
import { rotationWorstCaseMs } from '../lambda/rotation/limits';
import { addressOf, policyDocument, ref, resourceNamed, resourcesOf, StackJson, synthPlatform } from './support/synth';

const PROD = {
  ENVIRONMENT_SUFFIX: 'prod', AZ_COUNT: '3', STATE_BUCKET: 'acme-terraform-state',
  CERTIFICATE_ARN: 'arn:aws:acm:us-east-1:123456789012:certificate/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b',
};
const ACCOUNT = '${data.aws_caller_identity.caller-identity.account_id}';
const PARTITION = '${data.aws_partition.partition.partition}';
const DNS_SUFFIX = '${data.aws_partition.partition.dns_suffix}';
const network = (output: string) => `\${data.terraform_remote_state.network-state.outputs.${output}}`;

/** The one resource of `type` in the stack, with its address. */
function only(json: StackJson, type: string): { address: string; body: Record<string, any> } {
  const entries = Object.entries(resourcesOf(json, type));
  if (entries.length !== 1) throw new Error(`expected one ${type}, found ${entries.length}`);
  return { address: `${type}.${entries[0][0]}`, body: entries[0][1] };
}

describe('data layer with the defaults', () => {
  const { text, json } = synthPlatform().data;
  const key = only(json, 'aws_kms_key');
  const instance = only(json, 'aws_db_instance');
  const secret = only(json, 'aws_secretsmanager_secret');
  const fn = only(json, 'aws_lambda_function');
  const password = only(json, 'random_password');

  it('runs PostgreSQL 17 on encrypted gp3 storage that grows from 20 to 100 GiB, Multi-AZ and private', () => {
    expect(text).toHaveResourceWithProperties(DbInstance, {
      identifier: 'migration-postgres-dev',
      engine: 'postgres',
      engine_version: '17',
      auto_minor_version_upgrade: true,
      allow_major_version_upgrade: false,
      instance_class: 'db.t4g.medium',
      storage_type: 'gp3',
      allocated_storage: 20,
      max_allocated_storage: 100,
      storage_encrypted: true,
      kms_key_id: ref(key.address, 'arn'),
      multi_az: true,
      publicly_accessible: false,
      port: 5432,
      ca_cert_identifier: 'rds-ca-rsa2048-g1',
      db_name: 'app',
      username: 'postgres',
      tags: { Name: 'migration-postgres-dev' },
    });
  });

  it('puts the database in the network layer\'s database subnets and security group, read from its state', () => {
    expect(instance.body.vpc_security_group_ids).toEqual([network('DatabaseSecurityGroupId')]);
    expect(instance.body.db_subnet_group_name).toBe(ref(addressOf(json, 'aws_db_subnet_group', 'migration-database-dev'), 'name'));
    expect(text).toHaveResourceWithProperties(DbSubnetGroup, { name: 'migration-database-dev', subnet_ids: network('DatabaseSubnetIds') });
    expect(json.data.terraform_remote_state['network-state']).toEqual({ backend: 'local', config: { path: '../../../state/us-east-1/dev/network.tfstate' } });
  });

  it('takes every network id from the network layer\'s state, never a literal', () => {
    const synthesized = JSON.stringify(json);
    expect(synthesized).not.toMatch(/"(subnet|sg|vpc)-[0-9a-f]+"/);
    const readOutputs = new Set([...synthesized.matchAll(/terraform_remote_state\.network-state\.outputs\.(\w+)/g)].map((match) => match[1]));
    expect([...readOutputs].sort()).toEqual(['AlertTopicArn', 'DatabaseSecurityGroupId', 'DatabaseSubnetIds', 'PrivateSubnetIds', 'RotationSecurityGroupId']);
  });

  it('exports the server and upgrade logs to log groups made first, with retention, on the layer\'s key', () => {
    expect(instance.body.enabled_cloudwatch_logs_exports).toEqual(['postgresql', 'upgrade']);
    for (const log of ['postgresql', 'upgrade']) {
      expect(text).toHaveResourceWithProperties(CloudwatchLogGroup, {
        name: `/aws/rds/instance/migration-postgres-dev/${log}`,
        retention_in_days: 365,
        kms_key_id: ref(key.address, 'arn'),
      });
      expect(instance.body.depends_on).toContain(addressOf(json, 'aws_cloudwatch_log_group', `migration-postgres-${log}-log-dev`));
    }
    // Enhanced monitoring needs its role's managed policy attached before the instance starts publishing.
    const monitoringPolicy = Object.entries(resourcesOf(json, 'aws_iam_role_policy_attachment'))
      .find(([, body]) => body.policy_arn.endsWith('AmazonRDSEnhancedMonitoringRole'))![0];
    expect(instance.body.depends_on).toContain(`aws_iam_role_policy_attachment.${monitoringPolicy}`);
  });

  it('keeps 7 days of backups in its windows, copies tags to snapshots, and may be deleted in dev without a snapshot', () => {
    expect(instance.body).toMatchObject({
      backup_retention_period: 7,
      backup_window: '03:00-04:00',
      maintenance_window: 'sun:04:30-sun:05:30',
      copy_tags_to_snapshot: true,
      deletion_protection: false,
      skip_final_snapshot: true,
      delete_automated_backups: true,
    });
    expect(instance.body.final_snapshot_identifier).toBeUndefined();
  });

  it('turns on Performance Insights on the layer\'s key and enhanced monitoring with its own role', () => {
    const role = resourceNamed(json, 'aws_iam_role', 'migration-rds-monitoring-us-east-1-dev');
    expect(instance.body).toMatchObject({
      performance_insights_enabled: true,
      performance_insights_kms_key_id: ref(key.address, 'arn'),
      performance_insights_retention_period: 7,
      monitoring_interval: 60,
      monitoring_role_arn: ref(addressOf(json, 'aws_iam_role', 'migration-rds-monitoring-us-east-1-dev'), 'arn'),
    });
    expect(policyDocument(json, role.assume_role_policy).statement).toEqual([{
      sid: 'AssumedByService',
      actions: ['sts:AssumeRole'],
      principals: [{ type: 'Service', identifiers: ['monitoring.rds.amazonaws.com'] }],
      condition: [{ test: 'StringEquals', variable: 'aws:SourceAccount', values: [ACCOUNT] }],
    }]);
    const attachments = Object.values(resourcesOf(json, 'aws_iam_role_policy_attachment'))
      .filter((attachment) => attachment.role === ref(addressOf(json, 'aws_iam_role', 'migration-rds-monitoring-us-east-1-dev'), 'name'));
    expect(attachments.map((attachment) => attachment.policy_arn)).toEqual([`arn:${PARTITION}:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole`]);
    expect(Object.values(resourcesOf(json, 'aws_iam_role_policy')).filter((policy) => policy.role === ref(addressOf(json, 'aws_iam_role', 'migration-rds-monitoring-us-east-1-dev'), 'id'))).toEqual([]);
  });

  it('requires TLS and SCRAM and logs slow statements and connections, without a setting that would diff forever', () => {
    expect(instance.body.parameter_group_name).toBe(ref(addressOf(json, 'aws_db_parameter_group', 'migration-postgres17-dev'), 'name'));
    expect(text).toHaveResourceWithProperties(DbParameterGroup, {
      name: 'migration-postgres17-dev',
      family: 'postgres17',
      lifecycle: { create_before_destroy: true },
      // rds.force_ssl is 1 and password_encryption scram-sha-256 by default from PostgreSQL 15 and 14 on.
      parameter: [
        { name: 'rds.accepted_password_auth_method', value: 'scram', apply_method: 'pending-reboot' },
        { name: 'log_min_duration_statement', value: '1000' },
        { name: 'log_connections', value: '1' },
        { name: 'log_disconnections', value: '1' },
      ],
    });
  });

  it('lets Terraform set the first password only: rotation owns it afterwards', () => {
    expect(instance.body.password).toBe(ref(password.address, 'result'));
    expect(instance.body.lifecycle).toEqual({ ignore_changes: ['password'] });
    expect(password.body).toMatchObject({ length: 32, special: true, override_special: '!#$%&*()-_=+[]{}<>?' });
    for (const refused of [' ', '/', '@', '"', "'", ':', '\\']) expect(password.body.override_special).not.toContain(refused);
  });

  it('encrypts with a rotating key that the account administers and only RDS, Secrets Manager, AWS Backup and the layer\'s log groups use', () => {
    expect(text).toHaveResourceWithProperties(KmsKey, { enable_key_rotation: true, deletion_window_in_days: 7, tags: { Name: 'migration-data-dev' } });
    expect(text).toHaveResourceWithProperties(KmsAlias, { name: 'alias/migration-data-dev', target_key_id: ref(key.address, 'key_id') });
    const root = `arn:${PARTITION}:iam::${ACCOUNT}:root`;
    const logGroup = (name: string) => `arn:${PARTITION}:logs:us-east-1:${ACCOUNT}:log-group:${name}`;
    expect(policyDocument(json, key.body.policy).statement).toEqual([
      { sid: 'AdministeredByTheAccount', principals: [{ type: 'AWS', identifiers: [root] }], actions: KEY_ADMINISTRATION_ACTIONS, resources: ['*'] },
      {
        sid: 'UsedThroughItsServices',
        principals: [{ type: 'AWS', identifiers: [root] }],
        actions: KEY_USE_ACTIONS,
        resources: ['*'],
        condition: [
          { test: 'StringEquals', variable: 'kms:ViaService', values: [`rds.us-east-1.${DNS_SUFFIX}`, `secretsmanager.us-east-1.${DNS_SUFFIX}`, `backup.us-east-1.${DNS_SUFFIX}`] },
          { test: 'StringEquals', variable: 'kms:CallerAccount', values: [ACCOUNT] },
        ],
      },
      {
        sid: 'EncryptsTheLayerLogGroups',
        principals: [{ type: 'Service', identifiers: [`logs.us-east-1.${DNS_SUFFIX}`] }],
        actions: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncryptFrom', 'kms:ReEncryptTo', 'kms:GenerateDataKey', 'kms:GenerateDataKeyWithoutPlaintext', 'kms:DescribeKey'],
        resources: ['*'],
        condition: [{
          test: 'ArnEquals',
          variable: 'kms:EncryptionContext:aws:logs:arn',
          values: [
            logGroup('/aws/rds/instance/migration-postgres-dev/postgresql'),
            logGroup('/aws/rds/instance/migration-postgres-dev/upgrade'),
            logGroup('/aws/lambda/migration-secret-rotation-dev'),
          ],
        }],
      },
    ]);
    // Neither the administrators nor any service may use everything: no `kms:*` anywhere.
    expect([...KEY_ADMINISTRATION_ACTIONS, ...KEY_USE_ACTIONS].filter((action) => action.includes('*'))).toEqual([]);
    expect(KEY_ADMINISTRATION_ACTIONS).not.toContain('kms:Decrypt');
  });

  it('keeps the credentials in a secret on the layer\'s key, deleted at once in dev', () => {
    expect(text).toHaveResourceWithProperties(SecretsmanagerSecret, {
      name: 'migration-db-credentials-dev',
      kms_key_id: ref(key.address, 'arn'),
      recovery_window_in_days: 0,
      tags: { Name: 'migration-db-credentials-dev' },
    });
  });

  it('writes exactly the JSON the rotation function reads as the first version, pointing at the instance', () => {
    const version = only(json, 'aws_secretsmanager_secret_version').body;
    expect(version.secret_id).toBe(ref(secret.address, 'id'));
    const [localName, credentials] = Object.entries(json.locals as Record<string, unknown>)[0];
    expect(Object.keys(json.locals)).toHaveLength(1);
    expect(version.secret_string).toBe(`\${jsonencode(local.${localName})}`);
    expect(credentials).toEqual({
      engine: 'postgres',
      host: ref(instance.address, 'address'),
      port: ref(instance.address, 'port'),
      username: 'postgres',
      password: ref(password.address, 'result'),
      dbname: 'app',
    });
    // Rotation moves AWSCURRENT to versions Terraform did not write; Terraform must never move it back.
    expect(version.lifecycle).toEqual({ ignore_changes: ['secret_string', 'version_stages'] });
  });

  it('holds no secret value: the password reaches only the instance and the first version, by reference', () => {
    const synthesized = JSON.stringify(json);
    const uses = [...synthesized.matchAll(new RegExp(`${password.address.replace('.', '\\.')}\\.result`, 'g'))];
    expect(uses).toHaveLength(2);
    expect(Object.values(json.output).map((output: any) => JSON.stringify(output.value)).join()).not.toMatch(/random_password|password/);
    expect(Object.keys(fn.body.environment.variables)).toEqual(['DB_TIMEOUT_MS', 'EXCLUDE_CHARACTERS', 'PASSWORD_LENGTH']);
  });

  it('runs the rotation function from the built bundle on Node.js 22, arm64, in the private subnets', () => {
    expect(text).toHaveResourceWithProperties(LambdaFunction, {
      function_name: 'migration-secret-rotation-dev',
      runtime: 'nodejs24.x',
      architectures: ['arm64'],
      handler: 'index.handler',
      memory_size: 256,
      role: ref(addressOf(json, 'aws_iam_role', 'migration-secret-rotation-us-east-1-dev'), 'arn'),
      vpc_config: { subnet_ids: network('PrivateSubnetIds'), security_group_ids: [network('RotationSecurityGroupId')] },
      environment: { variables: { PASSWORD_LENGTH: '32', EXCLUDE_CHARACTERS: ' :/@"\'\\', DB_TIMEOUT_MS: '5000' } },
    });
    // Lambda must never stop the function while it may still be talking to the database (121 s at worst).
    expect(rotationWorstCaseMs(5000)).toBe(121_000);
    expect(fn.body.timeout).toBe(151);
    expect(fn.body.timeout * 1000).toBeGreaterThan(rotationWorstCaseMs(Number(fn.body.environment.variables.DB_TIMEOUT_MS)));
    expect(fn.body.filename).toMatch(/^assets\/rotation_package_[0-9A-F]+\/[0-9A-F]+\/package-[0-9a-f]{16}\.zip$/);
  });

  it('gives the rotation function its own log group with retention, made before it, and waits for its permissions', () => {
    const logGroup = addressOf(json, 'aws_cloudwatch_log_group', 'migration-secret-rotation-log-dev');
    expect(text).toHaveResourceWithProperties(CloudwatchLogGroup, {
      name: '/aws/lambda/migration-secret-rotation-dev', retention_in_days: 365, kms_key_id: ref(key.address, 'arn'),
    });
    const role = 'migration-secret-rotation-us-east-1-dev';
    expect(fn.body.depends_on).toEqual([
      logGroup,
      `aws_iam_role_policy_attachment.${Object.entries(resourcesOf(json, 'aws_iam_role_policy_attachment')).find(([, body]) => body.role === ref(addressOf(json, 'aws_iam_role', role), 'name'))![0]}`,
      `aws_iam_role_policy.${Object.entries(resourcesOf(json, 'aws_iam_role_policy')).find(([, body]) => body.role === ref(addressOf(json, 'aws_iam_role', role), 'id'))![0]}`,
    ]);
  });

  it('lets the rotation role rotate this secret only, and use the key only through Secrets Manager', () => {
    const roleAddress = addressOf(json, 'aws_iam_role', 'migration-secret-rotation-us-east-1-dev');
    const role = resourceNamed(json, 'aws_iam_role', 'migration-secret-rotation-us-east-1-dev');
    expect(policyDocument(json, role.assume_role_policy).statement).toEqual([{
      sid: 'AssumedByService',
      actions: ['sts:AssumeRole'],
      principals: [{ type: 'Service', identifiers: ['lambda.amazonaws.com'] }],
    }]);
    const inline = Object.values(resourcesOf(json, 'aws_iam_role_policy')).filter((policy) => policy.role === ref(roleAddress, 'id'));
    expect(inline).toHaveLength(1);
    expect(inline[0].name).toBe('migration-secret-rotation-us-east-1-dev');
    expect(policyDocument(json, inline[0].policy).statement).toEqual([
      {
        sid: 'RotateTheDatabaseSecret',
        effect: 'Allow',
        actions: ['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue', 'secretsmanager:PutSecretValue', 'secretsmanager:UpdateSecretVersionStage'],
        resources: [ref(secret.address, 'arn')],
      },
      { sid: 'GeneratePasswords', effect: 'Allow', actions: ['secretsmanager:GetRandomPassword'], resources: ['*'] },
      {
        sid: 'UseTheSecretKeyThroughSecretsManager',
        effect: 'Allow',
        actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
        resources: [ref(key.address, 'arn')],
        condition: [{ test: 'StringEquals', variable: 'kms:ViaService', values: [`secretsmanager.us-east-1.${DNS_SUFFIX}`] }],
      },
    ]);
    const managed = Object.values(resourcesOf(json, 'aws_iam_role_policy_attachment')).filter((attachment) => attachment.role === ref(roleAddress, 'name'));
    expect(managed.map((attachment) => attachment.policy_arn)).toEqual([`arn:${PARTITION}:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole`]);
  });

  it('lets Secrets Manager invoke the function for this secret and this account only', () => {
    expect(text).toHaveResourceWithProperties(LambdaPermission, {
      action: 'lambda:InvokeFunction',
      function_name: ref(fn.address, 'function_name'),
      principal: 'secretsmanager.amazonaws.com',
      source_arn: ref(secret.address, 'arn'),
      source_account: ACCOUNT,
    });
  });

  it('rotates every 30 days and at once on deploy, after the permission and the first version exist', () => {
    const permission = only(json, 'aws_lambda_permission').address;
    const version = only(json, 'aws_secretsmanager_secret_version').address;
    expect(text).toHaveResourceWithProperties(SecretsmanagerSecretRotation, {
      secret_id: ref(secret.address, 'id'),
      rotation_lambda_arn: ref(fn.address, 'arn'),
      rotation_rules: { automatically_after_days: 30 },
      rotate_immediately: true,
      depends_on: [permission, version],
    });
  });

  it('publishes every contract output with its description, each from the right resource', () => {
    expect(Object.keys(json.output).sort()).toEqual(Object.keys(CONTRACT.data).sort());
    for (const [name, spec] of Object.entries(CONTRACT.data)) expect(json.output[name].description).toBe(spec.description);
    expect(Object.fromEntries(Object.entries(json.output).map(([name, output]: [string, any]) => [name, output.value]))).toEqual({
      RDSEndpoint: ref(instance.address, 'endpoint'),
      RDSAddress: ref(instance.address, 'address'),
      RDSPort: ref(instance.address, 'port'),
      DBInstanceIdentifier: ref(instance.address, 'identifier'),
      DatabaseName: ref(instance.address, 'db_name'),
      DBSecretArn: ref(secret.address, 'arn'),
      DataKmsKeyArn: ref(key.address, 'arn'),
      RotationFunctionArn: ref(fn.address, 'arn'),
      RotationFunctionName: ref(fn.address, 'function_name'),
      DatabaseAlarmNames: ['migration-postgres-free-storage-dev', 'migration-postgres-connections-dev']
        .map((name) => ref(addressOf(json, 'aws_cloudwatch_metric_alarm', name), 'alarm_name')),
    });
  });
});

describe('data layer in production', () => {
  const { text, json } = synthPlatform(PROD).data;
  const instance = only(json, 'aws_db_instance').body;

  it('protects the database from deletion and takes a final snapshot named with the suffix', () => {
    expect(instance).toMatchObject({
      deletion_protection: true,
      skip_final_snapshot: false,
      final_snapshot_identifier: 'migration-postgres-final-prod',
      delete_automated_backups: false,
      multi_az: true,
    });
  });

  it('keeps a deleted secret recoverable for 30 days and the key for 30 days', () => {
    expect(text).toHaveResourceWithProperties(SecretsmanagerSecret, { name: 'migration-db-credentials-prod', recovery_window_in_days: 30 });
    expect(text).toHaveResourceWithProperties(KmsKey, { deletion_window_in_days: 30 });
  });

  it('reads the network layer from the same S3 state the network layer writes', () => {
    expect(json.data.terraform_remote_state['network-state'].config).toMatchObject({ bucket: 'acme-terraform-state', key: expect.stringMatching(/network\.tfstate$/) });
  });
});

describe('data layer settings', () => {
  it('takes the engine version, class, storage, backups, windows, database name and rotation period', () => {
    const { json } = synthPlatform({
      DB_ENGINE_VERSION: '16.4', DB_INSTANCE_CLASS: 'db.r7g.large', DB_ALLOCATED_STORAGE: '100', DB_MAX_ALLOCATED_STORAGE: '1000',
      DB_MULTI_AZ: 'false', DB_BACKUP_RETENTION_DAYS: '21', DB_BACKUP_WINDOW: '01:00-02:00', DB_MAINTENANCE_WINDOW: 'wed:05:00-wed:06:00',
      DB_NAME: 'orders', ROTATION_DAYS: '7', LOG_RETENTION_DAYS: '90',
    }).data;
    expect(only(json, 'aws_db_instance').body).toMatchObject({
      engine_version: '16.4', instance_class: 'db.r7g.large', allocated_storage: 100, max_allocated_storage: 1000, multi_az: false,
      backup_retention_period: 21, backup_window: '01:00-02:00', maintenance_window: 'wed:05:00-wed:06:00', db_name: 'orders',
    });
    expect(only(json, 'aws_db_parameter_group').body).toMatchObject({ name: 'migration-postgres16-dev', family: 'postgres16' });
    expect(Object.values(json.locals as Record<string, { dbname: string }>)[0].dbname).toBe('orders');
    expect(only(json, 'aws_secretsmanager_secret_rotation').body.rotation_rules).toEqual({ automatically_after_days: 7 });
    expect(Object.values(resourcesOf(json, 'aws_cloudwatch_log_group')).map((group) => group.retention_in_days)).toEqual([90, 90, 90]);
  });

  it('forces TLS itself on PostgreSQL 14, whose parameter group does not by default', () => {
    const parameters = only(synthPlatform({ DB_ENGINE_VERSION: '14' }).data.json, 'aws_db_parameter_group').body.parameter;
    expect(parameters[0]).toEqual({ name: 'rds.force_ssl', value: '1', apply_method: 'pending-reboot' });
  });

  it('puts the region into its IAM names, so the same environment can run in a second region', () => {
    const { json } = synthPlatform({ AWS_REGION: 'eu-west-1' }).data;
    expect(Object.values(resourcesOf(json, 'aws_iam_role')).map((role) => role.name).sort())
      .toEqual(['migration-backup-eu-west-1-dev', 'migration-rds-monitoring-eu-west-1-dev', 'migration-secret-rotation-eu-west-1-dev']);
  });
});

describe('the rotation function timeout', () => {
  it('follows DB_TIMEOUT_MS, always above the function\'s worst case', () => {
    for (const databaseTimeoutMs of [1000, 5000, 10_000, 30_000]) {
      expect(rotationTimeoutSeconds(databaseTimeoutMs) * 1000).toBeGreaterThan(rotationWorstCaseMs(databaseTimeoutMs));
    }
    expect(rotationTimeoutSeconds(10_000)).toBeGreaterThan(rotationTimeoutSeconds(5000));
  });
});

describe('the rotation function package', () => {
  const folders: string[] = [];
  afterAll(() => folders.forEach((folder) => rmSync(folder, { recursive: true, force: true })));
  /** Builds the function from its sources into a fresh folder, exactly as `npm run build:lambda` does. */
  const buildBundle = (): string => {
    folders.push(mkdtempSync(join(tmpdir(), 'rotation-build-')));
    const outfile = join(folders[folders.length - 1], 'index.js');
    const script: string = JSON.parse(readFileSync('package.json', 'utf8')).scripts['build:lambda'];
    // Through a shell, as npm runs its scripts; npx in front only added its own start-up.
    execSync(script.replace('dist/rotation/index.js', outfile), { stdio: 'pipe' });
    return outfile;
  };
  const packageOf = (bundlePath: string) => {
    const json = JSON.parse(Testing.synthScope((scope) => {
      new RotationFunction(scope, 'rotation', {
        naming: new Naming('migration', 'dev', 'us-east-1'), region: 'us-east-1', functionName: 'migration-secret-rotation-dev', bundlePath,
        secretArn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:x', kmsKeyArn: 'arn:aws:kms:us-east-1:123456789012:key/x',
        subnetIds: ['subnet-1'], securityGroupIds: ['sg-1'], logRetentionDays: 7, password: { length: 32, excludeCharacters: '' },
      });
    }));
    const fn = only(json, 'aws_lambda_function').body;
    const packagePath = join(dirname(bundlePath), readdirSync(dirname(bundlePath)).find((file) => file.endsWith('.zip'))!);
    expect(fn.filename).toMatch(new RegExp(`/${basename(packagePath).replace('.', '\\.')}$`));
    return { hash: fn.source_code_hash as string, bytes: readFileSync(packagePath) };
  };

  it('is the same bytes, with the same source_code_hash, each time the function is built from unchanged sources', () => {
    const first = packageOf(buildBundle());
    const second = packageOf(buildBundle());
    expect(second.bytes.equals(first.bytes)).toBe(true);
    expect(second.hash).toBe(first.hash);
    expect(first.hash).toBe(createHash('sha256').update(first.bytes).digest('base64'));
    // The layer itself packages the bundle `npm run build` made from the same sources.
    expect(only(synthPlatform().data.json, 'aws_lambda_function').body.source_code_hash).toBe(first.hash);
  });

  it('changes its hash when the function changes', () => {
    const bundle = buildBundle();
    const before = packageOf(bundle).hash;
    writeFileSync(bundle, `${readFileSync(bundle, 'utf8')}\n// changed\n`);
    expect(packageOf(bundle).hash).not.toBe(before);
    // The package of the old bundle is gone: one package beside the bundle.
    expect(readdirSync(dirname(bundle)).filter((file) => file.endsWith('.zip'))).toHaveLength(1);
  });

  it('stops synthesis with a clear message when the function was not built', () => {
    expect(() => packageOf(join(tmpdir(), 'nowhere', 'index.js'))).toThrow('The rotation function is not built (index.js is missing): run npm run build');
  });
});

describe('deterministicZip', () => {
  const files = [{ name: 'index.js', content: Buffer.from('exports.handler = async () => "rotated";\n'.repeat(100)) }];

  it('gives the same bytes for the same files', () => {
    expect(deterministicZip(files).equals(deterministicZip(files))).toBe(true);
    expect(deterministicZip(files).equals(deterministicZip([{ name: 'index.js', content: Buffer.from('changed') }]))).toBe(false);
  });

  it('stores each file deflated, readable back, dated 1980-01-01 and readable by everyone', () => {
    const zip = deterministicZip(files);
    expect(zip.readUInt32LE(0)).toBe(0x04034b50);
    const nameLength = zip.readUInt16LE(26);
    const compressedSize = zip.readUInt32LE(18);
    expect(zip.subarray(30, 30 + nameLength).toString()).toBe('index.js');
    expect(inflateRawSync(zip.subarray(30 + nameLength, 30 + nameLength + compressedSize)).equals(files[0].content)).toBe(true);
    expect([zip.readUInt16LE(10), zip.readUInt16LE(12)]).toEqual([0, (1 << 5) | 1]);
    const central = zip.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    expect((zip.readUInt32LE(central + 38) >>> 16).toString(8)).toBe('100644');
    expect(zip.readUInt32LE(zip.length - 22)).toBe(0x06054b50);
  });
});
