/**
 * An EventBridge rule that turns matching events into a readable message on the alerts topic, through an
 * input transformer (the raw event JSON is unreadable in an email).
 */
import { CloudwatchEventRule } from '@cdktf/provider-aws/lib/cloudwatch-event-rule';
import { CloudwatchEventTarget } from '@cdktf/provider-aws/lib/cloudwatch-event-target';
import { Construct } from 'constructs';
import { Naming } from '../core/naming';

export interface EventAlertProps {
  readonly naming: Naming;
  /** Middle part of the rule name: `<project>-<component>-<suffix>`. */
  readonly component: string;
  readonly description: string;
  readonly eventPattern: Record<string, unknown>;
  readonly topicArn: string;
  /** Template variable to JSON path in the event, e.g. `{ time: '$.time' }`. */
  readonly inputPaths: Record<string, string>;
  /** The message, with `<variable>` placeholders from `inputPaths`. */
  readonly message: string;
}

export class EventAlert extends Construct {
  readonly rule: CloudwatchEventRule;
  readonly target: CloudwatchEventTarget;

  constructor(scope: Construct, id: string, props: EventAlertProps) {
    super(scope, id);
    const name = props.naming.name(props.component, 64);
    this.rule = new CloudwatchEventRule(this, 'rule', {
      name,
      description: props.description,
      eventPattern: JSON.stringify(props.eventPattern),
      tags: { Name: name },
    });
    this.target = new CloudwatchEventTarget(this, 'target', {
      rule: this.rule.name,
      targetId: 'alerts-topic',
      arn: props.topicArn,
      // A JSON string: SNS delivers it as the message text.
      inputTransformer: { inputPaths: props.inputPaths, inputTemplate: JSON.stringify(props.message) },
      retryPolicy: { maximumEventAgeInSeconds: 3600, maximumRetryAttempts: 24 },
    });
  }
}
