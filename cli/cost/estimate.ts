/**
 * What each layer's synthesized Terraform JSON will cost: one line per priced resource family with its
 * quantity per month and the price it is charged at, plus the usage-based charges it cannot know (listed with
 * their unit price, never guessed) and what is free. Pure: it reads cdk.tf.json and names prices; pricing.ts
 * puts numbers on them.
 */
import { Layer } from '../../modules/core/config';
import { HOURS_PER_MONTH, PriceRef } from './prices';

/** A synthesized stack, as cdktf writes it to cdktf.out/stacks/<layer>/cdk.tf.json. */
export type StackJson = { readonly resource?: Record<string, Record<string, Record<string, any>>>; readonly provider?: Record<string, any> };

/** A charge with a known monthly quantity. */
export interface FixedCharge {
  readonly item: string;
  /** Units billed per month (hours, GiB-months, secret-months...). */
  readonly quantity: number;
  /** How the quantity came about, e.g. `2 × 730 h`. */
  readonly quantityText: string;
  /** The unit the price is per, e.g. `h`, `GiB-month`. */
  readonly unit: string;
  readonly price: PriceRef;
}

/** A charge that depends on traffic or volume this command cannot know. */
export interface UsageCharge {
  readonly item: string;
  readonly unit: string;
  readonly price: PriceRef;
}

export interface LayerEstimate {
  readonly layer: Layer;
  readonly fixed: FixedCharge[];
  readonly usage: UsageCharge[];
  /** Free items and stated assumptions. */
  readonly notes: string[];
}

type Resources = Record<string, Record<string, any>>;

/** Something in the stacks this estimate cannot price, or cannot read: the user's to know, not a bug. */
export class CostInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CostInputError';
  }
}

const hours = (item: string, count: number, price: PriceRef, what: string): FixedCharge =>
  ({ item, quantity: count * HOURS_PER_MONTH, quantityText: `${count} ${what} × ${HOURS_PER_MONTH} h`, unit: 'h', price });
const months = (item: string, count: number, price: PriceRef, unit: string): FixedCharge =>
  ({ item, quantity: count, quantityText: `${count}`, unit, price });
const gibMonths = (item: string, gib: number, copies: number, price: PriceRef): FixedCharge =>
  ({ item, quantity: gib * copies, quantityText: copies === 1 ? `${gib} GiB` : `${copies} copies × ${gib} GiB`, unit: 'GiB-month', price });

/** Amazon Linux 2023's root volume when a launch template does not size it. */
const AMI_ROOT_VOLUME_GIB = 8;
/** Days of Performance Insights history AWS keeps for free. */
const FREE_PERFORMANCE_INSIGHTS_DAYS = 7;

