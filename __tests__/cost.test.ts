/**
 * `npm run cost`: the snapshot against prices AWS publishes, the estimate of the synthesized platform in its
 * dev and production shapes, fleets at desired capacity, the live Price List path (mocked: filters and
 * parsing), and the README's table, which must be what the command prints.
 */
import { GetProductsCommand, PricingClient } from '@aws-sdk/client-pricing';
import { AutoscalingGroup } from '@cdktf/provider-aws/lib/autoscaling-group';
import { AutoscalingPolicy } from '@cdktf/provider-aws/lib/autoscaling-policy';
import { LaunchTemplate } from '@cdktf/provider-aws/lib/launch-template';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { mockClient } from 'aws-sdk-client-mock';
import { Testing, TerraformStack } from 'cdktf';
import { readFileSync } from 'fs';
import { join } from 'path';
import { readmeComparison } from '../cli/cost/comparison';
import { estimateLayer } from '../cli/cost/estimate';
import { runCost } from '../cli/cost/index';
import { livePrices, onDemandUsd, PRICING_API_REGION } from '../cli/cost/live';
import snapshot from '../cli/cost/prices.json';
import { snapshotPrices } from '../cli/cost/prices';
import { priceEstimates } from '../cli/cost/pricing';
import { LAYERS } from '../modules/core/config';
import { synthPlatform } from './support/synth';

const ROOT = join(__dirname, '..');

describe('the price snapshot', () => {
  it('has its date and source, and says it was not fetched', () => {
    expect(snapshot.asOf).toMatch(/^\d{4}-\d{2}$/);
    expect(snapshot.source).toContain('aws.amazon.com');
    expect(snapshot.note).toContain('not fetched');
    expect(snapshot.hoursPerMonth).toBe(730);
  });

  it.each([
    ['natGatewayHour', 0.045], ['natGatewayDataGb', 0.045], ['albHour', 0.0225], ['albLcuHour', 0.008], ['interfaceEndpointAzHour', 0.01],
    ['secretMonth', 0.4], ['kmsKeyMonth', 1], ['alarmMonth', 0.1], ['publicIpv4Hour', 0.005], ['logIngestionGb', 0.5],
    ['rdsGp3GbMonth', 0.115], ['ebsGp3GbMonth', 0.08],
  ] as const)('us-east-1 %s is the published $%s', async (key, published) => {
    expect(await snapshotPrices('us-east-1').price({ key })).toBe(published);
  });

  it('has the published us-east-1 prices of the default instance types', async () => {
    expect(await snapshotPrices('us-east-1').price({ key: 'rdsPostgresInstanceHour', variant: 'db.t4g.medium' })).toBe(0.065);
    expect(await snapshotPrices('us-east-1').price({ key: 'ec2LinuxInstanceHour', variant: 't4g.small' })).toBe(0.0168);
  });

  it('refuses a region it does not cover, pointing at --live', () => {
    expect(() => snapshotPrices('ap-southeast-2')).toThrow('The price snapshot (2025-06) has no prices for ap-southeast-2; it covers us-east-1, us-east-2, us-west-2, eu-west-1. Run with --live');
  });

  it('refuses an instance class it does not have, listing the ones it has', async () => {
    await expect(snapshotPrices('eu-west-1').price({ key: 'rdsPostgresInstanceHour', variant: 'db.r7g.large' })).rejects.toThrow(
      'The price snapshot (2025-06) has no price for rdsPostgresInstanceHour db.r7g.large in eu-west-1; it has db.t4g.micro, db.t4g.small, db.t4g.medium, db.t4g.large. Run with --live');
  });

  it('prices every item in every region it covers', () => {
    const keys = Object.keys(snapshot.regions['us-east-1']);
    for (const region of Object.values(snapshot.regions)) expect(Object.keys(region).sort()).toEqual([...keys].sort());
  });
});

async function estimate(env: Record<string, string>) {
  const stacks = synthPlatform(env);
  const estimates = LAYERS.map((layer) => estimateLayer(layer, stacks[layer].json));
  return priceEstimates(estimates, snapshotPrices('us-east-1'), { environment: 'test', region: 'us-east-1' });
}
const charge = (report: Awaited<ReturnType<typeof estimate>>, item: RegExp) => report.layers.flatMap((layer) => layer.charges).filter((c) => item.test(c.item));

