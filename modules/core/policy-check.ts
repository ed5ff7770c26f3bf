/**
 * The platform policies on a stack's synthesized JSON: every stack of this project (the layers and the
 * bootstrap) refuses to hand Terraform a configuration with a policy error, and prints the warnings. The
 * context the rules ran with is recorded in the JSON, so `npm run check` over cdktf.out checks the same way.
 */
import { TerraformStack } from 'cdktf';
import { checkStack, contextToJson, errorsOf, formatFinding, PolicyContext, POLICY_CONTEXT_KEY, PolicyError, StackReport, SynthesizedStack } from '../policy/policy';
import { Config, REQUIRED_TAGS } from './config';
import { taggableResourceTypes } from './tagging';

/** Checks `synthesized` (what `stack.toTerraform()` returned) in place; throws PolicyError on an error finding. */
export function enforcePolicies(stack: TerraformStack, synthesized: Record<string, any>, config: Config, expectedOutputs: readonly string[]): StackReport {
  const context: PolicyContext = {
    environmentSuffix: config.environmentSuffix,
    requiredTags: REQUIRED_TAGS,
    taggableTypes: taggableResourceTypes(stack),
    isDev: config.environmentSuffix === 'dev',
    expectedOutputs: [...expectedOutputs],
  };
  synthesized['//'] = { ...synthesized['//'], [POLICY_CONTEXT_KEY]: contextToJson(context) };
  const report = checkStack(synthesized as SynthesizedStack, context, stack.node.id);
  for (const finding of report.findings.filter(({ severity }) => severity !== 'error')) warnOnce(formatFinding(stack.node.id, finding));
  const errors = errorsOf(report);
  if (errors.length > 0) throw new PolicyError(stack.node.id, errors);
  return report;
}

const warned = new Set<string>();
/** Prints a policy warning once per process: tests synthesize the same stack many times. */
function warnOnce(line: string): void {
  if (warned.has(line)) return;
  warned.add(line);
  process.stderr.write(`${line}\n`);
}
