/**
 * The side-by-side estimate the README shows: dev (one NAT gateway, Single-AZ database), the same with a NAT
 * gateway per AZ (what `NAT_GATEWAYS=single` saves) and production settings (all defaults), all in us-east-1
 * from the snapshot, so the README only changes when the code or the snapshot does.
 */
import { readFileSync, writeFileSync } from 'fs';
import { formatComparison } from './report';
import { CostReport } from './pricing';

export interface Profile {
  readonly label: string;
  /** The whole environment the platform is synthesized with (nothing inherited from the caller's). */
  readonly env: Readonly<Record<string, string>>;
}

const REGION = 'us-east-1';
export const PROFILES: readonly Profile[] = [
  { label: 'dev (`NAT_GATEWAYS=single`, `DB_MULTI_AZ=false`)', env: { AWS_REGION: REGION, ENVIRONMENT_SUFFIX: 'dev', NAT_GATEWAYS: 'single', DB_MULTI_AZ: 'false' } },
  { label: 'dev with a NAT gateway per AZ', env: { AWS_REGION: REGION, ENVIRONMENT_SUFFIX: 'dev', NAT_GATEWAYS: 'one-per-az', DB_MULTI_AZ: 'false' } },
  // A certificate changes no price, but production runs with one.
  { label: 'production (defaults)', env: { AWS_REGION: REGION, ENVIRONMENT_SUFFIX: 'prod', CERTIFICATE_ARN: `arn:aws:acm:${REGION}:123456789012:certificate/00000000-0000-0000-0000-000000000000` } },
];

/** The Markdown the README carries between its cost-comparison markers. */
export function comparisonMarkdown(reports: CostReport[]): string {
  const [single, perAz] = reports;
  const saving = perAz.total - single.total;
  return [
    formatComparison(PROFILES.map((profile, index) => ({ label: profile.label, report: reports[index] }))),
    '',
    `\`NAT_GATEWAYS=single\` saves $${saving.toFixed(2)} a month in this configuration: one NAT gateway and one Elastic IP instead of one per AZ, ` +
    'at the price of losing the private subnets\' way out when that gateway\'s AZ fails.',
    '',
    `Prices: ${single.prices}.`,
  ].join('\n');
}

const README_MARKERS = { begin: '<!-- cost-comparison:begin (npm run cost -- --compare --update-readme) -->', end: '<!-- cost-comparison:end -->' };

/** The text between the README's markers. */
export function readmeComparison(readme: string): string | undefined {
  const start = readme.indexOf(README_MARKERS.begin);
  const end = readme.indexOf(README_MARKERS.end);
  if (start < 0 || end < start) return undefined;
  return readme.slice(start + README_MARKERS.begin.length, end).trim();
}

export function updateReadme(path: string, markdown: string): void {
  const readme = readFileSync(path, 'utf8');
  if (readmeComparison(readme) === undefined) throw new Error(`${path} has no ${README_MARKERS.begin} ... ${README_MARKERS.end} block to update`);
  const start = readme.indexOf(README_MARKERS.begin) + README_MARKERS.begin.length;
  writeFileSync(path, `${readme.slice(0, start)}\n${markdown}\n${readme.slice(readme.indexOf(README_MARKERS.end))}`);
}
