/**
 * A deployed environment for verify's tests: every layer's outputs as their state holds them, and the AWS
 * services answered by aws-sdk-client-mock in the shapes the APIs document, healthy unless a test changes one.
 * A local HTTP server stands in for the load balancer.
 */
import { CloudWatchLogsClient, DescribeLogGroupsCommand, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { DescribeSecurityGroupRulesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { DescribeTargetHealthCommand, ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { IAMClient, SimulatePrincipalPolicyCommand } from '@aws-sdk/client-iam';
import { GetFunctionConfigurationCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { DescribeDBInstancesCommand, RDSClient } from '@aws-sdk/client-rds';
import { GetResourcesCommand, ResourceGroupsTaggingAPIClient } from '@aws-sdk/client-resource-groups-tagging-api';
import { DescribeSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { createServer, IncomingMessage, Server, ServerResponse } from 'http';
import { join } from 'path';
import { Layer } from '../../modules/core/config';
import { createAwsClients } from '../../cli/verify/clients';
import { runVerify } from '../../cli/verify/index';
import { CheckResult } from '../../cli/verify/check';
import { StateOutputs } from '../../cli/verify/state';

export const ROOT = join(__dirname, '..', '..');
export const ACCOUNT = '123456789012';
export const NOW = new Date('2026-11-30T12:00:00Z');
const DAY = 24 * 60 * 60 * 1000;
const arn = (service: string, resource: string) => `arn:aws:${service}:us-east-1:${ACCOUNT}:${resource}`;

export function healthyOutputs(): Record<Layer, Record<string, unknown>> {
  return {
    network: {
      VpcId: 'vpc-0a1b2c3d4e5f60718',
      VpcCidr: '10.0.0.0/16',
      PublicSubnetIds: ['subnet-0000000000000a001', 'subnet-0000000000000a002'],
      PrivateSubnetIds: ['subnet-0000000000000b001', 'subnet-0000000000000b002'],
      DatabaseSubnetIds: ['subnet-0000000000000c001', 'subnet-0000000000000c002'],
      AlbSecurityGroupId: 'sg-000000000000000a1',
      AppSecurityGroupId: 'sg-000000000000000a2',
      DatabaseSecurityGroupId: 'sg-000000000000000a3',
      RotationSecurityGroupId: 'sg-000000000000000a4',
      EndpointSecurityGroupId: 'sg-000000000000000a5',
      SecretsManagerEndpointId: 'vpce-0000000000000000a',
      S3EndpointId: 'vpce-0000000000000000b',
      AlbArn: arn('elasticloadbalancing', 'loadbalancer/app/migration-alb-dev/50dc6c495c0c9188'),
      AlbDnsName: '127.0.0.1',
      AlbZoneId: 'Z35SXDOTRQ7X7K',
      HttpListenerArn: arn('elasticloadbalancing', 'listener/app/migration-alb-dev/50dc6c495c0c9188/f2f7dc8efc522ab2'),
      HttpsListenerArn: '',
      TrafficListenerArn: arn('elasticloadbalancing', 'listener/app/migration-alb-dev/50dc6c495c0c9188/f2f7dc8efc522ab2'),
      BlueTargetGroupArn: arn('elasticloadbalancing', 'targetgroup/migration-blue-dev/73e2d6bc24d8a067'),
      GreenTargetGroupArn: arn('elasticloadbalancing', 'targetgroup/migration-green-dev/83e2d6bc24d8a068'),
    },
    data: {
      RDSEndpoint: 'migration-postgres-dev.abcdefghijkl.us-east-1.rds.amazonaws.com:5432',
      RDSAddress: 'migration-postgres-dev.abcdefghijkl.us-east-1.rds.amazonaws.com',
      RDSPort: '5432',
      DBInstanceIdentifier: 'migration-postgres-dev',
      DBSecretArn: arn('secretsmanager', 'secret:migration-db-credentials-dev-a1B2c3'),
      DataKmsKeyArn: arn('kms', 'key/1234abcd-12ab-34cd-56ef-1234567890ab'),
      RotationFunctionArn: arn('lambda', 'function:migration-secret-rotation-dev'),
    },
    app: {
      BlueAutoScalingGroupName: 'migration-blue-dev',
      GreenAutoScalingGroupName: 'migration-green-dev',
      BlueLaunchTemplateId: 'lt-0000000000000000a',
      GreenLaunchTemplateId: 'lt-0000000000000000b',
      InstanceRoleArn: `arn:aws:iam::${ACCOUNT}:role/migration-app-us-east-1-dev`,
      AppLogGroupName: '/migration/app/dev',
      BlueWeight: 100,
      GreenWeight: 0,
    },
  };
}

const ORGANISATION_TAGS = { Environment: 'dev', Project: 'migration', CostCenter: 'migration', Owner: 'platform-team', ManagedBy: 'cdktf' };
/** Every resource the layers' outputs name, as the Tagging API lists it, fully tagged. */
export function taggedResources(outputs = healthyOutputs()) {
  const n = outputs.network as Record<string, any>;
  const d = outputs.data as Record<string, any>;
  const ec2 = (resource: string) => arn('ec2', resource);
  const network = [n.AlbArn, n.BlueTargetGroupArn, n.GreenTargetGroupArn, ec2(`vpc/${n.VpcId}`),
    ...[...n.PublicSubnetIds, ...n.PrivateSubnetIds, ...n.DatabaseSubnetIds].map((id: string) => ec2(`subnet/${id}`)),
    ...['AlbSecurityGroupId', 'AppSecurityGroupId', 'DatabaseSecurityGroupId', 'RotationSecurityGroupId', 'EndpointSecurityGroupId'].map((name) => ec2(`security-group/${n[name]}`))];
  const data = [d.DBSecretArn, d.RotationFunctionArn, d.DataKmsKeyArn, arn('rds', `db:${d.DBInstanceIdentifier}`)];
  const mapping = (resourceArn: string, layer: Layer) => ({
    ResourceARN: resourceArn,
    Tags: Object.entries({ ...ORGANISATION_TAGS, Layer: layer, Name: `migration-x-dev` }).map(([Key, Value]) => ({ Key, Value })),
  });
  return [...network.map((r) => mapping(r, 'network')), ...data.map((r) => mapping(r, 'data')),
    mapping(arn('ec2', 'instance/i-0123456789abcdef0'), 'app')];
}

export type Mocks = ReturnType<typeof mockHealthyServices>;

/** Mocks every client class verify uses (all instances), answering as a healthy environment does. */
export function mockHealthyServices(outputs = healthyOutputs()) {
  const d = outputs.data as Record<string, any>;
  const mocks = {
    elb: mockClient(ElasticLoadBalancingV2Client),
    ec2: mockClient(EC2Client),
    rds: mockClient(RDSClient),
    logs: mockClient(CloudWatchLogsClient),
    secrets: mockClient(SecretsManagerClient),
    lambda: mockClient(LambdaClient),
    iam: mockClient(IAMClient),
    tagging: mockClient(ResourceGroupsTaggingAPIClient),
  };
  mocks.elb.on(DescribeTargetHealthCommand).resolves({
    TargetHealthDescriptions: [
      { Target: { Id: 'i-0123456789abcdef0', Port: 8080 }, HealthCheckPort: '8080', TargetHealth: { State: 'healthy' } },
      { Target: { Id: 'i-0123456789abcdef1', Port: 8080 }, HealthCheckPort: '8080', TargetHealth: { State: 'healthy' } },
    ],
  });
  const group = (outputs.network as Record<string, any>).AppSecurityGroupId;
  mocks.ec2.on(DescribeSecurityGroupRulesCommand).resolves({
    SecurityGroupRules: [
      { SecurityGroupRuleId: 'sgr-00000000000000001', GroupId: group, IsEgress: false, IpProtocol: 'tcp', FromPort: 8080, ToPort: 8080, ReferencedGroupInfo: { GroupId: 'sg-000000000000000a1' } },
      { SecurityGroupRuleId: 'sgr-00000000000000002', GroupId: group, IsEgress: false, IpProtocol: 'tcp', FromPort: 22, ToPort: 22, CidrIpv4: '10.0.0.0/16' },
      { SecurityGroupRuleId: 'sgr-00000000000000003', GroupId: group, IsEgress: true, IpProtocol: 'tcp', FromPort: 443, ToPort: 443, CidrIpv4: '0.0.0.0/0' },
    ],
  });
  mocks.rds.on(DescribeDBInstancesCommand).resolves({
    DBInstances: [{
      DBInstanceIdentifier: d.DBInstanceIdentifier, DBInstanceStatus: 'available', Engine: 'postgres', StorageEncrypted: true, KmsKeyId: d.DataKmsKeyArn,
      PubliclyAccessible: false, MultiAZ: true, EnabledCloudwatchLogsExports: ['postgresql', 'upgrade'],
    }],
  });
  mocks.logs.on(DescribeLogGroupsCommand).callsFake((input) => ({
    logGroups: [{ logGroupName: input.logGroupNamePrefix, retentionInDays: 365, arn: arn('logs', `log-group:${input.logGroupNamePrefix}:*`) }],
  }));
  mocks.logs.on(FilterLogEventsCommand).resolves({ events: [], searchedLogStreams: [] });
  mocks.secrets.on(DescribeSecretCommand).resolves({
    ARN: d.DBSecretArn, Name: 'migration-db-credentials-dev', RotationEnabled: true, RotationLambdaARN: d.RotationFunctionArn,
    RotationRules: { AutomaticallyAfterDays: 30 }, LastRotatedDate: new Date(NOW.getTime() - 3 * DAY), NextRotationDate: new Date(NOW.getTime() + 27 * DAY),
    VersionIdsToStages: { 'c3f1a0aa-0000-4000-8000-000000000002': ['AWSCURRENT'], 'c3f1a0aa-0000-4000-8000-000000000001': ['AWSPREVIOUS'] },
  });
  mocks.lambda.on(GetFunctionConfigurationCommand).resolves({
    FunctionName: 'migration-secret-rotation-dev', FunctionArn: d.RotationFunctionArn, State: 'Active', LastUpdateStatus: 'Successful',
    LoggingConfig: { LogFormat: 'Text', LogGroup: '/aws/lambda/migration-secret-rotation-dev' },
  });
  mocks.iam.on(SimulatePrincipalPolicyCommand).callsFake((input) => ({
    EvaluationResults: [{ EvalActionName: input.ActionNames[0], EvalResourceName: input.ResourceArns[0], EvalDecision: input.ResourceArns[0] === d.DBSecretArn ? 'allowed' : 'implicitDeny' }],
  }));
  mocks.tagging.on(GetResourcesCommand).resolves({ ResourceTagMappingList: taggedResources(outputs), PaginationToken: '' });
  return mocks;
}

export function restoreMocks(mocks: Mocks): void {
  for (const mock of Object.values(mocks)) mock.restore();
}

/** A stand-in for the load balancer: answers every request with `handler`. */
export async function startLoadBalancer(handler: (request: IncomingMessage, response: ServerResponse) => void): Promise<{ server: Server; port: number; requests: IncomingMessage[] }> {
  const requests: IncomingMessage[] = [];
  const server = createServer((request, response) => { requests.push(request); handler(request, response); });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as { port: number }).port, requests };
}

export const answerHealth = (request: IncomingMessage, response: ServerResponse) => {
  response.writeHead(request.url === '/health' ? 200 : 404).end('ok');
};

export interface VerifyRun {
  readonly code: number;
  readonly results: CheckResult[];
  readonly text: string;
}

/** Runs `npm run verify -- --format json <args>` in-process against the mocked services and `outputs`. */
export async function verify(options: { outputs?: Record<Layer, StateOutputs | Error>; env?: Record<string, string>; args?: string[]; httpPort: number; httpsPort?: number; ca?: string; root?: string }): Promise<VerifyRun> {
  const outputs = options.outputs ?? healthyOutputs();
  let text = '';
  const code = await runVerify(['--format', 'json', ...(options.args ?? [])], {
    env: options.env ?? {},
    root: options.root ?? ROOT,
    write: (written) => { text += written; },
    clients: createAwsClients('us-east-1', { credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'not-a-real-key' } }),
    probe: { httpPort: options.httpPort, httpsPort: options.httpsPort, ca: options.ca, timeoutMs: 1000 },
    now: NOW,
    readOutputs: async (_config, layer) => {
      const found = outputs[layer];
      if (found instanceof Error) throw found;
      return found;
    },
  });
  return { code, results: JSON.parse(text).checks, text };
}

export function result(run: VerifyRun, layer: Layer, name: RegExp): CheckResult {
  const found = run.results.filter((candidate) => candidate.layer === layer && name.test(candidate.name));
  if (found.length !== 1) throw new Error(`expected one ${layer} check matching ${name}, found ${found.length}: ${run.text}`);
  return found[0];
}
