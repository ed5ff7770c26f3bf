/** The alerts topic, its key and policies, its subscriptions, the load balancer alarms, and the alert settings. */
import { loadConfig } from '../modules/core/config';
import { KEY_ADMINISTRATION_ACTIONS } from '../modules/core/kms-key';
import { ERROR_RATE_EXPRESSION } from '../modules/observability/load-balancer-alarms';
import { TOPIC_KEY_PUBLISH_ACTIONS, TOPIC_MANAGEMENT_ACTIONS } from '../modules/observability/alerts-topic';
import { problemsOf } from './support/config';
import { addressOf, policyDocument, ref, resourceNamed, resourcesOf, synthPlatform } from './support/synth';

const ACCOUNT = '${data.aws_caller_identity.caller-identity.account_id}';
const PARTITION = '${data.aws_partition.partition.partition}';


describe('the alerts topic', () => {
  const { json } = synthPlatform({ ALERT_EMAILS: 'ops@example.com, dba@example.com', ALERT_HTTPS_ENDPOINTS: 'https://alerts.example.com/sns?team=db' }).network;
  const topic = resourceNamed(json, 'aws_sns_topic', 'migration-alerts-dev');
  const topicArn = ref(addressOf(json, 'aws_sns_topic', 'migration-alerts-dev'), 'arn');
  const keyAddress = addressOf(json, 'aws_kms_key', 'migration-alerts-dev');
  const key = resourceNamed(json, 'aws_kms_key', 'migration-alerts-dev');

  it('is encrypted with its own rotating customer-managed key, with an alias named with the suffix', () => {
    expect(topic.kms_master_key_id).toBe(ref(keyAddress, 'arn'));
    expect(key).toMatchObject({ enable_key_rotation: true, deletion_window_in_days: 30 });
    expect(Object.values(resourcesOf(json, 'aws_kms_alias'))).toEqual([{ name: 'alias/migration-alerts-dev', target_key_id: ref(keyAddress, 'key_id') }]);
  });

  it('has a key policy that lets the account administer it and only CloudWatch (for this account) and EventBridge use it', () => {
    expect(policyDocument(json, key.policy).statement).toEqual([
      { sid: 'AdministeredByTheAccount', principals: [{ type: 'AWS', identifiers: [`arn:${PARTITION}:iam::${ACCOUNT}:root`] }], actions: KEY_ADMINISTRATION_ACTIONS, resources: ['*'] },
      {
        sid: 'UsedByCloudWatchAlarmsOfTheAccount',
        principals: [{ type: 'Service', identifiers: ['cloudwatch.amazonaws.com'] }],
        actions: ['kms:GenerateDataKey*', 'kms:Decrypt'],
        resources: ['*'],
        condition: [{ test: 'StringEquals', variable: 'aws:SourceAccount', values: [ACCOUNT] }],
      },
      { sid: 'UsedByEventBridgeRules', principals: [{ type: 'Service', identifiers: ['events.amazonaws.com'] }], actions: ['kms:GenerateDataKey*', 'kms:Decrypt'], resources: ['*'] },
    ]);
    expect(TOPIC_KEY_PUBLISH_ACTIONS).not.toContain('kms:Encrypt');
  });

  it('lets exactly this environment\'s alarms and event rules publish, and the account manage it', () => {
    const policies = Object.values(resourcesOf(json, 'aws_sns_topic_policy'));
    expect(policies).toHaveLength(1);
    expect(policies[0].arn).toBe(topicArn);
    const statements = policyDocument(json, policies[0].policy).statement;
    expect(statements).toEqual([
      { sid: 'ManagedByTheAccount', principals: [{ type: 'AWS', identifiers: [`arn:${PARTITION}:iam::${ACCOUNT}:root`] }], actions: TOPIC_MANAGEMENT_ACTIONS, resources: [topicArn] },
      {
        sid: 'PublishedByTheEnvironmentsAlarms',
        principals: [{ type: 'Service', identifiers: ['cloudwatch.amazonaws.com'] }],
        actions: ['sns:Publish'],
        resources: [topicArn],
        condition: [
          { test: 'StringEquals', variable: 'aws:SourceAccount', values: [ACCOUNT] },
          { test: 'ArnLike', variable: 'aws:SourceArn', values: [`arn:${PARTITION}:cloudwatch:us-east-1:${ACCOUNT}:alarm:migration-*-dev`] },
        ],
      },
      {
        sid: 'PublishedByTheEnvironmentsEventRules',
        principals: [{ type: 'Service', identifiers: ['events.amazonaws.com'] }],
        actions: ['sns:Publish'],
        resources: [topicArn],
        condition: [
          { test: 'StringEquals', variable: 'aws:SourceAccount', values: [ACCOUNT] },
          { test: 'ArnLike', variable: 'aws:SourceArn', values: [`arn:${PARTITION}:events:us-east-1:${ACCOUNT}:rule/migration-*-dev`] },
        ],
      },
    ]);
    // Only the two services publish; the account's own statement does not include Publish.
    expect(TOPIC_MANAGEMENT_ACTIONS).not.toContain('sns:Publish');
    expect(statements.filter((statement) => statement.actions.includes('sns:Publish')).map((statement) => statement.principals[0].identifiers)).toEqual([
      ['cloudwatch.amazonaws.com'], ['events.amazonaws.com'],
    ]);
  });

  it('subscribes every configured email address and HTTPS endpoint, keyed by the endpoint', () => {
    const subscriptions = Object.entries(resourcesOf(json, 'aws_sns_topic_subscription'));
    const byEndpoint = (a: Record<string, any>, b: Record<string, any>) => a.endpoint.localeCompare(b.endpoint);
    expect(subscriptions.map(([, body]) => body).sort(byEndpoint)).toEqual([
      { topic_arn: topicArn, protocol: 'email', endpoint: 'dba@example.com' },
      { topic_arn: topicArn, protocol: 'https', endpoint: 'https://alerts.example.com/sns?team=db', endpoint_auto_confirms: false },
      { topic_arn: topicArn, protocol: 'email', endpoint: 'ops@example.com' },
    ]);
    // Reordering the setting keeps every subscription's address, so none is re-created (and re-confirmed).
    const reordered = synthPlatform({ ALERT_EMAILS: 'dba@example.com,ops@example.com', ALERT_HTTPS_ENDPOINTS: 'https://alerts.example.com/sns?team=db' }).network.json;
    expect(Object.keys(resourcesOf(reordered, 'aws_sns_topic_subscription')).sort()).toEqual(subscriptions.map(([name]) => name).sort());
  });

  it('has no subscription when none is configured', () => {
    expect(resourcesOf(synthPlatform().network.json, 'aws_sns_topic_subscription')).toEqual({});
  });
});

