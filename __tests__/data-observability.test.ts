/** The data layer's alarms, rotation-failure alerts, backups and restore test. */
import { ConfigError } from '../modules/core/config';
import { BACKUP_ROLE_MANAGED_POLICIES } from '../modules/data/backup';
import { KEY_ADMINISTRATION_ACTIONS, KEY_USE_ACTIONS } from '../modules/core/kms-key';
import { databaseMaxConnections, instanceClassMemoryGib } from '../modules/observability/database-alarms';
import { addressOf, policyDocument, ref, resourceNamed, resourcesOf, StackJson, synthPlatform } from './support/synth';

const ACCOUNT = '${data.aws_caller_identity.caller-identity.account_id}';
const PARTITION = '${data.aws_partition.partition.partition}';
const DNS_SUFFIX = '${data.aws_partition.partition.dns_suffix}';
const TOPIC = '${data.terraform_remote_state.network-state.outputs.AlertTopicArn}';
const network = (output: string) => `\${data.terraform_remote_state.network-state.outputs.${output}}`;

function only(json: StackJson, type: string): { address: string; body: Record<string, any> } {
  const entries = Object.entries(resourcesOf(json, type));
  if (entries.length !== 1) throw new Error(`expected one ${type}, found ${entries.length}`);
  return { address: `${type}.${entries[0][0]}`, body: entries[0][1] };
}
const alarm = (json: StackJson, name: string) => resourceNamed(json, 'aws_cloudwatch_metric_alarm', name);

describe('database alarms', () => {
  const { json } = synthPlatform().data;
  const instance = only(json, 'aws_db_instance').address;
  const dimensions = { DBInstanceIdentifier: ref(instance, 'identifier') };
  const actions = { actions_enabled: true, alarm_actions: [TOPIC], ok_actions: [TOPIC] };

  it.each([
    ['migration-postgres-cpu-dev', 'CPUUtilization', 'Average', 'GreaterThanThreshold', 80, 3],
    // 5% of the 20 GiB allocated.
    ['migration-postgres-free-storage-dev', 'FreeStorageSpace', 'Minimum', 'LessThanThreshold', 0.05 * 20 * 1024 ** 3, 1],
    ['migration-postgres-freeable-memory-dev', 'FreeableMemory', 'Average', 'LessThanThreshold', 256 * 1024 ** 2, 3],
    // db.t4g.medium: 4 GiB / 9531392 bytes a connection = 450 max_connections; 80% of it.
    ['migration-postgres-connections-dev', 'DatabaseConnections', 'Maximum', 'GreaterThanThreshold', 360, 2],
  ])('%s watches %s (%s) of the instance, from its resource', (name, metric, statistic, comparison, threshold, periods) => {
    expect(alarm(json, name)).toMatchObject({
      alarm_name: name, namespace: 'AWS/RDS', metric_name: metric, statistic, dimensions, period: 300,
      comparison_operator: comparison, threshold, evaluation_periods: periods, datapoints_to_alarm: periods, treat_missing_data: 'missing', ...actions,
    });
  });

  it('has no replica lag alarm: there is no read replica', () => {
    const metrics = Object.values(resourcesOf(json, 'aws_cloudwatch_metric_alarm')).map((body) => body.metric_name);
    expect(metrics).not.toContain('ReplicaLag');
    // One instance, and it replicates nothing.
    expect(only(json, 'aws_db_instance').body.replicate_source_db).toBeUndefined();
  });

  it('derives the storage threshold from DB_ALLOCATED_STORAGE and the connections threshold from the instance class', () => {
    const { json: sized } = synthPlatform({ DB_ALLOCATED_STORAGE: '200', DB_MAX_ALLOCATED_STORAGE: '1000', DB_INSTANCE_CLASS: 'db.r7g.large', ALARM_DB_FREE_STORAGE_PERCENT: '10', ALARM_DB_CONNECTIONS_PERCENT: '90' }).data;
    expect(alarm(sized, 'migration-postgres-free-storage-dev').threshold).toBe(20 * 1024 ** 3);
    // db.r7g.large has 16 GiB: 1802 max_connections.
    expect(alarm(sized, 'migration-postgres-connections-dev').threshold).toBe(Math.floor(1802 * 0.9));
    const { json: fixed } = synthPlatform({ DB_INSTANCE_CLASS: 'db.x2g.large', ALARM_DB_MAX_CONNECTIONS: '1000' }).data;
    expect(alarm(fixed, 'migration-postgres-connections-dev').threshold).toBe(800);
  });

  it('asks for ALARM_DB_MAX_CONNECTIONS when the instance class\'s memory is unknown', () => {
    expect(() => synthPlatform({ DB_INSTANCE_CLASS: 'db.x2g.large' })).toThrow(ConfigError);
    expect(() => databaseMaxConnections('db.x2g.large')).toThrow('ALARM_DB_MAX_CONNECTIONS is needed for DB_INSTANCE_CLASS "db.x2g.large"');
  });

  it.each([
    ['db.t4g.micro', 1], ['db.t3.medium', 4], ['db.t4g.2xlarge', 32], ['db.m7g.large', 8], ['db.m6i.4xlarge', 64],
    ['db.r6g.xlarge', 32], ['db.r7i.16xlarge', 512], ['db.x2g.large', undefined], ['db.t4g.huge', undefined],
  ])('knows the memory of %s', (instanceClass, gib) => {
    expect(instanceClassMemoryGib(instanceClass)).toBe(gib);
  });

  it('caps max_connections at 5000, as RDS does', () => {
    expect(databaseMaxConnections('db.r6g.16xlarge')).toBe(5000);
    expect(databaseMaxConnections('db.t4g.micro')).toBe(112);
  });
});

