/**
 * Layer 1, `network`: VPC, subnets, NAT, flow logs, every security group, the Secrets Manager
 * and S3 endpoints, the load balancer with its access log bucket, its blue and green target groups and its
 * alarms, and the alerts topic every layer alarms into. Everything a later layer
 * needs from here is published through the contract (modules/contract.ts).
 */
import { Construct } from 'constructs';
import { AccessLogBucket } from '../modules/network/access-logs';
import { LoadBalancer } from '../modules/network/alb';
import { APP_PORT, Config } from '../modules/core/config';
import { publishLayerOutputs } from '../modules/core/contract';
import { InterfaceEndpoint, S3GatewayEndpoint } from '../modules/network/endpoints';
import { VpcFlowLogs } from '../modules/network/flow-logs';
import { LayerStack } from '../modules/core/layer';
import { PlatformSecurityGroups } from '../modules/network/security-groups';
import { VpcNetwork } from '../modules/network/vpc';
import { AlertsTopic } from '../modules/observability/alerts-topic';
import { LoadBalancerAlarms } from '../modules/observability/load-balancer-alarms';

export class NetworkStack extends LayerStack {
  constructor(scope: Construct, config: Config) {
    super(scope, 'network', config);
    const { naming } = this;
    const { network, alb } = config;

    const vpc = new VpcNetwork(this, 'vpc', {
      naming,
      cidr: network.vpcCidr,
      azCount: network.azCount,
      availabilityZones: network.availabilityZones,
      natGateways: network.natGateways,
    });
    new VpcFlowLogs(this, 'flow-logs', { naming, vpcId: vpc.vpc.id, retentionDays: network.logRetentionDays });

    const groups = new PlatformSecurityGroups(this, 'security-groups', {
      naming,
      vpcId: vpc.vpc.id,
      vpcCidr: network.vpcCidr,
      sshIngressCidr: network.sshIngressCidr,
    });
    const secretsManager = new InterfaceEndpoint(this, 'secretsmanager-endpoint', {
      naming,
      service: 'secretsmanager',
      vpcId: vpc.vpc.id,
      subnetIds: vpc.subnetIds.private,
      availabilityZones: vpc.availabilityZones,
      securityGroupIds: [groups.endpoint.id],
    });
    const s3 = new S3GatewayEndpoint(this, 's3-endpoint', { naming, vpcId: vpc.vpc.id, routeTableIds: vpc.privateRouteTableIds });
    const accessLogs = new AccessLogBucket(this, 'alb-access-logs', {
      naming,
      region: config.region,
      retentionDays: network.logRetentionDays,
      // Where the load balancer may be deleted, so may its logs.
      forceDestroy: !alb.deletionProtection,
    });
    const loadBalancer = new LoadBalancer(this, 'load-balancer', {
      naming,
      vpcId: vpc.vpc.id,
      subnetIds: vpc.subnetIds.public,
      internetAccess: vpc.internetAccess,
      securityGroupIds: [groups.alb.id],
      accessLogs,
      targetPort: APP_PORT,
      certificateArn: alb.certificateArn,
      deletionProtection: alb.deletionProtection,
      healthCheck: { path: alb.healthCheckPath },
    });
    const alerts = new AlertsTopic(this, 'alerts', { naming, region: config.region, emails: config.alerts.emails, httpsEndpoints: config.alerts.httpsEndpoints });
    const { alb5xxPercent, albP99Milliseconds } = config.alerts.thresholds;
    const albAlarms = new LoadBalancerAlarms(this, 'alb-alarms', {
      naming, albArnSuffix: loadBalancer.loadBalancer.arnSuffix, topicArn: alerts.topic.arn, errorRatePercent: alb5xxPercent, p99Milliseconds: albP99Milliseconds,
    });

    publishLayerOutputs(this, 'network', {
      VpcId: vpc.vpc.id,
      VpcCidr: vpc.vpc.cidrBlock,
      PublicSubnetIds: vpc.subnetIds.public,
      PrivateSubnetIds: vpc.subnetIds.private,
      DatabaseSubnetIds: vpc.subnetIds.database,
      AlbSecurityGroupId: groups.alb.id,
      AppSecurityGroupId: groups.app.id,
      DatabaseSecurityGroupId: groups.database.id,
      RotationSecurityGroupId: groups.rotation.id,
      EndpointSecurityGroupId: groups.endpoint.id,
      SecretsManagerEndpointId: secretsManager.endpoint.id,
      S3EndpointId: s3.endpoint.id,
      AlbArn: loadBalancer.loadBalancer.arn,
      AlbDnsName: loadBalancer.loadBalancer.dnsName,
      AlbZoneId: loadBalancer.loadBalancer.zoneId,
      HttpListenerArn: loadBalancer.httpListener.arn,
      HttpsListenerArn: loadBalancer.httpsListener?.arn ?? '',
      TrafficListenerArn: loadBalancer.trafficListener.arn,
      BlueTargetGroupArn: loadBalancer.targetGroups.blue.arn,
      GreenTargetGroupArn: loadBalancer.targetGroups.green.arn,
      AlertTopicArn: alerts.topic.arn,
      AlbArnSuffix: loadBalancer.loadBalancer.arnSuffix,
      BlueTargetGroupArnSuffix: loadBalancer.targetGroups.blue.arnSuffix,
      GreenTargetGroupArnSuffix: loadBalancer.targetGroups.green.arnSuffix,
      LoadBalancerAlarmNames: albAlarms.userImpactAlarmNames,
    });
  }
}
