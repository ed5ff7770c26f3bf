/**
 * An alert when Auto Scaling cannot launch an instance into a fleet (no capacity of the type, a bad launch
 * template, a missing instance profile permission…): EventBridge's "EC2 Instance Launch Unsuccessful" event for
 * the fleets named, delivered to the alerts topic as a readable message.
 * For the app layer: `groupNames` = the blue and green Auto Scaling group names (their resources' `name`).
 */
import { Construct } from 'constructs';
import { Naming } from '../core/naming';
import { EventAlert } from './event-alert';

export interface FleetLaunchFailureAlertsProps {
  readonly naming: Naming;
  readonly groupNames: string[];
  readonly topicArn: string;
}

export class FleetLaunchFailureAlerts extends Construct {
  readonly alert: EventAlert;

  constructor(scope: Construct, id: string, props: FleetLaunchFailureAlertsProps) {
    super(scope, id);
    if (props.groupNames.length === 0) throw new Error('FleetLaunchFailureAlerts needs the Auto Scaling groups to watch');
    this.alert = new EventAlert(this, 'launch-failed', {
      naming: props.naming,
      component: 'fleet-launch-failed',
      description: 'Auto Scaling could not launch an instance into a fleet',
      eventPattern: {
        source: ['aws.autoscaling'],
        'detail-type': ['EC2 Instance Launch Unsuccessful'],
        detail: { AutoScalingGroupName: props.groupNames },
      },
      topicArn: props.topicArn,
      inputPaths: { group: '$.detail.AutoScalingGroupName', time: '$.time', status: '$.detail.StatusMessage', cause: '$.detail.Cause' },
      message: `Auto Scaling could not launch an instance into <group> (${props.naming.environmentSuffix}) at <time>: <status>. Cause: <cause>. ` +
        'See: aws autoscaling describe-scaling-activities --auto-scaling-group-name <group>',
    });
  }
}