describe('backup alerts', () => {
  const { json } = synthPlatform().data;
  const pattern = (name: string) => JSON.parse(resourceNamed(json, 'aws_cloudwatch_event_rule', name).event_pattern);
  const targetOf = (name: string) => Object.values(resourcesOf(json, 'aws_cloudwatch_event_target'))
    .find((target) => target.rule === ref(addressOf(json, 'aws_cloudwatch_event_rule', name), 'name'))!;

  it('send failed, aborted and expired backup and copy jobs of this vault to the topic', () => {
    expect(pattern('migration-backup-failed-dev')).toEqual({
      source: ['aws.backup'],
      'detail-type': ['Backup Job State Change', 'Copy Job State Change'],
      detail: { state: ['FAILED', 'ABORTED', 'EXPIRED'], backupVaultName: [ref(only(json, 'aws_backup_vault').address, 'name')] },
    });
    expect(targetOf('migration-backup-failed-dev')).toMatchObject({ arn: TOPIC });
  });

  it('send failed restore jobs, the weekly restore test\'s among them, with a readable message', () => {
    // Restore jobs report `status`, backup and copy jobs `state`.
    expect(pattern('migration-restore-failed-dev')).toEqual({ source: ['aws.backup'], 'detail-type': ['Restore Job State Change'], detail: { status: ['FAILED'] } });
    const { input_transformer: transformer } = targetOf('migration-restore-failed-dev');
    const message: string = JSON.parse(transformer.input_template);
    expect(new Set([...message.matchAll(/<(\w+)>/g)].map((match) => match[1]))).toEqual(new Set(Object.keys(transformer.input_paths)));
    expect(message).toContain('aws backup describe-restore-job --restore-job-id <job>');
  });
});

describe('rotation alerts', () => {
  const { json } = synthPlatform().data;
  const secret = only(json, 'aws_secretsmanager_secret').address;
  const fn = only(json, 'aws_lambda_function');
  /** The target of the rule named `name`. */
  const targetOf = (name: string) => Object.values(resourcesOf(json, 'aws_cloudwatch_event_target'))
    .find((target) => target.rule === ref(addressOf(json, 'aws_cloudwatch_event_rule', name), 'name'))!;

  it('send Secrets Manager\'s RotationFailed events for this secret to the topic', () => {
    const rule = resourceNamed(json, 'aws_cloudwatch_event_rule', 'migration-secret-rotation-failed-dev');
    expect(rule.name).toBe('migration-secret-rotation-failed-dev');
    expect(JSON.parse(rule.event_pattern)).toEqual({
      source: ['aws.secretsmanager'],
      'detail-type': ['AWS Service Event via CloudTrail'],
      detail: {
        eventSource: ['secretsmanager.amazonaws.com'],
        eventName: ['RotationFailed'],
        additionalEventData: { SecretId: [ref(secret, 'arn')] },
      },
    });
    expect(targetOf('migration-secret-rotation-failed-dev')).toMatchObject({ arn: TOPIC });
  });

  it('deliver a readable message naming the secret, through an input transformer', () => {
    const { input_transformer: transformer } = targetOf('migration-secret-rotation-failed-dev');
    expect(transformer.input_paths).toEqual({ secret: '$.detail.additionalEventData.SecretId', time: '$.time', account: '$.account', region: '$.region' });
    const message: string = JSON.parse(transformer.input_template);
    expect(message).toMatch(/^Rotation of the dev database credentials failed at <time> \(account <account>, region <region>\)\. Secret: <secret>\./);
    expect(message).toContain('aws secretsmanager rotate-secret --secret-id <secret>');
    // Every placeholder is one of the input paths.
    expect(new Set([...message.matchAll(/<(\w+)>/g)].map((match) => match[1]))).toEqual(new Set(Object.keys(transformer.input_paths)));
  });

  it('alarm on the function\'s errors and on a run nearing its timeout, read from the function', () => {
    const dimensions = { FunctionName: ref(fn.address, 'function_name') };
    const common = { namespace: 'AWS/Lambda', dimensions, period: 300, evaluation_periods: 1, treat_missing_data: 'notBreaching', alarm_actions: [TOPIC], ok_actions: [TOPIC] };
    expect(alarm(json, 'migration-secret-rotation-errors-dev')).toMatchObject({
      ...common, metric_name: 'Errors', statistic: 'Sum', comparison_operator: 'GreaterThanOrEqualToThreshold', threshold: 1,
    });
    expect(alarm(json, 'migration-secret-rotation-duration-dev')).toMatchObject({
      ...common, metric_name: 'Duration', statistic: 'Maximum', comparison_operator: 'GreaterThanOrEqualToThreshold',
      // 80% of the timeout (seconds) in milliseconds, computed by Terraform from the function itself.
      threshold: `\${(${fn.address}.timeout * 800)}`,
    });
    expect(fn.body.timeout).toBe(151);
  });
});

