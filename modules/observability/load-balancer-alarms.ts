/**
 * Alarms on what users of the load balancer see: the share of requests answered with a 5xx (metric math
 * over the load balancer's and its targets' 5xx counts) and the targets' p99 response time.
 */
import { Construct } from 'constructs';
import { Naming } from '../core/naming';
import { MetricAlarm } from './metric-alarm';
import { loadBalancerMetric } from './metrics';

/**
 * 5xx responses as a percentage of requests. RequestCount leaves out requests refused before a target was
 * chosen (the load balancer's own 503s when no target is healthy), so with no counted request but load
 * balancer 5xx the rate is 100, and with neither it is 0; FILL makes a minute without a metric count as 0.
 */
export const ERROR_RATE_EXPRESSION =
  'IF(FILL(requests, 0) > 0, 100 * (FILL(elb5xx, 0) + FILL(target5xx, 0)) / FILL(requests, 0), IF(FILL(elb5xx, 0) > 0, 100, 0))';

export interface LoadBalancerAlarmsProps {
  readonly naming: Naming;
  /** The load balancer's ARN suffix (`app/<name>/<id>`), its CloudWatch dimension. */
  readonly albArnSuffix: string;
  readonly topicArn: string;
  /** Percent of requests answered 5xx that fires the alarm. */
  readonly errorRatePercent: number;
  /** p99 target response time, milliseconds, that fires the alarm. */
  readonly p99Milliseconds: number;
}

export class LoadBalancerAlarms extends Construct {
  readonly errorRate: MetricAlarm;
  readonly latency: MetricAlarm;

  constructor(scope: Construct, id: string, props: LoadBalancerAlarmsProps) {
    super(scope, id);
    const { naming, albArnSuffix, topicArn } = props;
    this.errorRate = new MetricAlarm(this, 'error-rate', {
      naming,
      component: 'alb-5xx-rate',
      description: `More than ${props.errorRatePercent}% of requests to the load balancer were answered with a 5xx in 3 of the last 5 minutes`,
      expression: ERROR_RATE_EXPRESSION,
      expressionLabel: '5xx responses, percent of requests',
      metrics: {
        elb5xx: { metric: loadBalancerMetric('HTTPCode_ELB_5XX_Count', albArnSuffix), statistic: 'Sum' },
        target5xx: { metric: loadBalancerMetric('HTTPCode_Target_5XX_Count', albArnSuffix), statistic: 'Sum' },
        requests: { metric: loadBalancerMetric('RequestCount', albArnSuffix), statistic: 'Sum' },
      },
      comparison: 'GreaterThanThreshold',
      threshold: props.errorRatePercent,
      evaluationPeriods: 5,
      datapointsToAlarm: 3,
      // No data means no requests at all in the minute: nothing failed.
      treatMissingData: 'notBreaching',
      topicArn,
    });
    this.latency = new MetricAlarm(this, 'latency', {
      naming,
      component: 'alb-p99-latency',
      description: `The slowest 1% of responses took more than ${props.p99Milliseconds} ms for 15 minutes`,
      metric: loadBalancerMetric('TargetResponseTime', albArnSuffix),
      statistic: 'p99',
      comparison: 'GreaterThanThreshold',
      // TargetResponseTime is in seconds.
      threshold: props.p99Milliseconds / 1000,
      periodSeconds: 300,
      evaluationPeriods: 3,
      // No data means no request reached a target: nothing was slow (failures are the 5xx alarm's).
      treatMissingData: 'notBreaching',
      topicArn,
    });
  }

  /** The alarms that mean users are affected, for the platform health alarm (references, so it is made after them). */
  get userImpactAlarmNames(): string[] {
    return [this.errorRate.alarm.alarmName, this.latency.alarm.alarmName];
  }
}