describe('the estimate of the synthesized platform', () => {
  it('prices production settings: a NAT gateway per AZ, Multi-AZ database counted twice, storage twice', async () => {
    const report = await estimate({ ENVIRONMENT_SUFFIX: 'prod', CERTIFICATE_ARN: 'arn:aws:acm:us-east-1:123456789012:certificate/00000000-0000-0000-0000-000000000000' });
    expect(charge(report, /^NAT gateway$/)).toEqual([expect.objectContaining({ quantity: 2 * 730, unitPrice: 0.045, monthly: 65.7, quantityText: '2 gateways × 730 h' })]);
    expect(charge(report, /Elastic IP/)).toEqual([expect.objectContaining({ quantity: 2 * 730, monthly: 7.3 })]);
    expect(charge(report, /^Application Load Balancer$/)).toEqual([expect.objectContaining({ quantity: 730, monthly: 16.43 })]);
    expect(charge(report, /Interface VPC endpoint/)).toEqual([expect.objectContaining({ quantity: 2 * 730, unitPrice: 0.01, monthly: 14.6, quantityText: '2 AZs × 730 h' })]);
    expect(charge(report, /RDS PostgreSQL db.t4g.medium/)).toEqual([expect.objectContaining({ quantity: 2 * 730, monthly: 94.9 })]);
    expect(charge(report, /RDS gp3 storage/)).toEqual([expect.objectContaining({ quantity: 40, quantityText: '2 copies × 20 GiB', monthly: 4.6 })]);
    expect(charge(report, /Secrets Manager/)).toEqual([expect.objectContaining({ quantity: 1, monthly: 0.4 })]);
    // The 5xx-rate alarm evaluates three metrics and is billed as three; the p99 alarm as one.
    const network = report.layers.find((layer) => layer.layer === 'network')!;
    expect(network.charges.filter((c) => /alarm metrics/.test(c.item))).toEqual([expect.objectContaining({ quantity: 4, monthly: 0.4 })]);
    // One key for the alerts topic (network), one for the data layer.
    expect(charge(report, /KMS/)).toEqual([expect.objectContaining({ quantity: 1, monthly: 1 }), expect.objectContaining({ quantity: 1, monthly: 1 })]);
    const subtotals = report.layers.map((layer) => layer.subtotal);
    expect(report.total).toBeCloseTo(subtotals.reduce((a, b) => a + b, 0), 2);
    for (const layer of report.layers) expect(layer.subtotal).toBeCloseTo(layer.charges.reduce((sum, c) => sum + c.monthly, 0), 2);
  });

  it('prices dev settings: one NAT gateway and a Single-AZ database', async () => {
    const report = await estimate({ NAT_GATEWAYS: 'single', DB_MULTI_AZ: 'false', DB_INSTANCE_CLASS: 'db.t4g.large', DB_ALLOCATED_STORAGE: '50', DB_MAX_ALLOCATED_STORAGE: '60' });
    expect(charge(report, /^NAT gateway$/)).toEqual([expect.objectContaining({ quantity: 730, monthly: 32.85 })]);
    expect(charge(report, /RDS PostgreSQL db.t4g.large/)).toEqual([expect.objectContaining({ quantity: 730, unitPrice: 0.129, monthly: 94.17 })]);
    expect(charge(report, /RDS gp3 storage \(autoscaling up to 60 GiB\)/)).toEqual([expect.objectContaining({ quantity: 50, monthly: 5.75 })]);
  });

  it('lists usage-based charges with their unit price and never puts a number on them', async () => {
    const report = await estimate({});
    const network = report.layers.find((layer) => layer.layer === 'network')!;
    expect(network.usage.map((usage) => [usage.item, usage.unitPrice])).toEqual(expect.arrayContaining([
      ['NAT gateway data processing', 0.045], ['Load balancer capacity units', 0.008], ['Interface endpoint data processing', 0.01], ['CloudWatch Logs ingestion', 0.5],
    ]));
    expect(report.layers.find((layer) => layer.layer === 'data')!.notes).toContain('Performance Insights with 7 days of history: free.');
  });

  it('refuses to price Performance Insights kept longer than the free 7 days', () => {
    const stack = { resource: { aws_db_instance: { db: { engine: 'postgres', instance_class: 'db.t4g.medium', storage_type: 'gp3', allocated_storage: 20, performance_insights_enabled: true, performance_insights_retention_period: 31 } } } };
    expect(() => estimateLayer('data', stack)).toThrow('aws_db_instance.db: Performance Insights kept 31 days is charged per vCPU, which this estimate does not price');
  });

  it('counts an endpoint\'s AZs when its subnets are an expression (the zones a service is offered in)', () => {
    const stack = { resource: { aws_vpc_endpoint: { sm: { vpc_endpoint_type: 'Interface', subnet_ids: '${matchkeys([aws_subnet.private-1.id, aws_subnet.private-2.id, aws_subnet.private-3.id], [a, b, c], data.x.availability_zones)}' } } } };
    expect(estimateLayer('network', stack).fixed).toEqual([expect.objectContaining({ quantity: 3 * 730, quantityText: '3 AZs × 730 h' })]);
  });
});