export function estimateLayer(layer: Layer, stack: StackJson): LayerEstimate {
  const resources = (type: string): Resources => stack.resource?.[type] ?? {};
  const count = (type: string, where: (body: Record<string, any>) => boolean = () => true) => Object.values(resources(type)).filter(where).length;
  const fixed: FixedCharge[] = [];
  const usage: UsageCharge[] = [];
  const notes: string[] = [];

  const natGateways = count('aws_nat_gateway');
  if (natGateways > 0) {
    fixed.push(hours('NAT gateway', natGateways, { key: 'natGatewayHour' }, natGateways === 1 ? 'gateway' : 'gateways'));
    usage.push({ item: 'NAT gateway data processing', unit: 'GB', price: { key: 'natGatewayDataGb' } });
  }
  const addresses = count('aws_eip');
  if (addresses > 0) fixed.push(hours('Public IPv4 address (Elastic IP)', addresses, { key: 'publicIpv4Hour' }, addresses === 1 ? 'address' : 'addresses'));

  const albs = Object.values(resources('aws_lb')).filter((body) => (body.load_balancer_type ?? 'application') === 'application');
  if (albs.length > 0) {
    fixed.push(hours('Application Load Balancer', albs.length, { key: 'albHour' }, albs.length === 1 ? 'load balancer' : 'load balancers'));
    usage.push({ item: 'Load balancer capacity units', unit: 'LCU-h', price: { key: 'albLcuHour' } });
    const publicNodes = albs.filter((body) => body.internal !== true).reduce((sum, body) => sum + referencedCount(body.subnets, 'aws_subnet'), 0);
    if (publicNodes > 0) {
      fixed.push(hours('Public IPv4 addresses of the load balancer (one per AZ at least)', publicNodes, { key: 'publicIpv4Hour' }, publicNodes === 1 ? 'address' : 'addresses'));
      usage.push({ item: 'Further load balancer IPv4 addresses as it scales', unit: 'h', price: { key: 'publicIpv4Hour' } });
    }
  }

  const interfaceEndpoints = Object.values(resources('aws_vpc_endpoint')).filter((body) => body.vpc_endpoint_type === 'Interface');
  if (interfaceEndpoints.length > 0) {
    const zones = interfaceEndpoints.reduce((sum, body) => sum + referencedCount(body.subnet_ids, 'aws_subnet'), 0);
    fixed.push(hours(`Interface VPC endpoint (${interfaceEndpoints.length}), per AZ`, zones, { key: 'interfaceEndpointAzHour' }, zones === 1 ? 'AZ' : 'AZs'));
    usage.push({ item: 'Interface endpoint data processing', unit: 'GB', price: { key: 'interfaceEndpointDataGb' } });
  }
  if (count('aws_vpc_endpoint', (body) => body.vpc_endpoint_type === 'Gateway') > 0) notes.push('S3 gateway endpoint: free.');

  for (const [name, db] of Object.entries(resources('aws_db_instance'))) {
    if (db.engine !== 'postgres') throw new CostInputError(`aws_db_instance.${name}: engine ${db.engine} is not priced; only postgres is`);
    const copies = db.multi_az === true ? 2 : 1;
    fixed.push(hours(`RDS PostgreSQL ${db.instance_class}`, copies, { key: 'rdsPostgresInstanceHour', variant: db.instance_class },
      copies === 2 ? 'instances (Multi-AZ: primary and standby)' : 'instance (Single-AZ)'));
    if ((db.storage_type ?? 'gp2') !== 'gp3') throw new CostInputError(`aws_db_instance.${name}: storage type ${db.storage_type} is not priced; only gp3 is`);
    fixed.push(gibMonths(`RDS gp3 storage (autoscaling up to ${db.max_allocated_storage ?? db.allocated_storage} GiB)`, db.allocated_storage, copies, { key: 'rdsGp3GbMonth' }));
    if (db.performance_insights_enabled === true) {
      const days = db.performance_insights_retention_period ?? FREE_PERFORMANCE_INSIGHTS_DAYS;
      if (days > FREE_PERFORMANCE_INSIGHTS_DAYS) throw new CostInputError(`aws_db_instance.${name}: Performance Insights kept ${days} days is charged per vCPU, which this estimate does not price`);
      notes.push(`Performance Insights with ${days} days of history: free.`);
    }
    notes.push('RDS backup storage up to the database\'s size: free; beyond it, usage-based.');
    if ((db.monitoring_interval ?? 0) > 0) notes.push('Enhanced monitoring writes to CloudWatch Logs (RDSOSMetrics): counted in log ingestion.');
  }

  const secrets = count('aws_secretsmanager_secret');
  if (secrets > 0) fixed.push(months('Secrets Manager secret', secrets, { key: 'secretMonth' }, 'secret-month'));
  const keys = count('aws_kms_key');
  if (keys > 0) fixed.push(months('KMS customer managed key', keys, { key: 'kmsKeyMonth' }, 'key-month'));
  // CloudWatch bills an alarm per metric it evaluates: a metric-math alarm over three metrics costs three.
  const alarms = Object.values(resources('aws_cloudwatch_metric_alarm'))
    .reduce((sum, alarm) => sum + Math.max(1, blocks(alarm.metric_query).filter((query) => query.metric !== undefined).length), 0);
  if (alarms > 0) fixed.push(months('CloudWatch alarm metrics (standard resolution)', alarms, { key: 'alarmMonth' }, 'alarm-month'));
  // Each target-tracking policy makes two alarms of its own (scale out, scale in), billed like any other.
  const trackingAlarms = 2 * count('aws_autoscaling_policy', (body) => body.policy_type === 'TargetTrackingScaling');
  if (trackingAlarms > 0) fixed.push(months('CloudWatch alarms of target-tracking scaling policies', trackingAlarms, { key: 'alarmMonth' }, 'alarm-month'));
  // Charges the price snapshot has no entry for yet: named, so the estimate never hides them.
  const composites = count('aws_cloudwatch_composite_alarm');
  if (composites > 0) notes.push(`${composites} composite alarm${composites === 1 ? '' : 's'}: priced per alarm-month (CloudWatch pricing page), not in the snapshot.`);
  const dashboards = count('aws_cloudwatch_dashboard');
  if (dashboards > 0) notes.push(`${dashboards} CloudWatch dashboard${dashboards === 1 ? '' : 's'}: free up to three per account, then priced per dashboard-month, not in the snapshot.`);
  if (count('aws_backup_plan') > 0) notes.push('AWS Backup: recovery points (and their copies in BACKUP_COPY_REGION) are charged per GB-month stored, and the weekly restore test runs a database instance for up to its validation window: usage-based, not estimated.');
  const logGroups = count('aws_cloudwatch_log_group');
  if (logGroups > 0) {
    usage.push({ item: 'CloudWatch Logs ingestion', unit: 'GB', price: { key: 'logIngestionGb' } });
    usage.push({ item: 'CloudWatch Logs storage', unit: 'GB-month', price: { key: 'logStorageGbMonth' } });
  }

  for (const [name, group] of Object.entries(resources('aws_autoscaling_group'))) {
    const template = launchTemplateOf(stack, name, group);
    const instances = Number(group.desired_capacity ?? group.min_size ?? 0);
    const fleet = group.name ?? name;
    fixed.push(hours(`EC2 ${template.instance_type} in ${fleet} (desired capacity)`, instances, { key: 'ec2LinuxInstanceHour', variant: template.instance_type }, instances === 1 ? 'instance' : 'instances'));
    const root = blocks(template.block_device_mappings).map((mapping) => blocks(mapping.ebs)[0]).find(Boolean);
    if (root && (root.volume_type ?? 'gp3') !== 'gp3') throw new CostInputError(`aws_launch_template for ${name}: volume type ${root.volume_type} is not priced; only gp3 is`);
    const rootGib = Number(root?.volume_size ?? AMI_ROOT_VOLUME_GIB);
    if (root?.volume_size === undefined) notes.push(`${fleet}: root volume size not set, priced at the AMI's ${AMI_ROOT_VOLUME_GIB} GiB.`);
    if (instances > 0) fixed.push(gibMonths(`EBS gp3 root volumes in ${fleet}`, rootGib, instances, { key: 'ebsGp3GbMonth' }));
  }

  if (count('aws_lambda_function') > 0) notes.push('Lambda (secret rotation, a few invocations a month): usage-based, within the free tier at this rate.');
  if (count('aws_s3_bucket') > 0) notes.push('S3 storage and requests (load balancer access logs): usage-based, not estimated.');
  if (secrets + keys > 0) notes.push('Secrets Manager and KMS API requests: usage-based, per 10,000 requests, not estimated.');
  return { layer, fixed, usage, notes };
}

