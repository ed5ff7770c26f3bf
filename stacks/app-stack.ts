/**
 * Layer 3, `app`: the Java servers on port 8080 in two fleets, blue and green, each on its own launch
 * template and release, and the weighted listener rule that shares the traffic between them. Reads the
 * network layer (subnets, app security group, target groups, serving listener) and the data layer (secret,
 * its key, the database endpoint) through the contract only.
 */
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { Fn } from 'cdktf';
import { Construct } from 'constructs';
import { LatestAmazonLinuxAmi } from '../modules/app/ami';
import { ColorFleet } from '../modules/app/fleet';
import { InstanceRole } from '../modules/app/instance-role';
import { ColorLaunchTemplate } from '../modules/app/launch-template';
import { WeightedTraffic } from '../modules/app/traffic';
import { APP_COLORS, APP_PORT, AppColor, Config } from '../modules/core/config';
import { publishLayerOutputs, readLayerOutputs } from '../modules/core/contract';
import { LayerStack } from '../modules/core/layer';
import { NAME_LIMITS } from '../modules/core/naming';
import { layerTags } from '../modules/core/tagging';
import { Dashboard } from '../modules/observability/dashboard';
import { FleetLaunchFailureAlerts } from '../modules/observability/fleet-launch-failure-alerts';
import { PlatformHealthAlarm } from '../modules/observability/platform-health-alarm';
import { TargetGroupAlarms } from '../modules/observability/target-group-alarms';

export class AppStack extends LayerStack {
  constructor(scope: Construct, config: Config) {
    super(scope, 'app', config);
    const { naming } = this;
    const { app } = config;
    const network = readLayerOutputs(this, config, 'network');
    const data = readLayerOutputs(this, config, 'data');

    const logGroupName = `/ec2/${naming.name('app', NAME_LIMITS.logGroup)}`;
    const logGroup = new CloudwatchLogGroup(this, 'log-group', {
      name: logGroupName,
      retentionInDays: config.network.logRetentionDays,
      tags: naming.nameTag('app-logs'),
    });
    const role = new InstanceRole(this, 'instance-role', {
      naming,
      region: config.region,
      secretArn: data.DBSecretArn,
      secretKmsKeyArn: data.DataKmsKeyArn,
      logGroupArn: logGroup.arn,
      releases: APP_COLORS.flatMap((color) => app.colors[color].release ?? []),
    });
    const ami = new LatestAmazonLinuxAmi(this, 'ami', { architecture: app.architecture });
    const targetGroupArns: Record<AppColor, string> = { blue: network.BlueTargetGroupArn, green: network.GreenTargetGroupArn };
    // What a launched instance carries: default_tags reach neither Auto Scaling groups nor what they launch.
    const tags = layerTags(config, 'app');

    // The rule puts both target groups to use on the load balancer; the fleets register with them after it.
    const traffic = new WeightedTraffic(this, 'traffic', {
      naming,
      listenerArn: network.TrafficListenerArn,
      targets: {
        blue: { targetGroupArn: targetGroupArns.blue, weight: app.colors.blue.weight },
        green: { targetGroupArn: targetGroupArns.green, weight: app.colors.green.weight },
      },
    });

    const colorResources = (color: AppColor) => {
      const template = new ColorLaunchTemplate(this, `${color}-launch-template`, {
        naming,
        color,
        imageId: ami.imageId,
        instanceType: app.instanceType,
        instanceProfileArn: role.instanceProfile.arn,
        securityGroupIds: [network.AppSecurityGroupId],
        tags,
        boot: {
          color,
          region: config.region,
          appPort: APP_PORT,
          healthCheckPath: config.alb.healthCheckPath,
          correttoVersion: app.correttoVersion,
          releaseUri: app.colors[color].release?.uri,
          dbSecretArn: data.DBSecretArn,
          dbHost: data.RDSAddress,
          dbPort: data.RDSPort,
          dbName: data.DatabaseName,
          logGroupName,
        },
      }).launchTemplate;
      const fleet = new ColorFleet(this, `${color}-fleet`, {
        naming,
        color,
        launchTemplate: template,
        subnetIds: network.PrivateSubnetIds,
        targetGroupArn: targetGroupArns[color],
        capacity: app.colors[color].capacity,
        tags,
        // The boot script reads the release and the secret with the role: its policies must exist first.
        dependsOn: [traffic.rule, ...role.permissions],
      }).group;
      return { template, fleet };
    };
    const blue = colorResources('blue');
    const green = colorResources('green');

    // Alarms and the dashboard live here, the last layer: they watch what every layer built.
    const topicArn = network.AlertTopicArn;
    const targetGroupArnSuffixes: Record<AppColor, string> = { blue: network.BlueTargetGroupArnSuffix, green: network.GreenTargetGroupArnSuffix };
    const hostAlarms = new TargetGroupAlarms(this, 'target-group-alarms', {
      naming,
      albArnSuffix: network.AlbArnSuffix,
      targetGroupArnSuffixes,
      // A colour without traffic has no hosts to watch: its alarms would only cry wolf.
      activeColors: APP_COLORS.filter((color) => app.colors[color].weight > 0),
      topicArn,
    });
    new PlatformHealthAlarm(this, 'platform-health', {
      naming,
      alarmNames: Fn.concat([network.LoadBalancerAlarmNames, data.DatabaseAlarmNames, hostAlarms.userImpactAlarmNames]),
      topicArn,
    });
    new FleetLaunchFailureAlerts(this, 'launch-failures', { naming, groupNames: [blue.fleet.name, green.fleet.name], topicArn });
    new Dashboard(this, 'dashboard', {
      naming,
      region: config.region,
      albArnSuffix: network.AlbArnSuffix,
      targetGroupArnSuffixes,
      autoScalingGroupNames: { blue: blue.fleet.name, green: green.fleet.name },
      databaseInstanceIdentifier: data.DBInstanceIdentifier,
      rotationFunctionName: data.RotationFunctionName,
    });

    publishLayerOutputs(this, 'app', {
      BlueAutoScalingGroupName: blue.fleet.name,
      GreenAutoScalingGroupName: green.fleet.name,
      BlueLaunchTemplateId: blue.template.id,
      GreenLaunchTemplateId: green.template.id,
      InstanceRoleArn: role.role.arn,
      AppLogGroupName: logGroup.name,
      BlueWeight: String(app.colors.blue.weight),
      GreenWeight: String(app.colors.green.weight),
    });
  }
}
