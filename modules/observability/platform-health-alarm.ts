/**
 * The environment's one "platform unhealthy" alarm: a composite alarm in ALARM while any alarm that means
 * users are affected is (load balancer 5xx rate and p99 latency, no healthy host in a serving colour, database
 * storage or connections exhausted). It is the alarm to page on; the others explain why.
 * For the app layer: `alarmNames` = Fn.concat([network LoadBalancerAlarmNames, data DatabaseAlarmNames,
 * TargetGroupAlarms.userImpactAlarmNames]).
 */
import { CloudwatchCompositeAlarm } from '@cdktf/provider-aws/lib/cloudwatch-composite-alarm';
import { Fn } from 'cdktf';
import { Construct } from 'constructs';
import { Naming } from '../core/naming';

export interface PlatformHealthAlarmProps {
  readonly naming: Naming;
  /** Names of the alarms it combines: literal names, references, or a list read from remote state. */
  readonly alarmNames: string[];
  readonly topicArn: string;
}

export class PlatformHealthAlarm extends Construct {
  readonly alarm: CloudwatchCompositeAlarm;

  constructor(scope: Construct, id: string, props: PlatformHealthAlarmProps) {
    super(scope, id);
    const name = props.naming.name('platform-health');
    this.alarm = new CloudwatchCompositeAlarm(this, 'alarm', {
      alarmName: name,
      alarmDescription: `Users of ${props.naming.environmentSuffix} are affected: one of the alarms in the rule is in ALARM`,
      // Built by Terraform, so lists that other layers publish can be combined: ALARM("a") OR ALARM("b") …
      alarmRule: Fn.join(' OR ', Fn.formatlist('ALARM(\\"%s\\")', [props.alarmNames])),
      actionsEnabled: true,
      alarmActions: [props.topicArn],
      okActions: [props.topicArn],
      tags: { Name: name },
    });
  }
}
