/**
 * The policy engine: runs every rule over one synthesized stack (the JSON Terraform reads), applies the
 * suppressions that stack carries, and returns a report. It reads JSON only: no cdktf, no construct tree, so
 * the same engine runs inside every synthesis (modules/core/layer.ts) and in the `check` CLI over any cdktf
 * output folder. Whatever a rule needs to know about the project comes in through the PolicyContext.
 */
import { ALL_RULES, RULE_IDS } from './rules';
import { applySuppressions, Suppression } from './suppressions';
import { StackView, SynthesizedStack } from './terraform';

export type { SynthesizedStack } from './terraform';

/**
 * error: the stack must not be deployed. warning: worth a look, never fails.
 * undecided: a value the rule needs is an unresolved `${...}` expression (or otherwise unreadable), so the
 * rule could not decide; it says which, and does not guess.
 */
export type Severity = 'error' | 'warning' | 'undecided';

/** What the rules need to know about the project; every field is the caller's, the engine reads nothing else. */
export interface PolicyContext {
  /** Ends every resource name and Name tag. Without it, `name-tag` and `name-suffix` do not run. */
  readonly environmentSuffix?: string;
  /** Tags the provider's default_tags must carry. Without it, `default-tags` does not run. */
  readonly requiredTags?: readonly string[];
  /** Resource types that accept tags (read off the provider bindings). Without it, `name-tag` does not run. */
  readonly taggableTypes?: ReadonlySet<string>;
  /** Development relaxes the rules that only production needs (Multi-AZ, deletion protection, HTTPS). @default false */
  readonly isDev?: boolean;
  /** Output names the stack must export (its layer's contract). Without it, `layer-outputs` does not run. */
  readonly expectedOutputs?: readonly string[];
  /** The day rules that depend on dates (Lambda runtime deprecation) judge by. @default today */
  readonly today?: Date;
}

/** One problem a rule reports, before the engine names it. */
export interface RuleResult {
  /** Terraform address, e.g. `aws_vpc.network_vpc_1A2B3C`, `data.aws_iam_policy_document.x`, `output.VpcId`. */
  readonly address: string;
  readonly message: string;
  /** Overrides the rule's severity: `undecided`, or a rule that is an error only outside dev. */
  readonly severity?: Severity;
}

export interface RuleReferences {
  readonly checkov?: readonly string[];
  readonly cdkNag?: readonly string[];
  readonly trivy?: readonly string[];
}

export interface Rule {
  readonly id: string;
  /** The file it lives in: tags, iam, network, load-balancer, database, secrets, compute, observability, outputs, suppressions. */
  readonly family: string;
  readonly severity: 'error' | 'warning';
  /** One line: what the rule asks for (SARIF shortDescription). */
  readonly title: string;
  /** One line: why. */
  readonly rationale: string;
  /** One line: how to comply. */
  readonly fix: string;
  /** The same check in other scanners, where one exists. */
  readonly references?: RuleReferences;
  /** Context fields the rule cannot run without; the report says when it was skipped for lack of one. */
  readonly needs?: ReadonlyArray<keyof PolicyContext>;
  check(stack: StackView, context: PolicyContext): RuleResult[];
}

export interface Finding {
  readonly rule: string;
  readonly severity: Severity;
  readonly address: string;
  readonly message: string;
  readonly fix: string;
}

export interface SuppressedFinding extends Finding {
  readonly reason: string;
  /** Construct path the suppression was declared on. */
  readonly scope: string;
}

export interface StackReport {
  readonly stack: string;
  readonly findings: readonly Finding[];
  readonly suppressed: readonly SuppressedFinding[];
  /** Every suppression the stack declares, with the number of findings it silenced. */
  readonly suppressions: ReadonlyArray<Suppression & { readonly matched: number }>;
  /** Rules that did not run, and why. */
  readonly skipped: ReadonlyArray<{ readonly rule: string; readonly missing: readonly string[] }>;
}

/** Checks one stack with every rule; `stackName` defaults to the one cdktf writes into the JSON. */
export function checkStack(json: SynthesizedStack, context: PolicyContext, stackName?: string): StackReport {
  const stack = new StackView(json, stackName);
  const skipped: Array<{ rule: string; missing: string[] }> = [];
  const raw: Finding[] = [];
  for (const rule of ALL_RULES) {
    const missing = (rule.needs ?? []).filter((field) => context[field] === undefined);
    if (missing.length > 0) {
      skipped.push({ rule: rule.id, missing });
      continue;
    }
    for (const result of rule.check(stack, context)) {
      raw.push({ rule: rule.id, severity: result.severity ?? rule.severity, address: result.address, message: result.message, fix: rule.fix });
    }
  }
  return { stack: stack.name, skipped, ...applySuppressions(stack, raw, RULE_IDS) };
}

/** The findings that break the stack (errors), for callers that only need a verdict. */
export function errorsOf(report: StackReport): Finding[] {
  return report.findings.filter((finding) => finding.severity === 'error');
}

/** One line per finding: severity, rule id, stack, address, message, fix. */
export function formatFinding(stack: string, finding: Finding): string {
  return `${finding.severity.toUpperCase()} [${finding.rule}] ${stack} ${finding.address}: ${finding.message}. Fix: ${finding.fix}`;
}

export class PolicyError extends Error {
  constructor(readonly stackName: string, readonly findings: readonly Finding[]) {
    super(`Stack ${stackName} breaks ${findings.length} platform polic${findings.length === 1 ? 'y' : 'ies'}:\n` +
      findings.map((finding) => `  - ${formatFinding(stackName, finding)}`).join('\n'));
    this.name = 'PolicyError';
  }
}

/** Where a layer records, in its cdk.tf.json, the context it was checked with, so the CLI checks the same way. */
export const POLICY_CONTEXT_KEY = 'policyContext';

/** The context as JSON (a set becomes a sorted list; `today` is not recorded). */
export function contextToJson(context: PolicyContext): Record<string, unknown> {
  const { environmentSuffix, requiredTags, taggableTypes, isDev, expectedOutputs } = context;
  return { environmentSuffix, requiredTags, taggableTypes: taggableTypes && [...taggableTypes].sort(), isDev, expectedOutputs };
}

/** The context a cdk.tf.json recorded, keeping only well-formed fields; empty when it recorded none. */
export function contextFromJson(json: SynthesizedStack): PolicyContext {
  const recorded = (json['//'] as Record<string, unknown> | undefined)?.[POLICY_CONTEXT_KEY] as Record<string, unknown> | undefined;
  if (!recorded || typeof recorded !== 'object') return {};
  const stringList = (value: unknown) => (Array.isArray(value) && value.every((item) => typeof item === 'string') ? value as string[] : undefined);
  const taggable = stringList(recorded.taggableTypes);
  return {
    ...(typeof recorded.environmentSuffix === 'string' ? { environmentSuffix: recorded.environmentSuffix } : {}),
    ...(stringList(recorded.requiredTags) ? { requiredTags: stringList(recorded.requiredTags) } : {}),
    ...(taggable ? { taggableTypes: new Set(taggable) } : {}),
    ...(typeof recorded.isDev === 'boolean' ? { isDev: recorded.isDev } : {}),
    ...(stringList(recorded.expectedOutputs) ? { expectedOutputs: stringList(recorded.expectedOutputs) } : {}),
  };
}
