/**
 * The Auto Scaling group of one colour (seed fix 10): the colour's launch template at its latest version
 * (never `$Latest`, so a new version is a change Terraform sees and instance refresh rolls out, keeping 90%
 * healthy), the colour's target group with ELB health checks, the private subnets, a target-tracking policy
 * on CPU, and every tag propagated to the instances it launches.
 */
import { AutoscalingGroup } from '@cdktf/provider-aws/lib/autoscaling-group';
import { AutoscalingPolicy } from '@cdktf/provider-aws/lib/autoscaling-policy';
import { LaunchTemplate } from '@cdktf/provider-aws/lib/launch-template';
import { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { AppColor, FleetCapacity } from '../core/config';
import { Naming } from '../core/naming';

/** Group metrics worth their (free, 1-minute) publication: what a release watches. */
const GROUP_METRICS = ['GroupDesiredCapacity', 'GroupInServiceInstances', 'GroupPendingInstances', 'GroupTerminatingInstances', 'GroupTotalInstances'];

export interface ColorFleetProps {
  readonly naming: Naming;
  readonly color: AppColor;
  readonly launchTemplate: LaunchTemplate;
  /** Private subnets, one per AZ. */
  readonly subnetIds: string[];
  readonly targetGroupArn: string;
  readonly capacity: FleetCapacity;
  /** Tags for the group and its instances, besides Name and Color: the organisation's. */
  readonly tags: Readonly<Record<string, string>>;
  /** Seconds after launch before failed ELB health checks count: Corretto's install and the JVM's start. @default 300 */
  readonly healthCheckGracePeriodSeconds?: number;
  /** Average CPU the target-tracking policy keeps the fleet at, in percent. @default 50 */
  readonly targetCpuPercent?: number;
  /** What must exist before instances register, e.g. the listener rule that puts the target group to use. @default none */
  readonly dependsOn?: ITerraformDependable[];
}

export class ColorFleet extends Construct {
  readonly group: AutoscalingGroup;

  constructor(scope: Construct, id: string, props: ColorFleetProps) {
    super(scope, id);
    const { naming, color, capacity } = props;
    const { desired, min, max } = capacity;
    if (![desired, min, max].every(Number.isInteger) || min < 0 || max < min || desired < min || desired > max) {
      throw new Error(`capacity ${desired}/${min}/${max} (desired/min/max) of the ${color} fleet is not allowed: use whole numbers with 0 <= min <= desired <= max`);
    }
    const targetCpuPercent = props.targetCpuPercent ?? 50;
    if (targetCpuPercent <= 0 || targetCpuPercent > 100) {
      throw new Error(`targetCpuPercent ${targetCpuPercent} of the ${color} fleet is not allowed: use a percentage above 0 and at most 100`);
    }

    const name = naming.name(`${color}-app`);
    const tags = { ...props.tags, Name: name, Color: color };
    this.group = new AutoscalingGroup(this, 'group', {
      name,
      minSize: min,
      maxSize: max,
      desiredCapacity: desired,
      vpcZoneIdentifier: props.subnetIds,
      targetGroupArns: [props.targetGroupArn],
      healthCheckType: 'ELB',
      healthCheckGracePeriod: props.healthCheckGracePeriodSeconds ?? 300,
      launchTemplate: { id: props.launchTemplate.id, version: props.launchTemplate.latestVersion.toString() },
      instanceRefresh: {
        strategy: 'Rolling',
        // Up to twice the capacity while it refreshes, so it launches before it terminates and never drops below 90%.
        preferences: { minHealthyPercentage: 90, maxHealthyPercentage: 200, skipMatching: true },
      },
      enabledMetrics: GROUP_METRICS,
      // default_tags do not reach an Auto Scaling group nor what it launches: every tag is spelt out here.
      tag: Object.entries(tags).map(([key, value]) => ({ key, value, propagateAtLaunch: true })),
      dependsOn: props.dependsOn,
    });
    new AutoscalingPolicy(this, 'cpu-target-tracking', {
      name: naming.name(`${color}-cpu-target`),
      autoscalingGroupName: this.group.name,
      policyType: 'TargetTrackingScaling',
      targetTrackingConfiguration: {
        predefinedMetricSpecification: { predefinedMetricType: 'ASGAverageCPUUtilization' },
        targetValue: targetCpuPercent,
      },
    });
  }
}