describe('the load balancer alarms', () => {
  const { json } = synthPlatform().network;
  const alb = addressOf(json, 'aws_lb', 'migration-alb-dev');
  const topicArn = ref(addressOf(json, 'aws_sns_topic', 'migration-alerts-dev'), 'arn');
  const dimensions = { LoadBalancer: ref(alb, 'arn_suffix') };

  it('alarm on the 5xx rate as metric math over the load balancer\'s and the targets\' 5xx and the requests, guarded against no traffic', () => {
    const alarm = resourceNamed(json, 'aws_cloudwatch_metric_alarm', 'migration-alb-5xx-rate-dev');
    const metric = (name: string) => ({ namespace: 'AWS/ApplicationELB', metric_name: name, dimensions, period: 60, stat: 'Sum' });
    expect(alarm).toMatchObject({
      alarm_name: 'migration-alb-5xx-rate-dev',
      comparison_operator: 'GreaterThanThreshold',
      threshold: 5,
      evaluation_periods: 5,
      datapoints_to_alarm: 3,
      treat_missing_data: 'notBreaching',
      actions_enabled: true,
      alarm_actions: [topicArn],
      ok_actions: [topicArn],
    });
    expect(alarm.metric_query).toEqual([
      { id: 'result', expression: ERROR_RATE_EXPRESSION, label: '5xx responses, percent of requests', return_data: true },
      { id: 'elb5xx', return_data: false, metric: metric('HTTPCode_ELB_5XX_Count') },
      { id: 'target5xx', return_data: false, metric: metric('HTTPCode_Target_5XX_Count') },
      { id: 'requests', return_data: false, metric: metric('RequestCount') },
    ]);
    expect(ERROR_RATE_EXPRESSION).toBe('IF(FILL(requests, 0) > 0, 100 * (FILL(elb5xx, 0) + FILL(target5xx, 0)) / FILL(requests, 0), IF(FILL(elb5xx, 0) > 0, 100, 0))');
    expect(alarm.metric_name).toBeUndefined();
  });

  it('alarm on the targets\' p99 response time, in seconds', () => {
    expect(resourceNamed(json, 'aws_cloudwatch_metric_alarm', 'migration-alb-p99-latency-dev')).toEqual({
      alarm_name: 'migration-alb-p99-latency-dev',
      alarm_description: 'The slowest 1% of responses took more than 2000 ms for 15 minutes',
      namespace: 'AWS/ApplicationELB',
      metric_name: 'TargetResponseTime',
      dimensions,
      extended_statistic: 'p99',
      period: 300,
      comparison_operator: 'GreaterThanThreshold',
      threshold: 2,
      evaluation_periods: 3,
      datapoints_to_alarm: 3,
      treat_missing_data: 'notBreaching',
      actions_enabled: true,
      alarm_actions: [topicArn],
      ok_actions: [topicArn],
      tags: { Name: 'migration-alb-p99-latency-dev' },
    });
  });

  it('take their thresholds from the configuration', () => {
    const configured = synthPlatform({ ALARM_ALB_5XX_PERCENT: '2', ALARM_ALB_P99_MS: '750' }).network.json;
    expect(resourceNamed(configured, 'aws_cloudwatch_metric_alarm', 'migration-alb-5xx-rate-dev').threshold).toBe(2);
    expect(resourceNamed(configured, 'aws_cloudwatch_metric_alarm', 'migration-alb-p99-latency-dev').threshold).toBe(0.75);
  });
});

