/**
 * Unit prices: what each priced item costs per unit, from the dated snapshot in prices.json (offline) or the
 * AWS Price List API (`--live`, see live.ts). A price is named by a key and, for instances, a variant (the
 * instance class or type).
 */
import snapshot from './prices.json';

/** Prices that need no variant. */
const SCALAR_PRICE_KEYS = [
  'natGatewayHour', 'natGatewayDataGb', 'publicIpv4Hour', 'albHour', 'albLcuHour', 'interfaceEndpointAzHour', 'interfaceEndpointDataGb',
  'secretMonth', 'kmsKeyMonth', 'alarmMonth', 'logIngestionGb', 'logStorageGbMonth', 'rdsGp3GbMonth', 'ebsGp3GbMonth',
] as const;
/** Prices per instance class (RDS, Single-AZ) or instance type (EC2, Linux, shared tenancy). */
const VARIANT_PRICE_KEYS = ['rdsPostgresInstanceHour', 'ec2LinuxInstanceHour'] as const;
export type ScalarPriceKey = (typeof SCALAR_PRICE_KEYS)[number];
export type VariantPriceKey = (typeof VARIANT_PRICE_KEYS)[number];

export type PriceRef = { readonly key: ScalarPriceKey; readonly variant?: never } | { readonly key: VariantPriceKey; readonly variant: string };

/** USD per unit, for one region. */
export type RegionPrices = Readonly<Record<ScalarPriceKey, number> & Record<VariantPriceKey, Readonly<Record<string, number>>>>;

export interface PriceSource {
  /** Where the prices come from, for the report's heading. */
  readonly description: string;
  price(ref: PriceRef): Promise<number>;
}

/** Hours in a month, as AWS's price pages and calculator count them. */
export const HOURS_PER_MONTH: number = snapshot.hoursPerMonth;

export class PriceUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PriceUnavailableError';
  }
}

export function describeRef(ref: PriceRef): string {
  return ref.variant ? `${ref.key} ${ref.variant}` : ref.key;
}

/** The snapshot's prices for `region`; a region or instance outside it is refused, pointing at --live. */
export function snapshotPrices(region: string): PriceSource {
  const regions = snapshot.regions as Record<string, RegionPrices>;
  const prices = regions[region];
  if (!prices) {
    throw new PriceUnavailableError(
      `The price snapshot (${snapshot.asOf}) has no prices for ${region}; it covers ${Object.keys(regions).join(', ')}. ` +
      'Run with --live to ask the AWS Price List API (needs AWS credentials allowed pricing:GetProducts).');
  }
  return {
    description: `snapshot of ${snapshot.asOf}: ${snapshot.source} (cli/cost/prices.json)`,
    async price(ref) {
      const value = ref.variant === undefined ? prices[ref.key as ScalarPriceKey] : prices[ref.key as VariantPriceKey][ref.variant];
      if (value === undefined) {
        const known = ref.variant === undefined ? '' : `; it has ${Object.keys(prices[ref.key as VariantPriceKey]).join(', ')}`;
        throw new PriceUnavailableError(`The price snapshot (${snapshot.asOf}) has no price for ${describeRef(ref)} in ${region}${known}. Run with --live for the AWS Price List API's current price.`);
      }
      return value;
    },
  };
}