describe('backups', () => {
  const { json } = synthPlatform().data;
  const key = only(json, 'aws_kms_key').address;
  const instance = only(json, 'aws_db_instance').address;
  const vault = only(json, 'aws_backup_vault');
  const role = addressOf(json, 'aws_iam_role', 'migration-backup-us-east-1-dev');

  it('keep daily recovery points for 35 days in a vault on the data layer\'s key', () => {
    expect(vault.body).toEqual({ name: 'migration-backup-dev', kms_key_arn: ref(key, 'arn'), force_destroy: true, tags: { Name: 'migration-backup-dev' } });
    expect(only(json, 'aws_backup_plan').body).toEqual({
      name: 'migration-postgres-backup-dev',
      rule: [{
        rule_name: 'daily', target_vault_name: ref(vault.address, 'name'), schedule: 'cron(0 1 * * ? *)',
        start_window: 60, completion_window: 480, lifecycle: { delete_after: 35 },
      }],
      tags: { Name: 'migration-postgres-backup-dev' },
    });
    // Without BACKUP_COPY_REGION: one vault, one provider, no copy.
    expect(Object.keys(resourcesOf(json, 'aws_backup_vault'))).toHaveLength(1);
    expect(json.provider.aws).toHaveLength(1);
  });

  it('select the database by its ARN, with a role of their own that only AWS Backup of this account assumes', () => {
    const plan = only(json, 'aws_backup_plan').address;
    const selection = only(json, 'aws_backup_selection').body;
    expect(selection).toMatchObject({ name: 'migration-postgres-dev', plan_id: ref(plan, 'id'), iam_role_arn: ref(role, 'arn'), resources: [ref(instance, 'arn')] });
    expect(policyDocument(json, resourceNamed(json, 'aws_iam_role', 'migration-backup-us-east-1-dev').assume_role_policy).statement).toEqual([{
      sid: 'AssumedByService',
      actions: ['sts:AssumeRole'],
      principals: [{ type: 'Service', identifiers: ['backup.amazonaws.com'] }],
    }]);
    const attached = Object.entries(resourcesOf(json, 'aws_iam_role_policy_attachment')).filter(([, body]) => body.role === ref(role, 'name'));
    expect(attached.map(([, body]) => body.policy_arn)).toEqual(BACKUP_ROLE_MANAGED_POLICIES.map((policy) => `arn:${PARTITION}:iam::aws:policy/${policy}`));
    expect(BACKUP_ROLE_MANAGED_POLICIES).toEqual(['service-role/AWSBackupServiceRolePolicyForBackup', 'service-role/AWSBackupServiceRolePolicyForRestores']);
    // AWS Backup checks the role's permissions when the selection is created.
    expect(selection.depends_on).toEqual(attached.map(([name]) => `aws_iam_role_policy_attachment.${name}`));
    expect(Object.values(resourcesOf(json, 'aws_iam_role_policy')).filter((policy) => policy.role === ref(role, 'id'))).toEqual([]);
  });

  it('keep the vault and its recovery points on destroy outside dev, and take BACKUP_RETENTION_DAYS', () => {
    const { json: prod } = synthPlatform({ ENVIRONMENT_SUFFIX: 'prod', CERTIFICATE_ARN: 'arn:aws:acm:us-east-1:123456789012:certificate/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b', BACKUP_RETENTION_DAYS: '90' }).data;
    expect(only(prod, 'aws_backup_vault').body.force_destroy).toBe(false);
    expect(only(prod, 'aws_backup_plan').body.rule[0].lifecycle).toEqual({ delete_after: 90 });
  });

  it('copy every recovery point to a vault in BACKUP_COPY_REGION, on that region\'s own key', () => {
    const { json: copied } = synthPlatform({ BACKUP_COPY_REGION: 'us-west-2' }).data;
    const [main, copyProvider] = copied.provider.aws;
    expect(copyProvider).toEqual({ alias: 'backup-copy', region: 'us-west-2', default_tags: main.default_tags });
    const copyKey = resourceNamed(copied, 'aws_kms_key', 'migration-backup-copy-dev');
    const copyKeyAddress = addressOf(copied, 'aws_kms_key', 'migration-backup-copy-dev');
    expect(copyKey).toMatchObject({ provider: 'aws.backup-copy', enable_key_rotation: true });
    expect(Object.values(resourcesOf(copied, 'aws_kms_alias')).find((alias) => alias.name === 'alias/migration-backup-copy-dev'))
      .toEqual({ provider: 'aws.backup-copy', name: 'alias/migration-backup-copy-dev', target_key_id: ref(copyKeyAddress, 'key_id') });
    const root = `arn:${PARTITION}:iam::${ACCOUNT}:root`;
    expect(policyDocument(copied, copyKey.policy).statement).toEqual([
      { sid: 'AdministeredByTheAccount', principals: [{ type: 'AWS', identifiers: [root] }], actions: KEY_ADMINISTRATION_ACTIONS, resources: ['*'] },
      {
        sid: 'UsedThroughItsServices', principals: [{ type: 'AWS', identifiers: [root] }], actions: KEY_USE_ACTIONS, resources: ['*'],
        condition: [
          { test: 'StringEquals', variable: 'kms:ViaService', values: [`backup.us-west-2.${DNS_SUFFIX}`, `rds.us-west-2.${DNS_SUFFIX}`] },
          { test: 'StringEquals', variable: 'kms:CallerAccount', values: [ACCOUNT] },
        ],
      },
    ]);
    const copyVault = resourceNamed(copied, 'aws_backup_vault', 'migration-backup-copy-dev');
    expect(copyVault).toMatchObject({ provider: 'aws.backup-copy', name: 'migration-backup-copy-dev', kms_key_arn: ref(copyKeyAddress, 'arn') });
    expect(only(copied, 'aws_backup_plan').body.rule[0].copy_action).toEqual([{
      destination_vault_arn: ref(addressOf(copied, 'aws_backup_vault', 'migration-backup-copy-dev'), 'arn'), lifecycle: { delete_after: 35 },
    }]);
  });
});

