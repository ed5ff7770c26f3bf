/**
 * Alarms on the hosts behind the load balancer, for each colour that carries traffic (a colour at weight 0
 * is where a release warms up: its instances may be unhealthy without anyone being affected):
 * - some unhealthy hosts: a fleet is degraded, the others still serve;
 * - no healthy host: that colour's share of users gets the load balancer's 503s.
 * For the app layer: `activeColors` are the colours whose BLUE_WEIGHT / GREEN_WEIGHT is above 0.
 */
import { Construct } from 'constructs';
import { Naming } from '../core/naming';
import { MetricAlarm } from './metric-alarm';
import { targetGroupMetric } from './metrics';
import { AppColor } from '../core/config';


export interface TargetGroupAlarmsProps {
  readonly naming: Naming;
  /** The load balancer's ARN suffix (network output `AlbArnSuffix`). */
  readonly albArnSuffix: string;
  /** Each colour's target group ARN suffix (`BlueTargetGroupArnSuffix`, `GreenTargetGroupArnSuffix`). */
  readonly targetGroupArnSuffixes: Readonly<Record<AppColor, string>>;
  /** Colours that carry traffic; alarms are made for these only. */
  readonly activeColors: readonly AppColor[];
  readonly topicArn: string;
  /** Minutes a host may stay unhealthy before the alarm fires. @default 3 */
  readonly unhealthyMinutes?: number;
}

export interface ColorAlarms {
  readonly unhealthyHosts: MetricAlarm;
  readonly noHealthyHosts: MetricAlarm;
}

export class TargetGroupAlarms extends Construct {
  readonly byColor: Partial<Record<AppColor, ColorAlarms>> = {};

  constructor(scope: Construct, id: string, props: TargetGroupAlarmsProps) {
    super(scope, id);
    if (props.activeColors.length === 0) throw new Error('TargetGroupAlarms needs at least one colour that carries traffic');
    const { naming, albArnSuffix, topicArn } = props;
    const minutes = props.unhealthyMinutes ?? 3;
    for (const color of props.activeColors) {
      const targetGroup = props.targetGroupArnSuffixes[color];
      this.byColor[color] = {
        unhealthyHosts: new MetricAlarm(this, `${color}-unhealthy`, {
          naming,
          component: `${color}-unhealthy-hosts`,
          description: `At least one ${color} host failed its health checks for ${minutes} minutes`,
          metric: targetGroupMetric('UnHealthyHostCount', albArnSuffix, targetGroup),
          statistic: 'Maximum',
          comparison: 'GreaterThanOrEqualToThreshold',
          threshold: 1,
          evaluationPeriods: minutes,
          // The load balancer reports a target group carrying traffic every minute: silence means it no longer does.
          treatMissingData: 'breaching',
          topicArn,
        }),
        noHealthyHosts: new MetricAlarm(this, `${color}-no-healthy`, {
          naming,
          component: `${color}-no-healthy-hosts`,
          description: `No ${color} host has been healthy for ${minutes} minutes: its share of the traffic is answered 503`,
          metric: targetGroupMetric('HealthyHostCount', albArnSuffix, targetGroup),
          statistic: 'Minimum',
          comparison: 'LessThanThreshold',
          threshold: 1,
          evaluationPeriods: minutes,
          // As above: silence from a colour that carries traffic is not health.
          treatMissingData: 'breaching',
          topicArn,
        }),
      };
    }
  }

  /** The alarms that mean users are affected (no healthy host in a serving colour), as references. */
  get userImpactAlarmNames(): string[] {
    return Object.values(this.byColor).map((alarms) => alarms.noHealthyHosts.alarm.alarmName);
  }
}
