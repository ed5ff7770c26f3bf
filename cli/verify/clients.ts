/** The AWS SDK v3 clients verify uses, each with bounded time per attempt and bounded attempts (aws-client-settings.ts). */
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { EC2Client } from '@aws-sdk/client-ec2';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { IAMClient } from '@aws-sdk/client-iam';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { RDSClient } from '@aws-sdk/client-rds';
import { ResourceGroupsTaggingAPIClient } from '@aws-sdk/client-resource-groups-tagging-api';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { awsClientSettings, ClientLimits } from '../aws-client-settings';

export interface AwsClients {
  readonly ec2: EC2Client;
  readonly elb: ElasticLoadBalancingV2Client;
  readonly iam: IAMClient;
  readonly lambda: LambdaClient;
  readonly logs: CloudWatchLogsClient;
  readonly rds: RDSClient;
  readonly secrets: SecretsManagerClient;
  readonly tagging: ResourceGroupsTaggingAPIClient;
}

export interface ClientOptions extends ClientLimits {
  /** One endpoint for every client (tests, or a proxy); @default each service's regional endpoint */
  readonly endpoint?: string;
  /** @default the SDK's default credential chain */
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string };
}

export function createAwsClients(region: string, options: ClientOptions = {}): AwsClients {
  const settings = { region, ...awsClientSettings(options), ...(options.endpoint ? { endpoint: options.endpoint } : {}), ...(options.credentials ? { credentials: options.credentials } : {}) };
  return {
    ec2: new EC2Client(settings),
    elb: new ElasticLoadBalancingV2Client(settings),
    iam: new IAMClient(settings),
    lambda: new LambdaClient(settings),
    logs: new CloudWatchLogsClient(settings),
    rds: new RDSClient(settings),
    secrets: new SecretsManagerClient(settings),
    tagging: new ResourceGroupsTaggingAPIClient(settings),
  };
}

export function destroyAwsClients(clients: AwsClients): void {
  for (const client of Object.values(clients)) client.destroy();
}