describe('the restore test', () => {
  const { json } = synthPlatform().data;
  const plan = only(json, 'aws_backup_restore_testing_plan');

  it('restores the latest recovery point of the vault every week', () => {
    expect(plan.body).toEqual({
      name: 'migration_restore_test_dev',
      schedule_expression: 'cron(0 6 ? * SAT *)',
      start_window_hours: 8,
      recovery_point_selection: [{
        algorithm: 'LATEST_WITHIN_WINDOW',
        include_vaults: [ref(only(json, 'aws_backup_vault').address, 'arn')],
        recovery_point_types: ['SNAPSHOT'],
        selection_window_days: 7,
      }],
      tags: { Name: 'migration-restore-test-dev' },
    });
  });

  it('restores the database into its own subnet group and security group, with the backup role, and keeps it two hours', () => {
    expect(only(json, 'aws_backup_restore_testing_selection').body).toEqual({
      name: 'migration_postgres_dev',
      restore_testing_plan_name: ref(plan.address, 'name'),
      protected_resource_type: 'RDS',
      protected_resource_arns: [ref(only(json, 'aws_db_instance').address, 'arn')],
      iam_role_arn: ref(addressOf(json, 'aws_iam_role', 'migration-backup-us-east-1-dev'), 'arn'),
      restore_metadata_overrides: {
        dbsubnetgroupname: ref(addressOf(json, 'aws_db_subnet_group', 'migration-database-dev'), 'name'),
        vpcsecuritygroupids: `\${jsonencode([${network('DatabaseSecurityGroupId').slice(2, -1)}])}`,
      },
      validation_window_hours: 2,
      // AWS Backup checks the role's permissions when the selection is created.
      depends_on: Object.entries(resourcesOf(json, 'aws_iam_role_policy_attachment'))
        .filter(([, body]) => body.role === ref(addressOf(json, 'aws_iam_role', 'migration-backup-us-east-1-dev'), 'name'))
        .map(([name]) => `aws_iam_role_policy_attachment.${name}`),
    });
  });
});