describe('fleets', () => {
  /** An app layer as the real bindings synthesize it: two fleets on their own launch templates. */
  function appStack(rootVolume?: number) {
    const app = Testing.app();
    const stack = new TerraformStack(app, 'app');
    new AwsProvider(stack, 'aws', { region: 'us-east-1' });
    for (const [colour, desired] of [['blue', 2], ['green', 0]] as const) {
      const template = new LaunchTemplate(stack, `${colour}-template`, {
        instanceType: 't4g.small',
        ...(rootVolume ? { blockDeviceMappings: [{ deviceName: '/dev/xvda', ebs: { volumeType: 'gp3', volumeSize: rootVolume } }] } : {}),
      });
      const group = new AutoscalingGroup(stack, colour, { name: `migration-${colour}-dev`, minSize: desired, maxSize: 4, desiredCapacity: desired, launchTemplate: { id: template.id, version: template.latestVersion.toString() } });
      new AutoscalingPolicy(stack, `${colour}-cpu`, {
        name: `migration-${colour}-cpu-dev`, autoscalingGroupName: group.name, policyType: 'TargetTrackingScaling',
        targetTrackingConfiguration: { targetValue: 60, predefinedMetricSpecification: { predefinedMetricType: 'ASGAverageCPUUtilization' } },
      });
    }
    return JSON.parse(Testing.synth(stack));
  }

  it('prices instances and root volumes at desired capacity', async () => {
    const estimateOfApp = estimateLayer('app', appStack(16));
    const report = await priceEstimates([estimateOfApp], snapshotPrices('us-east-1'), { environment: 'test', region: 'us-east-1' });
    expect(report.layers[0].charges.map((c) => [c.item, c.quantityText, c.unitPrice, c.monthly])).toEqual([
      ['CloudWatch alarms of target-tracking scaling policies', '4', 0.1, 0.4],
      ['EC2 t4g.small in migration-blue-dev (desired capacity)', '2 instances × 730 h', 0.0168, 24.53],
      ['EBS gp3 root volumes in migration-blue-dev', '2 copies × 16 GiB', 0.08, 2.56],
      ['EC2 t4g.small in migration-green-dev (desired capacity)', '0 instances × 730 h', 0.0168, 0],
    ]);
  });

  it('says when a root volume size is the AMI\'s, and which size it priced', () => {
    expect(estimateLayer('app', appStack()).notes).toContain('migration-blue-dev: root volume size not set, priced at the AMI\'s 8 GiB.');
  });

  it('refuses a fleet whose launch template it cannot find', () => {
    const stack = { resource: { aws_autoscaling_group: { blue: { desired_capacity: 2, launch_template: { id: 'lt-0123' } } } } };
    expect(() => estimateLayer('app', stack)).toThrow('aws_autoscaling_group.blue: its launch template is not an aws_launch_template of the same stack with an instance_type');
  });
});

