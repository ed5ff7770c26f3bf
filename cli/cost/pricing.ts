/** Puts prices on the layers' charges: each line's monthly cost (to the cent), subtotals per layer and a total. */
import { FixedCharge, LayerEstimate, UsageCharge } from './estimate';
import { PriceSource } from './prices';

export interface PricedCharge extends FixedCharge {
  readonly unitPrice: number;
  /** USD a month, rounded to the cent. */
  readonly monthly: number;
}

export interface PricedUsage extends UsageCharge {
  readonly unitPrice: number;
}

export interface PricedLayer {
  readonly layer: LayerEstimate['layer'];
  readonly charges: PricedCharge[];
  readonly usage: PricedUsage[];
  readonly notes: string[];
  readonly subtotal: number;
}

export interface CostReport {
  /** `<project>-<suffix>`. */
  readonly environment: string;
  readonly region: string;
  /** Where the prices come from. */
  readonly prices: string;
  readonly layers: PricedLayer[];
  readonly total: number;
}

const cents = (value: number) => Math.round(value * 100) / 100;

export async function priceEstimates(estimates: LayerEstimate[], source: PriceSource, context: { environment: string; region: string }): Promise<CostReport> {
  const layers: PricedLayer[] = [];
  for (const estimate of estimates) {
    const charges: PricedCharge[] = [];
    for (const charge of estimate.fixed) {
      const unitPrice = await source.price(charge.price);
      charges.push({ ...charge, unitPrice, monthly: cents(charge.quantity * unitPrice) });
    }
    const usage: PricedUsage[] = [];
    for (const charge of estimate.usage) usage.push({ ...charge, unitPrice: await source.price(charge.price) });
    layers.push({ layer: estimate.layer, charges, usage, notes: estimate.notes, subtotal: cents(charges.reduce((sum, charge) => sum + charge.monthly, 0)) });
  }
  return { ...context, prices: source.description, layers, total: cents(layers.reduce((sum, layer) => sum + layer.subtotal, 0)) };
}