describe('alert and backup settings refuse bad values with a clear message', () => {
  it.each([
    ['an email without a domain', { ALERT_EMAILS: 'ops@example.com,oncall' }, 'ALERT_EMAILS "oncall" is not allowed: use comma-separated email addresses such as ops@example.com'],
    ['an email with a space', { ALERT_EMAILS: 'on call@example.com' }, 'ALERT_EMAILS "on call@example.com" is not allowed'],
    ['a plain HTTP endpoint', { ALERT_HTTPS_ENDPOINTS: 'http://alerts.example.com/sns' }, 'ALERT_HTTPS_ENDPOINTS "http://alerts.example.com/sns" is not allowed: only https:// URLs are accepted'],
    ['something that is no URL', { ALERT_HTTPS_ENDPOINTS: 'alerts.example.com' }, 'ALERT_HTTPS_ENDPOINTS "alerts.example.com" is not allowed: use comma-separated https:// URLs'],
    ['credentials in an endpoint', { ALERT_HTTPS_ENDPOINTS: 'https://user:secret@alerts.example.com/sns' }, 'is not allowed: credentials in the URL would be written to the synthesized configuration'],
    ['a percentage above 100', { ALARM_ALB_5XX_PERCENT: '150' }, 'ALARM_ALB_5XX_PERCENT "150" is not allowed: use a whole number of percent from 1 to 100'],
    ['a latency that is no number', { ALARM_ALB_P99_MS: '2s' }, 'ALARM_ALB_P99_MS "2s" is not allowed: use a whole number of milliseconds from 10 to 60000'],
    ['a zero connection limit', { ALARM_DB_MAX_CONNECTIONS: '0' }, 'ALARM_DB_MAX_CONNECTIONS "0" is not allowed: use a whole number of connections from 10 to 262143'],
    ['a retention of no days', { BACKUP_RETENTION_DAYS: '0' }, 'BACKUP_RETENTION_DAYS "0" is not allowed: use a whole number of days from 1 to 36500'],
    ['an unknown copy region', { BACKUP_COPY_REGION: 'eu-middle-1' }, 'BACKUP_COPY_REGION "eu-middle-1" is not allowed: use one of us-east-1'],
    ['the deployment region as copy region', { BACKUP_COPY_REGION: 'us-east-1' }, 'BACKUP_COPY_REGION "us-east-1" is AWS_REGION itself'],
    ['a copy region in another partition', { BACKUP_COPY_REGION: 'cn-north-1' }, 'BACKUP_COPY_REGION "cn-north-1" is in another AWS partition than AWS_REGION us-east-1'],
  ])('%s', (_, env, message) => {
    expect(problemsOf(env)).toEqual([expect.stringContaining(message)]);
  });

  it('reports every bad address, not just the first', () => {
    expect(problemsOf({ ALERT_EMAILS: 'a, b@example.com, c' })).toEqual([
      expect.stringContaining('ALERT_EMAILS "a"'), expect.stringContaining('ALERT_EMAILS "c"'),
    ]);
  });

  it('ignores blanks between commas', () => {
    expect(loadConfig({ env: { ALERT_EMAILS: ' ops@example.com, ,' } }).alerts.emails).toEqual(['ops@example.com']);
  });
});
