/**
 * Blue/green traffic: one rule on the network layer's serving listener that forwards every path to both
 * target groups by weight. Shifting traffic is a change to this rule alone, in the app layer: a release
 * never touches the network layer. Stickiness stays off: the servers are expected to keep no session state
 * of their own (sessions live in the database), so every request follows the configured weights at once,
 * and a rollback moves all users back immediately instead of leaving them pinned to the colour being left.
 */
import { LbListenerRule } from '@cdktf/provider-aws/lib/lb-listener-rule';
import { Construct } from 'constructs';
import { AppColor } from '../core/config';
import { Naming } from '../core/naming';

export interface WeightedTarget {
  readonly targetGroupArn: string;
  /** Share of the traffic, in percent. */
  readonly weight: number;
}

export interface WeightedTrafficProps {
  readonly naming: Naming;
  readonly listenerArn: string;
  readonly targets: Readonly<Record<AppColor, WeightedTarget>>;
  /** Rule priority on the listener (1 to 50000; lower is evaluated first). @default 100 */
  readonly priority?: number;
}

export class WeightedTraffic extends Construct {
  readonly rule: LbListenerRule;

  constructor(scope: Construct, id: string, props: WeightedTrafficProps) {
    super(scope, id);
    const targets = Object.entries(props.targets);
    const badWeights = targets.filter(([, { weight }]) => !Number.isInteger(weight) || weight < 0 || weight > 100);
    if (badWeights.length > 0) throw new Error(`traffic weights must be whole percentages from 0 to 100: ${badWeights.map(([color, { weight }]) => `${color} ${weight}`).join(', ')}`);
    const total = targets.reduce((sum, [, { weight }]) => sum + weight, 0);
    if (total !== 100) throw new Error(`traffic weights add up to ${total}; they must add up to 100`);
    const priority = props.priority ?? 100;
    if (!Number.isInteger(priority) || priority < 1 || priority > 50000) throw new Error(`listener rule priority ${priority} is not allowed: use 1 to 50000`);

    this.rule = new LbListenerRule(this, 'rule', {
      listenerArn: props.listenerArn,
      priority,
      condition: [{ pathPattern: { values: ['/*'] } }],
      action: [{
        type: 'forward',
        forward: { targetGroup: targets.map(([, { targetGroupArn, weight }]) => ({ arn: targetGroupArn, weight })) },
      }],
      tags: props.naming.nameTag('traffic-rule'),
    });
  }
}
