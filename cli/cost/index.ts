/**
 * `npm run cost`: the estimated monthly cost of the configured environment, per layer and in total, with the
 * quantity and unit price of every priced resource. Synthesizes the layers in this process from the same
 * settings as `cdktf synth` (or reads `--from cdktf.out`), prices them from the dated snapshot in prices.json,
 * or with `--live` from the AWS Price List API.
 *
 *   npm run cost [-- --format text|json|markdown] [--from <cdktf out dir>] [--live]
 *   npm run cost -- --compare [--update-readme]     the README's dev/production table
 *
 * main.ts beside this file is the executable; this module only exports the command, for tests.
 */
import { PricingClient } from '@aws-sdk/client-pricing';
import { join, resolve } from 'path';
import { parseArgs } from 'util';
import { ConfigError, LAYERS } from '../../modules/core/config';
import { PolicyError } from '../../modules/policy/policy';
import { comparisonMarkdown, PROFILES, updateReadme } from './comparison';
import { CostInputError, estimateLayer, stackRegion } from './estimate';
import { livePrices } from './live';
import { PriceSource, PriceUnavailableError, snapshotPrices } from './prices';
import { CostReport, priceEstimates } from './pricing';
import { formatComparison, formatJson, formatText } from './report';
import { readSynthesized, synthesize, SynthesizedStacks } from './synthesized';

export interface CostCommandContext {
  readonly env: NodeJS.ProcessEnv;
  /** The repository root: cdktf.json, README.md. */
  readonly root: string;
  readonly write: (text: string) => void;
  /** For --live; tests pass a mocked one. */
  readonly pricingClient?: PricingClient;
}

const FORMATS = ['text', 'json', 'markdown'] as const;

/** Runs the command; returns the process exit code. */
export async function runCost(argv: string[], context: CostCommandContext): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      format: { type: 'string', default: 'text' },
      from: { type: 'string' },
      live: { type: 'boolean', default: false },
      compare: { type: 'boolean', default: false },
      'update-readme': { type: 'boolean', default: false },
    },
    strict: true,
  });
  const format = values.format as (typeof FORMATS)[number];
  if (!FORMATS.includes(format)) throw new UsageError(`--format ${values.format} is not allowed: use one of ${FORMATS.join(', ')}`);
  if (values.compare && (values.from || values.live)) throw new UsageError('--compare synthesizes its own configurations from the snapshot: leave out --from and --live');
  if (values['update-readme'] && !values.compare) throw new UsageError('--update-readme needs --compare');

  const estimateOf = async (stacks: SynthesizedStacks): Promise<CostReport> => {
    const region = stackRegion(stacks.network);
    if (!region) throw new CostInputError('The network stack has no AWS provider region');
    const tags = (Array.isArray(stacks.network.provider?.aws) ? stacks.network.provider?.aws[0] : stacks.network.provider?.aws)?.default_tags?.[0]?.tags ?? {};
    const source: PriceSource = values.live ? livePrices(region, context.pricingClient) : snapshotPrices(region);
    return priceEstimates(LAYERS.map((layer) => estimateLayer(layer, stacks[layer])), source, { environment: `${tags.Project}-${tags.Environment}`, region });
  };

  if (values.compare) {
    const reports: CostReport[] = [];
    for (const profile of PROFILES) reports.push(await estimateOf(synthesize(profile.env, context.root)));
    if (format === 'json') context.write(JSON.stringify(Object.fromEntries(PROFILES.map((profile, index) => [profile.label, reports[index]])), null, 2));
    else context.write(comparisonMarkdown(reports));
    if (values['update-readme']) updateReadme(join(context.root, 'README.md'), comparisonMarkdown(reports));
    return 0;
  }

  const stacks = values.from ? readSynthesized(resolve(context.root, values.from)) : synthesize(context.env, context.root);
  const report = await estimateOf(stacks);
  if (format === 'json') context.write(formatJson(report));
  else if (format === 'markdown') context.write(formatComparison([{ label: report.environment, report }]));
  else context.write(formatText(report));
  return 0;
}

export class UsageError extends Error {}

/** Errors the user can act on print as one message; anything else is a bug and keeps its stack. */
export function isUserError(error: unknown): error is Error {
  return error instanceof UsageError || error instanceof ConfigError || error instanceof PolicyError || error instanceof PriceUnavailableError || error instanceof CostInputError
    || (error instanceof TypeError && (error as NodeJS.ErrnoException).code?.startsWith('ERR_PARSE_ARGS') === true);
}
