/**
 * The observability constructs the app layer will wire (it is built elsewhere): each synthesized on its own,
 * from plain values such as the app layer will read from the network and data layers' contract.
 */
import { AutoscalingGroup } from '@cdktf/provider-aws/lib/autoscaling-group';
import { DbInstance } from '@cdktf/provider-aws/lib/db-instance';
import { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';
import { Lb } from '@cdktf/provider-aws/lib/lb';
import { LbTargetGroup } from '@cdktf/provider-aws/lib/lb-target-group';
import { Fn, Testing } from 'cdktf';
import { Construct } from 'constructs';
import { Naming } from '../modules/core/naming';
import { DatabaseBackup } from '../modules/data/backup';
import { DatabaseRestoreTest } from '../modules/data/restore-testing';
import { Dashboard } from '../modules/observability/dashboard';
import { FleetLaunchFailureAlerts } from '../modules/observability/fleet-launch-failure-alerts';
import { DatabaseAlarms } from '../modules/observability/database-alarms';
import { ERROR_RATE_EXPRESSION, LoadBalancerAlarms } from '../modules/observability/load-balancer-alarms';
import { MetricAlarm } from '../modules/observability/metric-alarm';
import { PlatformHealthAlarm } from '../modules/observability/platform-health-alarm';
import { TargetGroupAlarms } from '../modules/observability/target-group-alarms';
import { resourcesOf, StackJson } from './support/synth';
import { ServiceRole } from '../modules/core/iam';

const naming = new Naming('migration', 'prod', 'eu-west-1');
const TOPIC = 'arn:aws:sns:eu-west-1:123456789012:migration-alerts-prod';
const ALB = 'app/migration-alb-prod/0123456789abcdef';
const GROUPS = { blue: 'targetgroup/migration-blue-prod/1111111111111111', green: 'targetgroup/migration-green-prod/2222222222222222' };
const synth = (build: (scope: Construct) => void): StackJson => JSON.parse(Testing.synthScope(build));
/** The metric alarms of a stack, by name. */
const alarms = (json: StackJson) => Object.values(resourcesOf(json, 'aws_cloudwatch_metric_alarm')).sort((a, b) => a.alarm_name.localeCompare(b.alarm_name));

describe('TargetGroupAlarms', () => {
  const build = (activeColors: Array<'blue' | 'green'>) => synth((scope) => {
    new TargetGroupAlarms(scope, 'hosts', { naming, albArnSuffix: ALB, targetGroupArnSuffixes: GROUPS, activeColors, topicArn: TOPIC });
  });

  it('alarms on unhealthy hosts and on no healthy host for each colour that carries traffic, on its target group', () => {
    const json = build(['blue']);
    expect(alarms(json)).toEqual([
      {
        alarm_name: 'migration-blue-no-healthy-hosts-prod',
        alarm_description: 'No blue host has been healthy for 3 minutes: its share of the traffic is answered 503',
        namespace: 'AWS/ApplicationELB', metric_name: 'HealthyHostCount', statistic: 'Minimum', period: 60,
        dimensions: { TargetGroup: GROUPS.blue, LoadBalancer: ALB },
        comparison_operator: 'LessThanThreshold', threshold: 1, evaluation_periods: 3, datapoints_to_alarm: 3,
        treat_missing_data: 'breaching', actions_enabled: true, alarm_actions: [TOPIC], ok_actions: [TOPIC],
        tags: { Name: 'migration-blue-no-healthy-hosts-prod' },
      },
      {
        alarm_name: 'migration-blue-unhealthy-hosts-prod',
        alarm_description: 'At least one blue host failed its health checks for 3 minutes',
        namespace: 'AWS/ApplicationELB', metric_name: 'UnHealthyHostCount', statistic: 'Maximum', period: 60,
        dimensions: { TargetGroup: GROUPS.blue, LoadBalancer: ALB },
        comparison_operator: 'GreaterThanOrEqualToThreshold', threshold: 1, evaluation_periods: 3, datapoints_to_alarm: 3,
        treat_missing_data: 'breaching', actions_enabled: true, alarm_actions: [TOPIC], ok_actions: [TOPIC],
        tags: { Name: 'migration-blue-unhealthy-hosts-prod' },
      },
    ]);
  });

  it('watches both colours while traffic is split, each on its own target group', () => {
    const json = build(['blue', 'green']);
    expect(alarms(json).map((alarm) => [alarm.alarm_name, alarm.dimensions.TargetGroup])).toEqual([
      ['migration-blue-no-healthy-hosts-prod', GROUPS.blue], ['migration-blue-unhealthy-hosts-prod', GROUPS.blue],
      ['migration-green-no-healthy-hosts-prod', GROUPS.green], ['migration-green-unhealthy-hosts-prod', GROUPS.green],
    ]);
  });

  it('refuses to watch no colour', () => {
    expect(() => build([])).toThrow('TargetGroupAlarms needs at least one colour that carries traffic');
  });
});

describe('PlatformHealthAlarm', () => {
  it('is in ALARM when any of the alarms named is, and tells the topic both ways', () => {
    const json = synth((scope) => {
      new PlatformHealthAlarm(scope, 'health', { naming, alarmNames: ['migration-alb-5xx-rate-prod', 'migration-blue-no-healthy-hosts-prod'], topicArn: TOPIC });
    });
    expect(Object.values(resourcesOf(json, 'aws_cloudwatch_composite_alarm'))).toEqual([{
      alarm_name: 'migration-platform-health-prod',
      alarm_description: 'Users of prod are affected: one of the alarms in the rule is in ALARM',
      alarm_rule: '${join(" OR ", formatlist("ALARM(\\"%s\\")", ["migration-alb-5xx-rate-prod", "migration-blue-no-healthy-hosts-prod"]))}',
      actions_enabled: true,
      alarm_actions: [TOPIC],
      ok_actions: [TOPIC],
      tags: { Name: 'migration-platform-health-prod' },
    }]);
  });

  it('combines the lists the other layers publish with the app layer\'s own alarms, made before it', () => {
    const json = synth((scope) => {
      const hosts = new TargetGroupAlarms(scope, 'hosts', { naming, albArnSuffix: ALB, targetGroupArnSuffixes: GROUPS, activeColors: ['green'], topicArn: TOPIC });
      const fromNetwork = ['migration-alb-5xx-rate-prod', 'migration-alb-p99-latency-prod'];
      new PlatformHealthAlarm(scope, 'health', { naming, alarmNames: Fn.concat([fromNetwork, hosts.userImpactAlarmNames]), topicArn: TOPIC });
    });
    const [address] = Object.keys(resourcesOf(json, 'aws_cloudwatch_metric_alarm')).filter((name) => name.includes('green-no-healthy'));
    expect(Object.values(resourcesOf(json, 'aws_cloudwatch_composite_alarm'))[0].alarm_rule).toBe(
      `\${join(" OR ", formatlist("ALARM(\\"%s\\")", concat(["migration-alb-5xx-rate-prod", "migration-alb-p99-latency-prod"], [aws_cloudwatch_metric_alarm.${address}.alarm_name])))}`);
  });
});

describe('FleetLaunchFailureAlerts', () => {
  const json = synth((scope) => {
    new FleetLaunchFailureAlerts(scope, 'launches', { naming, groupNames: ['migration-blue-prod', 'migration-green-prod'], topicArn: TOPIC });
  });

  it('sends Auto Scaling\'s unsuccessful launches of either fleet to the topic', () => {
    const [rule] = Object.values(resourcesOf(json, 'aws_cloudwatch_event_rule'));
    expect(rule.name).toBe('migration-fleet-launch-failed-prod');
    expect(JSON.parse(rule.event_pattern)).toEqual({
      source: ['aws.autoscaling'],
      'detail-type': ['EC2 Instance Launch Unsuccessful'],
      detail: { AutoScalingGroupName: ['migration-blue-prod', 'migration-green-prod'] },
    });
    const [target] = Object.values(resourcesOf(json, 'aws_cloudwatch_event_target'));
    expect(target).toMatchObject({ arn: TOPIC, target_id: 'alerts-topic' });
  });

  it('names the fleet, the time, the status and the cause in its message', () => {
    const { input_transformer: transformer } = Object.values(resourcesOf(json, 'aws_cloudwatch_event_target'))[0];
    expect(transformer.input_paths).toEqual({ group: '$.detail.AutoScalingGroupName', time: '$.time', status: '$.detail.StatusMessage', cause: '$.detail.Cause' });
    const message: string = JSON.parse(transformer.input_template);
    expect(message).toMatch(/^Auto Scaling could not launch an instance into <group> \(prod\) at <time>: <status>\. Cause: <cause>\./);
    expect(new Set([...message.matchAll(/<(\w+)>/g)].map((match) => match[1]))).toEqual(new Set(Object.keys(transformer.input_paths)));
  });

  it('refuses to watch no fleet', () => {
    expect(() => synth((scope) => new FleetLaunchFailureAlerts(scope, 'launches', { naming, groupNames: [], topicArn: TOPIC }))).toThrow('needs the Auto Scaling groups');
  });
});

describe('Dashboard', () => {
  /** The dashboard over real resources of a stack, with the alarms built from the same values. */
  const json = synth((scope) => {
    const alb = new Lb(scope, 'alb', { name: 'migration-alb-prod' });
    const groups = {
      blue: new LbTargetGroup(scope, 'blue', { name: 'migration-blue-prod' }),
      green: new LbTargetGroup(scope, 'green', { name: 'migration-green-prod' }),
    };
    const fleets = {
      blue: new AutoscalingGroup(scope, 'blue-fleet', { name: 'migration-blue-prod', minSize: 0, maxSize: 4 }),
      green: new AutoscalingGroup(scope, 'green-fleet', { name: 'migration-green-prod', minSize: 0, maxSize: 4 }),
    };
    const db = new DbInstance(scope, 'db', { instanceClass: 'db.t4g.medium' });
    const fn = new LambdaFunction(scope, 'fn', { functionName: 'migration-secret-rotation-prod', role: 'arn:aws:iam::123456789012:role/x' });
    const suffixes = { blue: groups.blue.arnSuffix, green: groups.green.arnSuffix };
    new Dashboard(scope, 'dashboard', {
      naming, region: 'eu-west-1', albArnSuffix: alb.arnSuffix, targetGroupArnSuffixes: suffixes,
      autoScalingGroupNames: { blue: fleets.blue.name, green: fleets.green.name },
      databaseInstanceIdentifier: db.identifier, rotationFunctionName: fn.functionName,
    });
    new LoadBalancerAlarms(scope, 'alb-alarms', { naming, albArnSuffix: alb.arnSuffix, topicArn: TOPIC, errorRatePercent: 5, p99Milliseconds: 2000 });
    new TargetGroupAlarms(scope, 'hosts', { naming, albArnSuffix: alb.arnSuffix, targetGroupArnSuffixes: suffixes, activeColors: ['blue', 'green'], topicArn: TOPIC });
    new DatabaseAlarms(scope, 'db-alarms', {
      naming, instanceIdentifier: db.identifier, topicArn: TOPIC, cpuPercent: 80, allocatedStorageGib: 20, freeStoragePercent: 5,
      freeableMemoryMib: 256, maxConnections: 450, connectionsPercent: 80,
    });
  });
  const [dashboard] = Object.values(resourcesOf(json, 'aws_cloudwatch_dashboard'));
  const body = JSON.parse(dashboard.dashboard_body) as { widgets: Array<Record<string, any>> };
  const graphs = body.widgets.filter((widget) => widget.type === 'metric');
  /** Every metric line as namespace, name and dimensions (math lines have none). */
  const lines = graphs.flatMap((graph) => (graph.properties.metrics as unknown[][])
    .filter((line) => typeof line[0] === 'string')
    .map((line) => {
      const [namespace, metricName, ...rest] = line as string[];
      const pairs = rest.filter((item) => typeof item === 'string');
      return { namespace, metricName, dimensions: Object.fromEntries(pairs.flatMap((_, index) => index % 2 === 0 ? [[pairs[index], pairs[index + 1]]] : [])) };
    }));
  const address = (type: string, name: string) => `${type}.${Object.keys(resourcesOf(json, type)).find((key) => key.startsWith(name))}`;

  it('is named with the suffix and lays out four rows of graphs, 24 units wide', () => {
    expect(dashboard.dashboard_name).toBe('migration-platform-prod');
    expect(body.widgets.filter((widget) => widget.type === 'text').map((widget) => widget.properties.markdown)).toEqual([
      '## Load balancer: golden signals', '## Fleets: blue and green side by side', '## Database', '## Secret rotation function',
    ]);
    for (const widget of body.widgets) expect(widget.x + widget.width).toBeLessThanOrEqual(24);
    expect(graphs.every((graph) => graph.properties.region === 'eu-west-1')).toBe(true);
  });

  it('takes every dimension from a real resource of the stack, never a literal', () => {
    const allowed: Record<string, string[]> = {
      LoadBalancer: [`\${${address('aws_lb', 'alb')}.arn_suffix}`],
      TargetGroup: ['blue', 'green'].map((color) => `\${${address('aws_lb_target_group', color)}.arn_suffix}`),
      AutoScalingGroupName: ['blue', 'green'].map((color) => `\${${address('aws_autoscaling_group', `${color}-fleet`)}.name}`),
      DBInstanceIdentifier: [`\${${address('aws_db_instance', 'db')}.identifier}`],
      FunctionName: [`\${${address('aws_lambda_function', 'fn')}.function_name}`],
    };
    expect(lines.length).toBeGreaterThan(20);
    for (const line of lines) {
      for (const [dimension, value] of Object.entries(line.dimensions)) expect(allowed[dimension]).toContain(value);
    }
    // Every resource appears: both fleets, both target groups, the database and the function.
    const used = new Set(lines.flatMap((line) => Object.values(line.dimensions)));
    expect(Object.values(allowed).flat().filter((value) => !used.has(value))).toEqual([]);
  });

  it('shows both fleets on the same graphs, blue and green', () => {
    const fleetRow = graphs.filter((graph) => graph.y === body.widgets.find((widget) => widget.properties.markdown === '## Fleets: blue and green side by side')!.y + 1);
    expect(fleetRow).toHaveLength(4);
    const labels = fleetRow.map((graph) => graph.properties.metrics.map((line: unknown[]) => (line[line.length - 1] as { label: string }).label));
    expect(labels).toEqual([['blue', 'green'], ['blue', 'green', 'blue unhealthy', 'green unhealthy'], ['blue', 'green'], ['blue', 'green']]);
  });

  it('graphs exactly what the alarms watch: the same metrics and dimensions, and the alarm\'s 5xx expression', () => {
    const key = (metric: { namespace: string; metricName: string; dimensions: Record<string, string> }) =>
      JSON.stringify([metric.namespace, metric.metricName, Object.entries(metric.dimensions).sort()]);
    const graphed = new Set(lines.map(key));
    const watched = alarms(json).flatMap((alarm) => alarm.metric_query
      ? alarm.metric_query.filter((query: any) => query.metric).map((query: any) => ({ namespace: query.metric.namespace, metricName: query.metric.metric_name, dimensions: query.metric.dimensions }))
      : [{ namespace: alarm.namespace, metricName: alarm.metric_name, dimensions: alarm.dimensions }]);
    expect(watched.length).toBe(12);
    expect(watched.filter((metric) => !graphed.has(key(metric)))).toEqual([]);
    const expressions = graphs.flatMap((graph) => graph.properties.metrics).filter((line: any[]) => typeof line[0] === 'object').map((line: any[]) => line[0].expression);
    expect(expressions).toEqual([ERROR_RATE_EXPRESSION]);
  });
});

describe('construct inputs are checked at synth time', () => {
  const metric = { namespace: 'AWS/RDS', metricName: 'CPUUtilization', dimensions: { DBInstanceIdentifier: 'db' } };
  const alarmWith = (overrides: Record<string, number>) => () => synth((scope) => new MetricAlarm(scope, 'cpu', {
    naming, component: 'cpu', description: 'cpu', metric, statistic: 'Average', threshold: 80, comparison: 'GreaterThanThreshold',
    treatMissingData: 'missing', topicArn: TOPIC, ...overrides,
  }));

  it.each([
    [{ periodSeconds: 45 }, 'cpu: a period of 45 s is not one CloudWatch accepts (10, 20, 30 or a multiple of 60)'],
    [{ periodSeconds: 90 }, 'a period of 90 s is not one CloudWatch accepts'],
    [{ evaluationPeriods: 0 }, 'cpu: evaluationPeriods must be a whole number of 1 or more'],
    [{ evaluationPeriods: 3, datapointsToAlarm: 4 }, 'cpu: datapointsToAlarm 4 must be from 1 to evaluationPeriods (3)'],
  ])('an alarm with %j', (overrides, message) => {
    expect(alarmWith(overrides)).toThrow(message);
  });

  it('accepts the periods CloudWatch does', () => {
    for (const periodSeconds of [10, 30, 60, 300, 3600]) expect(alarmWith({ periodSeconds })).not.toThrow();
  });

  const restoreTest = (overrides: Record<string, number>) => () => synth((scope) => new DatabaseRestoreTest(scope, 'restore', {
    naming, vaultArn: 'arn:aws:backup:eu-west-1:123456789012:backup-vault:v', databaseArn: 'arn:aws:rds:eu-west-1:123456789012:db:d',
    role: new ServiceRole(scope, 'role', { name: 'r', description: 'restores', servicePrincipal: 'backup.amazonaws.com', statements: [] }),
    subnetGroupName: 'g', securityGroupIds: ['sg-1'], ...overrides,
  }));
  it.each([
    [{ validationWindowHours: 0 }, 'validationWindowHours 0 is not allowed: use 1 to 168 hours'],
    [{ startWindowHours: 169 }, 'startWindowHours 169 is not allowed: use 1 to 168 hours'],
  ])('a restore test with %j', (overrides, message) => {
    expect(restoreTest(overrides)).toThrow(message);
  });

  const backup = (overrides: Record<string, unknown>) => () => synth((scope) => new DatabaseBackup(scope, 'backup', {
    naming, region: 'eu-west-1', databaseArn: 'arn:aws:rds:eu-west-1:123456789012:db:d', kmsKeyArn: 'arn:aws:kms:eu-west-1:123456789012:key/k',
    retentionDays: 35, ...overrides,
  }));
  it('a backup kept no day, or copied to its own region', () => {
    expect(backup({ retentionDays: 0 })).toThrow('retentionDays 0 is not allowed');
    expect(backup({ copy: { region: 'eu-west-1', tags: {} } })).toThrow('the copy region eu-west-1 is the vault\'s own region');
    expect(backup({})).not.toThrow();
  });
});