describe('--live', () => {
  const pricing = mockClient(PricingClient);
  afterEach(() => pricing.reset());
  /** A GetProducts entry in the documented shape. */
  const product = (usd: string, beginRange = '0') => JSON.stringify({
    product: { productFamily: 'NAT Gateway', attributes: { regionCode: 'eu-west-1', usagetype: 'EU-NatGateway-Hours' } },
    terms: { OnDemand: { 'ABC.JRTCKXETXF': { priceDimensions: { 'ABC.JRTCKXETXF.6YS6EN2CT7': { unit: 'Hrs', beginRange, endRange: 'Inf', pricePerUnit: { USD: usd } } } } } },
  });

  it('asks GetProducts for the NAT gateway hour with the region, product family and usage type', async () => {
    pricing.on(GetProductsCommand).resolves({ PriceList: [product('0.0480000000')], FormatVersion: 'aws_v1' });
    const client = new PricingClient({ region: PRICING_API_REGION });
    expect(await livePrices('eu-west-1', client).price({ key: 'natGatewayHour' })).toBe(0.048);
    expect(pricing.commandCalls(GetProductsCommand)[0].args[0].input).toEqual({
      ServiceCode: 'AmazonEC2',
      FormatVersion: 'aws_v1',
      MaxResults: 100,
      NextToken: undefined,
      Filters: [
        { Type: 'TERM_MATCH', Field: 'regionCode', Value: 'eu-west-1' },
        { Type: 'TERM_MATCH', Field: 'productFamily', Value: 'NAT Gateway' },
        { Type: 'CONTAINS', Field: 'usagetype', Value: 'NatGateway-Hours' },
      ],
    });
  });

  it('asks for the instance class, engine and Single-AZ deployment of the database', async () => {
    pricing.on(GetProductsCommand).resolves({ PriceList: [product('0.0650000000')] });
    expect(await livePrices('us-east-1', new PricingClient({ region: PRICING_API_REGION })).price({ key: 'rdsPostgresInstanceHour', variant: 'db.t4g.medium' })).toBe(0.065);
    const input = pricing.commandCalls(GetProductsCommand)[0].args[0].input;
    expect(input.ServiceCode).toBe('AmazonRDS');
    expect(input.Filters).toEqual(expect.arrayContaining([
      { Type: 'TERM_MATCH', Field: 'instanceType', Value: 'db.t4g.medium' },
      { Type: 'TERM_MATCH', Field: 'databaseEngine', Value: 'PostgreSQL' },
      { Type: 'TERM_MATCH', Field: 'deploymentOption', Value: 'Single-AZ' },
      { Type: 'TERM_MATCH', Field: 'regionCode', Value: 'us-east-1' },
    ]));
  });

  it('refuses to choose between different prices, and says when none matched', async () => {
    const client = new PricingClient({ region: PRICING_API_REGION });
    pricing.on(GetProductsCommand).resolves({ PriceList: [product('0.045'), product('0.09')] });
    await expect(livePrices('us-east-1', client).price({ key: 'albHour' })).rejects.toThrow('has 2 different on-demand prices for albHour in us-east-1');
    pricing.on(GetProductsCommand).resolves({ PriceList: [] });
    await expect(livePrices('us-east-1', client).price({ key: 'kmsKeyMonth' })).rejects.toThrow('has no on-demand price for kmsKeyMonth in us-east-1 (awskms regionCode = us-east-1, usagetype contains KMS-Keys)');
  });

  it('reads the first tier\'s USD price, skipping free and later tiers', () => {
    expect(onDemandUsd(product('0.0000000000'))).toBeUndefined();
    expect(onDemandUsd(product('0.03', '10240'))).toBeUndefined();
    expect(onDemandUsd(product('0.5'))).toBe(0.5);
  });

  it('prices the whole platform with one query per distinct price', async () => {
    pricing.on(GetProductsCommand).resolves({ PriceList: [product('1')] });
    let text = '';
    expect(await runCost(['--live', '--format', 'json'], { env: {}, root: ROOT, write: (written) => { text += written; }, pricingClient: new PricingClient({ region: PRICING_API_REGION }) })).toBe(0);
    const queries = pricing.commandCalls(GetProductsCommand).map((call) => JSON.stringify(call.args[0].input.Filters));
    expect(new Set(queries).size).toBe(queries.length);
    expect(JSON.parse(text).prices).toMatch(/^AWS Price List API, \d{4}-\d{2}-\d{2}/);
  });
});

describe('the command', () => {
  it('prints every layer, its subtotal, and the total, in text', async () => {
    let text = '';
    expect(await runCost([], { env: { NAT_GATEWAYS: 'single' }, root: ROOT, write: (written) => { text += written; } })).toBe(0);
    expect(text).toMatch(/^Estimated monthly cost of migration-dev in us-east-1\nPrices: snapshot of 2025-06/);
    expect(text).toMatch(/\n {2}NAT gateway +1 gateway × 730 h +\$0\.045\/h +\$32\.85\n/);
    expect(text).toMatch(/\n {2}NAT gateway data processing +usage-based +\$0\.045\/GB +not estimated\n/);
    for (const layer of LAYERS) expect(text).toMatch(new RegExp(`\\n {2}${layer} subtotal +\\$\\d+\\.\\d\\d\\n`));
    expect(text).toMatch(/\ntotal \(fixed charges\) +\$\d+\.\d\d$/);
  });

  it('refuses an unknown format and --update-readme without --compare', async () => {
    const context = { env: {}, root: ROOT, write: () => undefined };
    await expect(runCost(['--format', 'csv'], context)).rejects.toThrow('--format csv is not allowed: use one of text, json, markdown');
    await expect(runCost(['--update-readme'], context)).rejects.toThrow('--update-readme needs --compare');
  });

  it('prints the README\'s dev and production table, exactly as the README shows it', async () => {
    let text = '';
    expect(await runCost(['--compare'], { env: {}, root: ROOT, write: (written) => { text += written; } })).toBe(0);
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    expect(readmeComparison(readme)).toBe(text.trim());
    expect(text).toContain('`NAT_GATEWAYS=single` saves $36.50 a month');
  });
});
