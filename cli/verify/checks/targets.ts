/** Each colour that takes traffic (weight above 0) has healthy targets in its target group. */
import { DescribeTargetHealthCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { Check, fail, pass, skip } from '../check';

const COLOURS = [
  { colour: 'blue', weight: 'BlueWeight', targetGroup: 'BlueTargetGroupArn' },
  { colour: 'green', weight: 'GreenWeight', targetGroup: 'GreenTargetGroupArn' },
] as const;

export const healthyTargets: Check[] = COLOURS.map(({ colour, weight, targetGroup }): Check => ({
  layer: 'app',
  name: `${colour} targets healthy`,
  needs: [['app', weight], ['network', targetGroup]],
  async run({ clients, output }) {
    const share = Number(output('app', weight));
    if (!(share > 0)) return skip(`${colour} has weight ${output('app', weight)}: it takes no traffic`);
    const arn = output('network', targetGroup);
    const { TargetHealthDescriptions: targets = [] } = await clients.elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: arn }));
    const healthy = targets.filter((target) => target.TargetHealth?.State === 'healthy');
    const others = targets.filter((target) => target.TargetHealth?.State !== 'healthy')
      .map((target) => `${target.Target?.Id} ${target.TargetHealth?.State}${target.TargetHealth?.Reason ? ` (${target.TargetHealth.Reason})` : ''}`);
    if (healthy.length === 0) {
      return fail(`${colour} takes ${share}% of the traffic but has no healthy target${others.length ? `: ${others.join(', ')}` : ' registered'}`);
    }
    return pass(`${healthy.length} of ${targets.length} ${colour} targets healthy (weight ${share})${others.length ? `; not healthy: ${others.join(', ')}` : ''}`);
  },
}));
