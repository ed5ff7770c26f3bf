/**
 * Alerts on the rotation of the database secret:
 * - an EventBridge rule on Secrets Manager's `RotationFailed` event for this one secret (delivered through
 *   CloudTrail as an "AWS Service Event via CloudTrail", the secret's ARN in `additionalEventData.SecretId`),
 *   which names the secret in a readable message;
 * - an alarm on the rotation function's Errors: every failed step throws, so this covers the function's own
 *   failures (timeouts included), also when a rotation is retried before Secrets Manager gives up;
 * - an alarm on its Duration nearing its timeout: a database that answers slowly is about to fail rotation.
 */
import { Op, Token } from 'cdktf';
import { Construct } from 'constructs';
import { Naming } from '../core/naming';
import { EventAlert } from './event-alert';
import { MetricAlarm } from './metric-alarm';
import { lambdaMetric } from './metrics';

/** Share of the function's timeout that a run may take before the duration alarm fires. */
export const DURATION_ALARM_SHARE_OF_TIMEOUT = 0.8;

export interface RotationAlertsProps {
  readonly naming: Naming;
  /** ARN of the secret whose rotation is watched. */
  readonly secretArn: string;
  /** Name of the rotation function, from its resource. */
  readonly functionName: string;
  /** The function's timeout in seconds, from its resource (a reference, so the alarm follows the function). */
  readonly functionTimeoutSeconds: number;
  readonly topicArn: string;
}

export class RotationAlerts extends Construct {
  readonly rotationFailed: EventAlert;
  readonly errors: MetricAlarm;
  readonly duration: MetricAlarm;

  constructor(scope: Construct, id: string, props: RotationAlertsProps) {
    super(scope, id);
    const { naming, topicArn } = props;
    this.rotationFailed = new EventAlert(this, 'rotation-failed', {
      naming,
      component: 'secret-rotation-failed',
      description: 'Secrets Manager could not rotate the database credentials secret',
      eventPattern: {
        source: ['aws.secretsmanager'],
        'detail-type': ['AWS Service Event via CloudTrail'],
        detail: {
          eventSource: ['secretsmanager.amazonaws.com'],
          eventName: ['RotationFailed'],
          additionalEventData: { SecretId: [props.secretArn] },
        },
      },
      topicArn,
      inputPaths: { secret: '$.detail.additionalEventData.SecretId', time: '$.time', account: '$.account', region: '$.region' },
      message: `Rotation of the ${naming.environmentSuffix} database credentials failed at <time> (account <account>, region <region>). ` +
        'Secret: <secret>. AWSCURRENT still holds the working password. Read the rotation function\'s log group for the step that failed, ' +
        'fix the cause, then run: aws secretsmanager rotate-secret --secret-id <secret>',
    });

    const fn = props.functionName;
    this.errors = new MetricAlarm(this, 'errors', {
      naming,
      component: 'secret-rotation-errors',
      description: 'The secret rotation function failed (an error or a timeout); rotation will be retried and then abandoned',
      metric: lambdaMetric('Errors', fn),
      statistic: 'Sum',
      comparison: 'GreaterThanOrEqualToThreshold',
      threshold: 1,
      periodSeconds: 300,
      evaluationPeriods: 1,
      // Lambda publishes only when the function runs, about once a rotation period: no data, no errors.
      treatMissingData: 'notBreaching',
      topicArn,
    });
    // Duration is in milliseconds, the timeout in seconds: 80% of it, computed by Terraform from the function.
    const durationThreshold = Token.asNumber(Op.mul(props.functionTimeoutSeconds, 1000 * DURATION_ALARM_SHARE_OF_TIMEOUT));
    this.duration = new MetricAlarm(this, 'duration', {
      naming,
      component: 'secret-rotation-duration',
      description: `A rotation step took more than ${DURATION_ALARM_SHARE_OF_TIMEOUT * 100}% of the rotation function's timeout: the database answers slowly, and rotation is about to time out`,
      metric: lambdaMetric('Duration', fn),
      statistic: 'Maximum',
      comparison: 'GreaterThanOrEqualToThreshold',
      threshold: durationThreshold,
      periodSeconds: 300,
      evaluationPeriods: 1,
      // As for Errors: no run, nothing slow.
      treatMissingData: 'notBreaching',
      topicArn,
    });
  }
}
