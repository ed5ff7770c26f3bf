/** The cost report as text for a terminal, JSON for machines, and the Markdown side-by-side table the README shows. */
import { CostReport } from './pricing';

const dollars = (value: number) => `$${value.toFixed(2)}`;
/** Unit prices keep the precision AWS publishes them with ($0.0225/h, $0.0168/h). */
const unitPrice = (value: number, unit: string) => `$${Number(value.toPrecision(6))}/${unit}`;

export function formatText(report: CostReport): string {
  const lines = [`Estimated monthly cost of ${report.environment} in ${report.region}`, `Prices: ${report.prices}`, ''];
  const rows: string[][] = [];
  for (const layer of report.layers) {
    rows.push([layer.layer, '', '', '']);
    for (const charge of layer.charges) rows.push([`  ${charge.item}`, charge.quantityText, unitPrice(charge.unitPrice, charge.unit), dollars(charge.monthly)]);
    rows.push([`  ${layer.layer} subtotal`, '', '', dollars(layer.subtotal)]);
    for (const usage of layer.usage) rows.push([`  ${usage.item}`, 'usage-based', unitPrice(usage.unitPrice, usage.unit), 'not estimated']);
    for (const note of layer.notes) rows.push([`  ${note}`, '', '', '']);
  }
  rows.push(['total (fixed charges)', '', '', dollars(report.total)]);
  const widths = [0, 1, 2].map((column) => Math.max(...rows.filter((row) => row[1] || row[3]).map((row) => row[column].length)));
  for (const row of rows) {
    lines.push(row[1] || row[2] || row[3]
      ? `${row[0].padEnd(widths[0])}  ${row[1].padEnd(widths[1])}  ${row[2].padStart(widths[2])}  ${row[3].padStart(13)}`.trimEnd()
      : row[0]);
  }
  return lines.join('\n');
}

export function formatJson(report: CostReport): string {
  return JSON.stringify(report, null, 2);
}

/**
 * Reports side by side, one column per labelled configuration: every fixed charge with its quantity and
 * monthly cost, per layer, then the totals; the usage-based charges follow with their unit prices.
 */
export function formatComparison(columns: Array<{ label: string; report: CostReport }>): string {
  const header = `| Layer | Item | ${columns.map((column) => column.label).join(' | ')} |`;
  const rule = `|---|---|${columns.map(() => '---:|').join('')}`;
  const rows: string[] = [];
  const layers = [...new Set(columns.flatMap(({ report }) => report.layers.map((layer) => layer.layer)))];
  for (const layer of layers) {
    const items = [...new Set(columns.flatMap(({ report }) => report.layers.filter((l) => l.layer === layer).flatMap((l) => l.charges.map((charge) => charge.item))))];
    for (const item of items) {
      const cells = columns.map(({ report }) => {
        const charge = report.layers.find((l) => l.layer === layer)?.charges.find((c) => c.item === item);
        return charge ? `${dollars(charge.monthly)} (${charge.quantityText})` : '-';
      });
      rows.push(`| ${layer} | ${item} | ${cells.join(' | ')} |`);
    }
    rows.push(`| ${layer} | **subtotal** | ${columns.map(({ report }) => `**${dollars(report.layers.find((l) => l.layer === layer)?.subtotal ?? 0)}**`).join(' | ')} |`);
  }
  rows.push(`| | **total a month** | ${columns.map(({ report }) => `**${dollars(report.total)}**`).join(' | ')} |`);
  const usage = new Map<string, string>();
  for (const { report } of columns) for (const layer of report.layers) for (const charge of layer.usage) usage.set(charge.item, unitPrice(charge.unitPrice, charge.unit));
  const usageLine = `Usage-based, not estimated: ${[...usage].map(([item, price]) => `${item} ${price}`).join('; ')}.`;
  return [header, rule, ...rows, '', usageLine].join('\n');
}
