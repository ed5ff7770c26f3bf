/**
 * `npm run verify` against a mocked healthy environment (every check passes), then one change per check that
 * makes it fail for its reason, and the runner's rules: skipped checks, --layer, the report, the exit code.
 */
import { FilterLogEventsCommand, DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { DescribeSecurityGroupRulesCommand } from '@aws-sdk/client-ec2';
import { DescribeTargetHealthCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { SimulatePrincipalPolicyCommand } from '@aws-sdk/client-iam';
import { GetFunctionConfigurationCommand } from '@aws-sdk/client-lambda';
import { DescribeDBInstancesCommand } from '@aws-sdk/client-rds';
import { GetResourcesCommand } from '@aws-sdk/client-resource-groups-tagging-api';
import { DescribeSecretCommand, GetSecretValueCommand, ListSecretVersionIdsCommand } from '@aws-sdk/client-secrets-manager';
import { Server } from 'http';
import {
  ACCOUNT, answerHealth, healthyOutputs, Mocks, mockHealthyServices, NOW, restoreMocks, result, startLoadBalancer, taggedResources, verify,
} from './support/verify-environment';

const DAY = 24 * 60 * 60 * 1000;
let mocks: Mocks;
let loadBalancer: { server: Server; port: number; requests: Array<{ url?: string; headers: Record<string, unknown> }> };
let handler = answerHealth;

beforeAll(async () => {
  loadBalancer = await startLoadBalancer((request, response) => handler(request, response));
});
afterAll(() => new Promise((resolve) => loadBalancer.server.close(resolve)));
beforeEach(() => {
  handler = answerHealth;
  mocks = mockHealthyServices();
});
afterEach(() => restoreMocks(mocks));

const run = (options: Omit<Parameters<typeof verify>[0], 'httpPort'> = {}) => verify({ httpPort: loadBalancer.port, ...options });

describe('a healthy environment', () => {
  it('passes every check that applies, skips the rest with the reason, and exits 0', async () => {
    const outcome = await run();
    expect(outcome.code).toBe(0);
    expect(outcome.results.filter((check) => check.status === 'fail')).toEqual([]);
    expect(outcome.results.filter((check) => check.status === 'skip').map((check) => [check.name, check.detail])).toEqual([
      ['load balancer answers HTTPS', 'no CERTIFICATE_ARN is configured: the load balancer serves HTTP only'],
      ['green targets healthy', 'green has weight 0: it takes no traffic'],
    ]);
    expect(outcome.results.filter((check) => check.status === 'pass')).toHaveLength(15);
    expect(JSON.parse(outcome.text).summary).toEqual({ passed: 15, failed: 0, skipped: 2 });
  });

  it('reads secrets\' metadata only, never a secret value', async () => {
    await run();
    expect(mocks.secrets.commandCalls(GetSecretValueCommand)).toHaveLength(0);
    expect(mocks.secrets.commandCalls(DescribeSecretCommand)).toHaveLength(1);
  });

  it('prints one line per check and a summary as text', async () => {
    const { runVerify } = await import('../cli/verify/index');
    const { createAwsClients } = await import('../cli/verify/clients');
    let text = '';
    const code = await runVerify(['--layer', 'network'], {
      env: {}, root: `${__dirname}/..`, write: (written) => { text += written; }, now: NOW,
      clients: createAwsClients('us-east-1', { credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'x' } }),
      probe: { httpPort: loadBalancer.port, timeoutMs: 1000 },
      readOutputs: async (_config, layer) => healthyOutputs()[layer],
    });
    expect(code).toBe(0);
    expect(text.split('\n')).toEqual([
      'Verifying migration-dev in us-east-1',
      'PASS  network  outputs read from state: 20 outputs',
      'PASS  network  load balancer answers HTTP: http://127.0.0.1/health answered 200',
      'SKIP  network  load balancer answers HTTPS: no CERTIFICATE_ARN is configured: the load balancer serves HTTP only',
      'PASS  network  port 22 open to SSH_INGRESS_CIDR only: sg-000000000000000a2 opens port 22 to 10.0.0.0/16 only',
      'PASS  network  resources carry the full tag set: 15 resources tagged Environment, Project, CostCenter, Owner, ManagedBy, Layer, Name',
      '4 passed, 0 failed, 1 skipped',
    ]);
  });
});

describe('--layer', () => {
  it('runs only that layer\'s checks', async () => {
    const outcome = await run({ args: ['--layer', 'data'] });
    expect(new Set(outcome.results.map((check) => check.layer))).toEqual(new Set(['data']));
    expect(mocks.elb.commandCalls(DescribeTargetHealthCommand)).toHaveLength(0);
  });

  it('refuses a layer that does not exist', async () => {
    await expect(run({ args: ['--layer', 'database'] })).rejects.toThrow('--layer database is not allowed: use one of network, data, app');
  });
});

describe('outputs', () => {
  it('fails an environment that was never deployed: state without outputs is not a healthy layer', async () => {
    const outcome = await run({ outputs: { network: {}, data: {}, app: {} } });
    expect(outcome.code).toBe(1);
    expect(result(outcome, 'network', /outputs read from state/)).toMatchObject({ status: 'fail', detail: expect.stringContaining('the network layer\'s state has no outputs') });
  });

  it('fails a layer whose state cannot be read and skips its checks, saying why', async () => {
    const outputs = { ...healthyOutputs(), data: new Error('no state at /x/state/dev/data.tfstate') };
    const outcome = await run({ outputs });
    expect(outcome.code).toBe(1);
    expect(result(outcome, 'data', /outputs read from state/)).toMatchObject({ status: 'fail', detail: 'no state at /x/state/dev/data.tfstate' });
    expect(result(outcome, 'data', /rotates on schedule/)).toMatchObject({ status: 'skip', detail: expect.stringContaining('needs the data layer\'s outputs') });
    // The app layer's IAM check needs DBSecretArn from the data layer.
    expect(result(outcome, 'app', /instance role/)).toMatchObject({ status: 'skip' });
    expect(mocks.rds.commandCalls(DescribeDBInstancesCommand)).toHaveLength(0);
  });

  it('skips a check whose output the state lacks, naming it', async () => {
    const outputs = healthyOutputs();
    delete outputs.app.InstanceRoleArn;
    const outcome = await run({ outputs });
    expect(result(outcome, 'app', /instance role/)).toMatchObject({ status: 'skip', detail: 'the app layer\'s state has no InstanceRoleArn output' });
  });
});

describe('load balancer', () => {
  it('fails when the health path does not answer 200', async () => {
    handler = (_request, response) => { response.writeHead(503).end('No release is attached'); };
    const check = result(await run(), 'network', /answers HTTP$/);
    expect(check).toMatchObject({ status: 'fail', detail: 'http://127.0.0.1/health answered 503, expected 200 (503 means no release is attached or no target is healthy)' });
  });

  it('asks for HEALTH_CHECK_PATH', async () => {
    handler = (request, response) => { response.writeHead(request.url === '/status/ready' ? 200 : 404).end(); };
    expect(result(await run({ env: { HEALTH_CHECK_PATH: '/status/ready' } }), 'network', /answers HTTP$/).status).toBe('pass');
  });

  it('fails within the probe timeout when the load balancer never answers', async () => {
    handler = () => { /* never answers */ };
    const started = Date.now();
    const check = result(await run({ args: ['--layer', 'network'] }), 'network', /answers HTTP$/);
    expect(check).toMatchObject({ status: 'fail', detail: expect.stringContaining('no answer within 1000 ms') });
    expect(Date.now() - started).toBeLessThan(5000);
  });

  const certificate = { CERTIFICATE_ARN: 'arn:aws:acm:us-east-1:123456789012:certificate/00000000-0000-0000-0000-000000000000' };
  it('with a certificate, wants HTTP to redirect to HTTPS', async () => {
    handler = (_request, response) => { response.writeHead(301, { Location: 'https://app.example.com/health' }).end(); };
    expect(result(await run({ env: certificate }), 'network', /answers HTTP$/)).toMatchObject({ status: 'pass', detail: 'http://127.0.0.1/health redirects to https://app.example.com/health' });
    handler = answerHealth;
    expect(result(await run({ env: certificate }), 'network', /answers HTTP$/)).toMatchObject({ status: 'fail', detail: expect.stringContaining('answered 200; with a certificate HTTP must redirect to HTTPS') });
  });

  it('with a certificate and no --host, skips HTTPS saying what to pass', async () => {
    expect(result(await run({ env: certificate }), 'network', /HTTPS/)).toMatchObject({ status: 'skip', detail: expect.stringContaining('pass --host') });
  });
});

describe('blue and green targets', () => {
  it('fails a colour with weight and no healthy target, with each target\'s state and reason', async () => {
    mocks.elb.on(DescribeTargetHealthCommand).resolves({
      TargetHealthDescriptions: [{ Target: { Id: 'i-0123456789abcdef0', Port: 8080 }, TargetHealth: { State: 'unhealthy', Reason: 'Target.ResponseCodeMismatch' } }],
    });
    const check = result(await run(), 'app', /blue targets/);
    expect(check).toMatchObject({ status: 'fail', detail: 'blue takes 100% of the traffic but has no healthy target: i-0123456789abcdef0 unhealthy (Target.ResponseCodeMismatch)' });
    expect(mocks.elb.commandCalls(DescribeTargetHealthCommand)[0].args[0].input).toEqual({ TargetGroupArn: healthyOutputs().network.BlueTargetGroupArn });
  });

  it('checks green too once it takes traffic', async () => {
    const outputs = healthyOutputs();
    outputs.app.BlueWeight = 90;
    outputs.app.GreenWeight = '10';
    mocks.elb.on(DescribeTargetHealthCommand, { TargetGroupArn: outputs.network.GreenTargetGroupArn as string }).resolves({ TargetHealthDescriptions: [] });
    const outcome = await run({ outputs });
    expect(result(outcome, 'app', /blue targets/).status).toBe('pass');
    expect(result(outcome, 'app', /green targets/)).toMatchObject({ status: 'fail', detail: 'green takes 10% of the traffic but has no healthy target registered' });
  });
});

describe('port 22', () => {
  it('fails when another range reaches port 22, directly or through an all-ports rule', async () => {
    mocks.ec2.on(DescribeSecurityGroupRulesCommand).resolves({
      SecurityGroupRules: [
        { SecurityGroupRuleId: 'sgr-1', IsEgress: false, IpProtocol: 'tcp', FromPort: 22, ToPort: 22, CidrIpv4: '10.0.0.0/16' },
        { SecurityGroupRuleId: 'sgr-2', IsEgress: false, IpProtocol: 'tcp', FromPort: 0, ToPort: 1024, CidrIpv4: '0.0.0.0/0' },
        { SecurityGroupRuleId: 'sgr-3', IsEgress: false, IpProtocol: '-1', FromPort: -1, ToPort: -1, CidrIpv6: '::/0' },
        { SecurityGroupRuleId: 'sgr-4', IsEgress: true, IpProtocol: '-1', CidrIpv4: '0.0.0.0/0' },
      ],
    });
    expect(result(await run(), 'network', /port 22/)).toMatchObject({ status: 'fail', detail: 'sgr-2 opens port 22 to 0.0.0.0/0; sgr-3 opens port 22 to ::/0' });
    expect(mocks.ec2.commandCalls(DescribeSecurityGroupRulesCommand)[0].args[0].input.Filters).toEqual([{ Name: 'group-id', Values: ['sg-000000000000000a2'] }]);
  });

  it('fails when port 22 is not open to SSH_INGRESS_CIDR, and follows pagination', async () => {
    mocks.ec2.on(DescribeSecurityGroupRulesCommand)
      .resolvesOnce({ SecurityGroupRules: [{ SecurityGroupRuleId: 'sgr-1', IsEgress: false, IpProtocol: 'tcp', FromPort: 8080, ToPort: 8080 }], NextToken: 'page-2' })
      .resolvesOnce({ SecurityGroupRules: [{ SecurityGroupRuleId: 'sgr-2', IsEgress: false, IpProtocol: 'tcp', FromPort: 22, ToPort: 22, CidrIpv4: '10.0.0.0/16' }] });
    expect(result(await run({ env: { SSH_INGRESS_CIDR: '10.20.0.0/24' } }), 'network', /port 22/)).toMatchObject({
      status: 'fail', detail: 'sgr-2 opens port 22 to 10.0.0.0/16; no rule of sg-000000000000000a2 opens port 22 to 10.20.0.0/24',
    });
    expect(mocks.ec2.commandCalls(DescribeSecurityGroupRulesCommand)).toHaveLength(2);
  });
});

describe('database', () => {
  it('fails for each broken promise: status, encryption key, public access, Multi-AZ, log exports', async () => {
    mocks.rds.on(DescribeDBInstancesCommand).resolves({
      DBInstances: [{ DBInstanceIdentifier: 'migration-postgres-dev', DBInstanceStatus: 'storage-full', StorageEncrypted: true, KmsKeyId: `arn:aws:kms:us-east-1:${ACCOUNT}:key/other`, PubliclyAccessible: true, MultiAZ: false, EnabledCloudwatchLogsExports: ['postgresql'] }],
    });
    expect(result(await run(), 'data', /database available/)).toMatchObject({
      status: 'fail',
      detail: `status is storage-full; encrypted with arn:aws:kms:us-east-1:${ACCOUNT}:key/other, not the data layer's key; it is publicly accessible; MultiAZ is false, DB_MULTI_AZ is true; does not export the upgrade log to CloudWatch`,
    });
  });

  it('fails unencrypted storage', async () => {
    mocks.rds.on(DescribeDBInstancesCommand).resolves({ DBInstances: [{ DBInstanceStatus: 'available', StorageEncrypted: false, PubliclyAccessible: false, MultiAZ: true, EnabledCloudwatchLogsExports: ['postgresql', 'upgrade'] }] });
    expect(result(await run(), 'data', /database available/)).toMatchObject({ status: 'fail', detail: 'storage is not encrypted' });
  });

  it('fails a log group that is missing or kept for another period', async () => {
    mocks.logs.on(DescribeLogGroupsCommand, { logGroupNamePrefix: '/aws/rds/instance/migration-postgres-dev/postgresql' }).resolves({ logGroups: [] });
    mocks.logs.on(DescribeLogGroupsCommand, { logGroupNamePrefix: '/aws/rds/instance/migration-postgres-dev/upgrade' })
      .resolves({ logGroups: [{ logGroupName: '/aws/rds/instance/migration-postgres-dev/upgrade' }] });
    mocks.logs.on(DescribeLogGroupsCommand, { logGroupNamePrefix: '/migration/app/dev' }).resolves({ logGroups: [{ logGroupName: '/migration/app/dev', retentionInDays: 7 }] });
    const outcome = await run();
    expect(result(outcome, 'data', /database log groups/)).toMatchObject({
      status: 'fail',
      detail: 'log group /aws/rds/instance/migration-postgres-dev/postgresql does not exist; log group /aws/rds/instance/migration-postgres-dev/upgrade is kept forever, LOG_RETENTION_DAYS is 365',
    });
    expect(result(outcome, 'app', /app log group/)).toMatchObject({ status: 'fail', detail: 'log group /migration/app/dev is kept 7 days, LOG_RETENTION_DAYS is 365' });
  });
});

describe('secret rotation', () => {
  const secret = (changes: Record<string, unknown>) => {
    const d = healthyOutputs().data;
    mocks.secrets.on(DescribeSecretCommand).resolves({
      ARN: d.DBSecretArn as string, RotationEnabled: true, RotationLambdaARN: d.RotationFunctionArn as string, RotationRules: { AutomaticallyAfterDays: 30 },
      LastRotatedDate: new Date(NOW.getTime() - 3 * DAY), VersionIdsToStages: { v2: ['AWSCURRENT'] }, ...changes,
    });
  };

  it('fails when rotation is off, on another schedule, by another function, or overdue', async () => {
    secret({ RotationEnabled: false, RotationRules: { AutomaticallyAfterDays: 90 }, RotationLambdaARN: `arn:aws:lambda:us-east-1:${ACCOUNT}:function:other`, LastRotatedDate: new Date(NOW.getTime() - 32 * DAY) });
    expect(result(await run(), 'data', /rotates on schedule/)).toMatchObject({
      status: 'fail',
      detail: `rotation is not enabled; rotates every 90 days, ROTATION_DAYS is 30; rotated by arn:aws:lambda:us-east-1:${ACCOUNT}:function:other, not the data layer's ${healthyOutputs().data.RotationFunctionArn}; last rotated 2026-10-29T12:00:00.000Z, more than 30 days (+1) ago`,
    });
  });

  it('follows ROTATION_DAYS, and fails a secret never rotated', async () => {
    secret({ RotationRules: { AutomaticallyAfterDays: 7 }, LastRotatedDate: undefined });
    expect(result(await run({ env: { ROTATION_DAYS: '7' } }), 'data', /rotates on schedule/)).toMatchObject({ status: 'fail', detail: 'never rotated (the first rotation runs at deploy)' });
  });

  it('fails a rotation stuck in AWSPENDING for more than an hour', async () => {
    secret({ VersionIdsToStages: { v2: ['AWSCURRENT'], v3: ['AWSPENDING'] } });
    mocks.secrets.on(ListSecretVersionIdsCommand).resolves({ Versions: [{ VersionId: 'v2', VersionStages: ['AWSCURRENT'] }, { VersionId: 'v3', VersionStages: ['AWSPENDING'], CreatedDate: new Date(NOW.getTime() - 2 * 60 * 60 * 1000) }] });
    expect(result(await run(), 'data', /rotates on schedule/)).toMatchObject({
      status: 'fail', detail: 'the last rotation failed: version v3 is stuck in AWSPENDING since 2026-11-30T10:00:00.000Z (see the rotation function\'s log)',
    });
  });

  it('skips while a rotation is in progress, and passes AWSPENDING on the current version (a finished rotation)', async () => {
    secret({ VersionIdsToStages: { v2: ['AWSCURRENT'], v3: ['AWSPENDING'] } });
    mocks.secrets.on(ListSecretVersionIdsCommand).resolves({ Versions: [{ VersionId: 'v3', VersionStages: ['AWSPENDING'], CreatedDate: new Date(NOW.getTime() - 2 * 60 * 1000) }] });
    expect(result(await run(), 'data', /rotates on schedule/)).toMatchObject({ status: 'skip', detail: expect.stringContaining('a rotation is in progress') });
    secret({ VersionIdsToStages: { v3: ['AWSCURRENT', 'AWSPENDING'], v2: ['AWSPREVIOUS'] } });
    expect(result(await run(), 'data', /rotates on schedule/).status).toBe('pass');
  });

  it('fails on error lines in the function\'s log this period, printing counts and times, never a message', async () => {
    mocks.logs.on(FilterLogEventsCommand)
      .resolvesOnce({ events: [{ timestamp: NOW.getTime() - DAY, message: 'ERROR Invoke Error {"errorMessage":"password=hunter2"}', logStreamName: 's' }], nextToken: 'n' })
      .resolvesOnce({ events: [{ timestamp: NOW.getTime() - 2 * DAY, message: 'Task timed out after 90.00 seconds', logStreamName: 's' }] });
    const outcome = await run();
    const check = result(outcome, 'data', /logged no errors/);
    expect(check).toMatchObject({ status: 'fail', detail: expect.stringMatching(/^2 error lines in \/aws\/lambda\/migration-secret-rotation-dev since 2026-10-31T12:00:00.000Z, the latest at 2026-11-29T12:00:00.000Z/) });
    expect(outcome.text).not.toContain('hunter2');
    const query = mocks.logs.commandCalls(FilterLogEventsCommand)[0].args[0].input;
    expect(query).toMatchObject({ logGroupName: '/aws/lambda/migration-secret-rotation-dev', startTime: NOW.getTime() - 30 * DAY, filterPattern: '?ERROR ?"Task timed out"' });
  });

  it('fails a function that is not active', async () => {
    mocks.lambda.on(GetFunctionConfigurationCommand).resolves({ FunctionName: 'f', State: 'Failed', StateReason: 'ENI limit reached', LoggingConfig: { LogGroup: '/aws/lambda/f' } });
    expect(result(await run(), 'data', /logged no errors/)).toMatchObject({ status: 'fail', detail: 'the function is Failed (ENI limit reached)' });
  });
});

describe('instance role', () => {
  it('simulates GetSecretValue on the database secret and on another secret of the account', async () => {
    await run();
    const calls = mocks.iam.commandCalls(SimulatePrincipalPolicyCommand).map((call) => call.args[0].input);
    expect(calls).toEqual([
      { PolicySourceArn: `arn:aws:iam::${ACCOUNT}:role/migration-app-us-east-1-dev`, ActionNames: ['secretsmanager:GetSecretValue'], ResourceArns: [healthyOutputs().data.DBSecretArn] },
      { PolicySourceArn: `arn:aws:iam::${ACCOUNT}:role/migration-app-us-east-1-dev`, ActionNames: ['secretsmanager:GetSecretValue'], ResourceArns: [`arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:migration-verify-not-this-secret-dev-AbCdEf`] },
    ]);
  });

  it('fails a role that may read any secret', async () => {
    mocks.iam.on(SimulatePrincipalPolicyCommand).resolves({ EvaluationResults: [{ EvalActionName: 'secretsmanager:GetSecretValue', EvalDecision: 'allowed' }] });
    expect(result(await run(), 'app', /instance role/)).toMatchObject({ status: 'fail', detail: expect.stringContaining('on another secret (arn:aws:secretsmanager:us-east-1:123456789012:secret:migration-verify-not-this-secret-dev-AbCdEf) is allowed') });
  });

  it('fails a role that may not read the database secret', async () => {
    mocks.iam.on(SimulatePrincipalPolicyCommand).resolves({ EvaluationResults: [{ EvalActionName: 'secretsmanager:GetSecretValue', EvalDecision: 'explicitDeny' }] });
    expect(result(await run(), 'app', /instance role/)).toMatchObject({ status: 'fail', detail: 'secretsmanager:GetSecretValue on the database secret is explicitDeny' });
  });
});

describe('tagging audit', () => {
  it('asks for the environment\'s resources by Project and Environment, once for all layers', async () => {
    await run();
    const calls = mocks.tagging.commandCalls(GetResourcesCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0].args[0].input.TagFilters).toEqual([{ Key: 'Project', Values: ['migration'] }, { Key: 'Environment', Values: ['dev'] }]);
  });

  it('fails a resource missing a tag or carrying a wrong value, in its layer', async () => {
    const mappings = taggedResources();
    mappings[0].Tags = mappings[0].Tags.filter((tag) => tag.Key !== 'Owner').map((tag) => (tag.Key === 'CostCenter' ? { Key: 'CostCenter', Value: 'other' } : tag));
    mocks.tagging.on(GetResourcesCommand).resolves({ ResourceTagMappingList: mappings });
    const outcome = await run();
    expect(result(outcome, 'network', /tag set/)).toMatchObject({ status: 'fail', detail: `${mappings[0].ResourceARN}: CostCenter=other (expected migration), no Owner` });
    expect(result(outcome, 'data', /tag set/).status).toBe('pass');
  });

  it('fails a resource of the environment that the Project and Environment tags do not find', async () => {
    const missing = healthyOutputs().data.DBSecretArn as string;
    mocks.tagging.on(GetResourcesCommand).resolves({ ResourceTagMappingList: taggedResources().filter((mapping) => mapping.ResourceARN !== missing) });
    expect(result(await run(), 'data', /tag set/)).toMatchObject({ status: 'fail', detail: `${missing} is not tagged Project=migration, Environment=dev` });
  });

  it('reports resources without a Layer tag', async () => {
    const mappings = taggedResources();
    mappings.push({ ResourceARN: `arn:aws:ec2:us-east-1:${ACCOUNT}:volume/vol-0123`, Tags: [{ Key: 'Project', Value: 'migration' }, { Key: 'Environment', Value: 'dev' }] });
    mocks.tagging.on(GetResourcesCommand).resolves({ ResourceTagMappingList: mappings });
    expect(result(await run({ args: ['--layer', 'app'] }), 'app', /tag set/)).toMatchObject({
      status: 'fail', detail: `arn:aws:ec2:us-east-1:${ACCOUNT}:volume/vol-0123: no CostCenter, no Owner, no ManagedBy, no Layer, no Name`,
    });
  });
});