/** The region the stack's AWS provider deploys to. */
export function stackRegion(stack: StackJson): string | undefined {
  const provider = stack.provider?.aws;
  return (Array.isArray(provider) ? provider[0] : provider)?.region;
}

/** Terraform JSON writes a nested block as an object or a list of objects. */
function blocks(value: unknown): Array<Record<string, any>> {
  if (value === undefined || value === null) return [];
  return (Array.isArray(value) ? value : [value]) as Array<Record<string, any>>;
}

/**
 * How many resources of `type` a list attribute names: its length, or, when the list is an expression
 * (e.g. `matchkeys(...)` keeping the zones a service is offered in), the distinct references in it, an upper bound.
 */
function referencedCount(value: unknown, type: string): number {
  if (Array.isArray(value)) return value.length;
  if (typeof value === 'string') return new Set(value.match(new RegExp(`${type}\\.[A-Za-z0-9_-]+`, 'g')) ?? []).size;
  return 0;
}

function launchTemplateOf(stack: StackJson, groupName: string, group: Record<string, any>): Record<string, any> {
  const reference = blocks(group.launch_template)[0]?.id;
  const templateName = typeof reference === 'string' ? /^\$\{aws_launch_template\.([^.]+)\.id\}$/.exec(reference)?.[1] : undefined;
  const template = templateName ? stack.resource?.aws_launch_template?.[templateName] : undefined;
  if (!template?.instance_type) {
    throw new CostInputError(`aws_autoscaling_group.${groupName}: its launch template is not an aws_launch_template of the same stack with an instance_type, so its instances cannot be priced`);
  }
  return template;
}
