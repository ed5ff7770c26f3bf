/**
 * `--live`: today's prices from the AWS Price List API (GetProducts), for the same items as the snapshot.
 * Each price is one product: the service code and attribute filters below must match exactly one on-demand
 * price, else the command says which filters matched none or several, rather than pick one.
 */
import { Filter, GetProductsCommand, PricingClient } from '@aws-sdk/client-pricing';
import { awsClientSettings } from '../aws-client-settings';
import { describeRef, PriceRef, PriceSource, PriceUnavailableError, ScalarPriceKey, VariantPriceKey } from './prices';

export interface ProductQuery {
  readonly serviceCode: string;
  /** Exact attribute values (TERM_MATCH). */
  readonly match: Readonly<Record<string, string>>;
  /**
   * Substring of the usage type (CONTAINS): usage types carry a region prefix (`EU-`, `USE2-`, none in
   * us-east-1), so the part after it is what identifies the charge.
   */
  readonly usageType?: string;
}

/** The Price List API answers from us-east-1 (also eu-central-1 and ap-south-1) for every region. */
export const PRICING_API_REGION = 'us-east-1';

const SCALAR_QUERIES: Readonly<Record<ScalarPriceKey, ProductQuery>> = {
  natGatewayHour: { serviceCode: 'AmazonEC2', match: { productFamily: 'NAT Gateway' }, usageType: 'NatGateway-Hours' },
  natGatewayDataGb: { serviceCode: 'AmazonEC2', match: { productFamily: 'NAT Gateway' }, usageType: 'NatGateway-Bytes' },
  publicIpv4Hour: { serviceCode: 'AmazonVPC', match: {}, usageType: 'PublicIPv4:InUseAddress' },
  albHour: { serviceCode: 'AWSELB', match: { productFamily: 'Load Balancer-Application' }, usageType: 'LoadBalancerUsage' },
  albLcuHour: { serviceCode: 'AWSELB', match: { productFamily: 'Load Balancer-Application' }, usageType: 'LCUUsage' },
  interfaceEndpointAzHour: { serviceCode: 'AmazonVPC', match: { productFamily: 'VpcEndpoint' }, usageType: 'VpcEndpoint-Hours' },
  interfaceEndpointDataGb: { serviceCode: 'AmazonVPC', match: { productFamily: 'VpcEndpoint' }, usageType: 'VpcEndpoint-Bytes' },
  secretMonth: { serviceCode: 'AWSSecretsManager', match: {}, usageType: 'AWSSecretsManager-Secrets' },
  kmsKeyMonth: { serviceCode: 'awskms', match: {}, usageType: 'KMS-Keys' },
  alarmMonth: { serviceCode: 'AmazonCloudWatch', match: { productFamily: 'Alarm' }, usageType: 'CW:AlarmMonitorUsage' },
  logIngestionGb: { serviceCode: 'AmazonCloudWatch', match: { productFamily: 'Data Payload' }, usageType: 'DataProcessing-Bytes' },
  logStorageGbMonth: { serviceCode: 'AmazonCloudWatch', match: {}, usageType: 'TimedStorage-ByteHrs' },
  rdsGp3GbMonth: { serviceCode: 'AmazonRDS', match: { productFamily: 'Database Storage', volumeType: 'General Purpose-GP3', deploymentOption: 'Single-AZ', databaseEngine: 'PostgreSQL' } },
  ebsGp3GbMonth: { serviceCode: 'AmazonEC2', match: { productFamily: 'Storage', volumeApiName: 'gp3' } },
};

const VARIANT_QUERIES: Readonly<Record<VariantPriceKey, (variant: string) => ProductQuery>> = {
  // Single-AZ: the estimate counts a Multi-AZ instance as two, as AWS prices it.
  rdsPostgresInstanceHour: (instanceClass) => ({
    serviceCode: 'AmazonRDS',
    match: { productFamily: 'Database Instance', instanceType: instanceClass, databaseEngine: 'PostgreSQL', deploymentOption: 'Single-AZ' },
  }),
  ec2LinuxInstanceHour: (instanceType) => ({
    serviceCode: 'AmazonEC2',
    match: { productFamily: 'Compute Instance', instanceType, operatingSystem: 'Linux', tenancy: 'Shared', preInstalledSw: 'NA', capacitystatus: 'Used', licenseModel: 'No License required' },
  }),
};

function productQuery(ref: PriceRef): ProductQuery {
  return ref.variant === undefined ? SCALAR_QUERIES[ref.key] : VARIANT_QUERIES[ref.key](ref.variant);
}

/** The GetProducts filters for `query` in `region`. */
function productFilters(query: ProductQuery, region: string): Filter[] {
  return [
    { Type: 'TERM_MATCH', Field: 'regionCode', Value: region },
    ...Object.entries(query.match).map(([Field, Value]): Filter => ({ Type: 'TERM_MATCH', Field, Value })),
    ...(query.usageType ? [{ Type: 'CONTAINS', Field: 'usagetype', Value: query.usageType } as Filter] : []),
  ];
}

/** At most this many pages of products per price: a query that matches more is too loose anyway. */
const MAX_PAGES = 5;

export function livePrices(region: string, client: PricingClient = new PricingClient({ region: PRICING_API_REGION, ...awsClientSettings() })): PriceSource {
  const cache = new Map<string, Promise<number>>();
  return {
    description: `AWS Price List API, ${new Date().toISOString().slice(0, 10)} (on-demand, USD)`,
    price(ref) {
      const id = describeRef(ref);
      if (!cache.has(id)) cache.set(id, fetchPrice(client, ref, region));
      return cache.get(id)!;
    },
  };
}

async function fetchPrice(client: PricingClient, ref: PriceRef, region: string): Promise<number> {
  const query = productQuery(ref);
  const filters = productFilters(query, region);
  const prices = new Set<number>();
  let NextToken: string | undefined;
  let pages = 0;
  do {
    const page = await client.send(new GetProductsCommand({ ServiceCode: query.serviceCode, Filters: filters, FormatVersion: 'aws_v1', NextToken, MaxResults: 100 }));
    for (const product of page.PriceList ?? []) {
      const price = onDemandUsd(typeof product === 'string' ? product : JSON.stringify(product));
      if (price !== undefined) prices.add(price);
    }
    NextToken = page.NextToken;
  } while (NextToken && ++pages < MAX_PAGES);
  const described = `${query.serviceCode} ${filters.map((filter) => `${filter.Field} ${filter.Type === 'CONTAINS' ? 'contains' : '='} ${filter.Value}`).join(', ')}`;
  if (prices.size === 0) throw new PriceUnavailableError(`The AWS Price List API has no on-demand price for ${describeRef(ref)} in ${region} (${described})`);
  if (prices.size > 1) throw new PriceUnavailableError(`The AWS Price List API has ${prices.size} different on-demand prices for ${describeRef(ref)} in ${region} (${described}): ${[...prices].join(', ')}`);
  return [...prices][0];
}

/**
 * The on-demand USD price of one GetProducts entry (a JSON document: product, terms.OnDemand.<offer>.
 * priceDimensions.<rate>.pricePerUnit.USD), from its first tier; undefined when it has none above zero.
 */
export function onDemandUsd(document: string): number | undefined {
  const terms = JSON.parse(document).terms?.OnDemand ?? {};
  for (const offer of Object.values<any>(terms)) {
    for (const dimension of Object.values<any>(offer.priceDimensions ?? {})) {
      const usd = Number(dimension.pricePerUnit?.USD);
      if ((dimension.beginRange ?? '0') === '0' && usd > 0) return usd;
    }
  }
  return undefined;
}
