/**
 * The contract between layers: what each layer exports, under which stable output name, and a typed
 * reader for the layers after it. A producer must publish every declared output and a consumer can
 * only read declared ones, so renaming an output is a compile error, not a broken plan. Layers never
 * use cdktf's automatic cross-stack references (opaque output names, absolute local state paths).
 */
import { TerraformOutput, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { readLayerState } from './backend';
import { Config, Layer } from './config';

interface OutputSpec {
  readonly type: 'string' | 'list';
  readonly description: string;
}

export const CONTRACT = {
  network: {
    VpcId: { type: 'string', description: 'ID of the VPC.' },
    VpcCidr: { type: 'string', description: 'IPv4 CIDR block of the VPC.' },
    PublicSubnetIds: { type: 'list', description: 'Public subnets, one per AZ: load balancer and NAT gateways.' },
    PrivateSubnetIds: { type: 'list', description: 'Private subnets, one per AZ: app servers, rotation function, VPC endpoints.' },
    DatabaseSubnetIds: { type: 'list', description: 'Database subnets, one per AZ, without any route to the internet.' },
    AlbSecurityGroupId: { type: 'string', description: 'Security group of the load balancer: 80 and 443 from anywhere, out to 8080 on the app servers only.' },
    AppSecurityGroupId: { type: 'string', description: 'Security group of the app servers: 8080 from the load balancer, 22 from SSH_INGRESS_CIDR; out to 443 and the database.' },
    DatabaseSecurityGroupId: { type: 'string', description: 'Security group of the database: 5432 from the app servers and the rotation function; nothing out.' },
    RotationSecurityGroupId: { type: 'string', description: 'Security group of the secret rotation function: out to the database and the Secrets Manager endpoint only.' },
    EndpointSecurityGroupId: { type: 'string', description: 'Security group of the VPC interface endpoints: 443 from the VPC.' },
    SecretsManagerEndpointId: { type: 'string', description: 'ID of the Secrets Manager interface endpoint (private DNS on, this account\'s principals and secrets only).' },
    S3EndpointId: { type: 'string', description: 'ID of the S3 gateway endpoint on the private route tables.' },
    AlbArn: { type: 'string', description: 'ARN of the internet-facing load balancer.' },
    AlbDnsName: { type: 'string', description: 'DNS name of the load balancer.' },
    AlbZoneId: { type: 'string', description: 'Route 53 hosted zone of the load balancer, for alias records.' },
    HttpListenerArn: { type: 'string', description: 'ARN of the port 80 listener.' },
    HttpsListenerArn: { type: 'string', description: 'ARN of the port 443 listener; empty when no CERTIFICATE_ARN is configured.' },
    TrafficListenerArn: { type: 'string', description: 'Listener that serves the application (HTTPS with a certificate, else HTTP); the app layer attaches its weighted blue/green rule here.' },
    BlueTargetGroupArn: { type: 'string', description: 'ARN of the blue target group (port 8080).' },
    GreenTargetGroupArn: { type: 'string', description: 'ARN of the green target group (port 8080).' },
    AlertTopicArn: { type: 'string', description: 'ARN of the SNS topic every alarm and alert event of the platform publishes to (KMS-encrypted).' },
    AlbArnSuffix: { type: 'string', description: 'The load balancer\'s ARN suffix (`app/<name>/<id>`): its `LoadBalancer` dimension in CloudWatch.' },
    BlueTargetGroupArnSuffix: { type: 'string', description: 'The blue target group\'s ARN suffix: its `TargetGroup` dimension in CloudWatch.' },
    GreenTargetGroupArnSuffix: { type: 'string', description: 'The green target group\'s ARN suffix: its `TargetGroup` dimension in CloudWatch.' },
    LoadBalancerAlarmNames: { type: 'list', description: 'Names of the load balancer alarms that mean users are affected (5xx rate, p99 latency), for the platform health alarm.' },
  },
  data: {
    RDSEndpoint: { type: 'string', description: 'Connection endpoint of the database, `<address>:<port>`.' },
    RDSAddress: { type: 'string', description: 'Host name of the database.' },
    RDSPort: { type: 'string', description: 'Port of the database (5432).' },
    DBInstanceIdentifier: { type: 'string', description: 'Identifier of the RDS instance.' },
    DatabaseName: { type: 'string', description: 'The database created for the application (DB_NAME).' },
    DBSecretArn: { type: 'string', description: 'ARN of the secret that holds the database credentials (rotated; read AWSCURRENT).' },
    DataKmsKeyArn: { type: 'string', description: 'ARN of the data layer KMS key: database storage, Performance Insights and the secret.' },
    RotationFunctionArn: { type: 'string', description: 'ARN of the Lambda function that rotates the database secret.' },
    RotationFunctionName: { type: 'string', description: 'Name of the rotation function: its `FunctionName` dimension in CloudWatch.' },
    DatabaseAlarmNames: { type: 'list', description: 'Names of the database alarms that mean users are affected (free storage, connections), for the platform health alarm.' },
  },
  app: {
    BlueAutoScalingGroupName: { type: 'string', description: 'Name of the blue Auto Scaling group.' },
    GreenAutoScalingGroupName: { type: 'string', description: 'Name of the green Auto Scaling group.' },
    BlueLaunchTemplateId: { type: 'string', description: 'ID of the blue launch template (the fleet runs its latest version).' },
    GreenLaunchTemplateId: { type: 'string', description: 'ID of the green launch template (the fleet runs its latest version).' },
    InstanceRoleArn: { type: 'string', description: 'ARN of the app servers\' instance role.' },
    AppLogGroupName: { type: 'string', description: 'CloudWatch log group of the app servers: application, credential refresh and boot logs.' },
    BlueWeight: { type: 'string', description: 'Share of the traffic the listener rule sends to blue, in percent.' },
    GreenWeight: { type: 'string', description: 'Share of the traffic the listener rule sends to green, in percent.' },
  },
} as const satisfies Record<Layer, Record<string, OutputSpec>>;

type Outputs<Specs> = { readonly [Name in keyof Specs]: Specs[Name] extends { type: 'list' } ? string[] : string };
/** The values a layer exports, by output name. */
export type LayerOutputs<L extends Layer> = Outputs<(typeof CONTRACT)[L]>;

/** Declares every output of `layer` on its stack, under its contract name. */
export function publishLayerOutputs<L extends Layer>(stack: TerraformStack, layer: L, values: LayerOutputs<L>): void {
  for (const [name, spec] of Object.entries<OutputSpec>(CONTRACT[layer])) {
    new TerraformOutput(stack, name, {
      value: values[name as keyof LayerOutputs<L>],
      description: spec.description,
      staticId: true,
    });
  }
}

/** Reads `layer`'s outputs from its state, typed by the contract. */
export function readLayerOutputs<L extends Layer>(scope: Construct, config: Config, layer: L): LayerOutputs<L> {
  const state = readLayerState(scope, `${layer}-state`, config, layer);
  return Object.fromEntries(Object.entries<OutputSpec>(CONTRACT[layer]).map(([name, spec]) =>
    [name, spec.type === 'list' ? state.getList(name) : state.getString(name)])) as LayerOutputs<L>;
}
