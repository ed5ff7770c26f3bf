/**
 * One CloudWatch alarm on a metric or on metric math, named with the suffix, that tells the alerts topic
 * both when it fires and when it recovers. Every alarm of the platform is made here, so none can be made
 * without actions.
 */
import { CloudwatchMetricAlarm, CloudwatchMetricAlarmMetricQuery } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import { Construct } from 'constructs';
import { Naming } from '../core/naming';
import { Metric } from './metrics';

/** What CloudWatch does while a metric has no data: each alarm says which and why. */
export type TreatMissingData = 'missing' | 'ignore' | 'breaching' | 'notBreaching';
export type Comparison = 'GreaterThanOrEqualToThreshold' | 'GreaterThanThreshold' | 'LessThanThreshold' | 'LessThanOrEqualToThreshold';

interface AlarmBase {
  readonly naming: Naming;
  /** Middle part of the alarm name: `<project>-<component>-<suffix>`. */
  readonly component: string;
  readonly description: string;
  readonly threshold: number;
  readonly comparison: Comparison;
  readonly treatMissingData: TreatMissingData;
  /** SNS topic told of ALARM and of OK. */
  readonly topicArn: string;
  /** @default 60 */
  readonly periodSeconds?: number;
  /** @default 5 */
  readonly evaluationPeriods?: number;
  /** Breaching periods among `evaluationPeriods` that fire the alarm. @default evaluationPeriods */
  readonly datapointsToAlarm?: number;
}

/** An alarm on one metric with a statistic (`Average`, `Maximum`, `Sum`, …) or a percentile (`p99`). */
export interface MetricAlarmProps extends AlarmBase {
  readonly metric: Metric;
  readonly statistic: string;
}

/** An alarm on metric math: `expression` over the named `metrics` (ids are lowercase letters and digits). */
export interface MathAlarmProps extends AlarmBase {
  readonly expression: string;
  readonly expressionLabel: string;
  readonly metrics: Readonly<Record<string, { readonly metric: Metric; readonly statistic: string }>>;
}

const PERCENTILE = /^p\d+(\.\d+)?$/;

export class MetricAlarm extends Construct {
  readonly alarm: CloudwatchMetricAlarm;

  constructor(scope: Construct, id: string, props: MetricAlarmProps | MathAlarmProps) {
    super(scope, id);
    const name = props.naming.name(props.component);
    const period = props.periodSeconds ?? 60;
    const evaluationPeriods = props.evaluationPeriods ?? 5;
    const datapointsToAlarm = props.datapointsToAlarm ?? evaluationPeriods;
    // What CloudWatch refuses at apply time, refused at synth time instead.
    if (![10, 20, 30].includes(period) && (period < 60 || period % 60 !== 0)) throw new Error(`${id}: a period of ${period} s is not one CloudWatch accepts (10, 20, 30 or a multiple of 60)`);
    if (!Number.isInteger(evaluationPeriods) || evaluationPeriods < 1) throw new Error(`${id}: evaluationPeriods must be a whole number of 1 or more`);
    if (!Number.isInteger(datapointsToAlarm) || datapointsToAlarm < 1 || datapointsToAlarm > evaluationPeriods) {
      throw new Error(`${id}: datapointsToAlarm ${datapointsToAlarm} must be from 1 to evaluationPeriods (${evaluationPeriods})`);
    }
    const what = 'metric' in props
      ? {
        namespace: props.metric.namespace,
        metricName: props.metric.metricName,
        dimensions: { ...props.metric.dimensions },
        period,
        ...(PERCENTILE.test(props.statistic) ? { extendedStatistic: props.statistic } : { statistic: props.statistic }),
      }
      : {
        metricQuery: [
          { id: 'result', expression: props.expression, label: props.expressionLabel, returnData: true },
          ...Object.entries(props.metrics).map(([queryId, { metric, statistic }]): CloudwatchMetricAlarmMetricQuery => ({
            id: queryId,
            returnData: false,
            metric: { namespace: metric.namespace, metricName: metric.metricName, dimensions: { ...metric.dimensions }, period, stat: statistic },
          })),
        ],
      };
    this.alarm = new CloudwatchMetricAlarm(this, 'alarm', {
      alarmName: name,
      alarmDescription: props.description,
      ...what,
      comparisonOperator: props.comparison,
      threshold: props.threshold,
      evaluationPeriods,
      datapointsToAlarm,
      treatMissingData: props.treatMissingData,
      actionsEnabled: true,
      alarmActions: [props.topicArn],
      okActions: [props.topicArn],
      tags: { Name: name },
    });
  }
}
