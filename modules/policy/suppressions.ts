/**
 * Suppressions, read from the synthesized JSON: a construct may switch a rule off for itself and its
 * children, with a reason, in the spirit of cdk-nag's NagSuppressions. suppress.ts writes them (from
 * constructs); this file reads and applies them (from JSON only, so the CLI applies them too).
 *
 * Where they live in cdk.tf.json:
 * - at the top, `"//": { "policySuppressions": [{ "rule", "reason", "path" }] }`: applies to every element whose
 *   cdktf construct path (`"//": { "metadata": { "path" } }`) is `path` or below it, and to the stack's own
 *   findings (provider, outputs) when `path` is the stack;
 * - on one resource, `"//": { "policySuppressions": [{ "rule", "reason" }] }` (what a hand-written escape hatch
 *   can add): applies to that resource.
 */
import type { Finding, SuppressedFinding } from './engine';
import { asObject, StackView } from './terraform';

/** The key, under `//`, that carries suppressions. */
export const SUPPRESSIONS_KEY = 'policySuppressions';
/** A reason shorter than this explains nothing (cdk-nag asks for the same). */
export const MIN_REASON_LENGTH = 10;

export interface Suppression {
  readonly rule: string;
  readonly reason: string;
  /** The construct path (or, for one written on a resource, its address) it covers. */
  readonly scope: string;
  /** Where it is written: `//` for the stack, else the resource address. */
  readonly declaredAt: string;
}

/** Every suppression a stack carries, in the order written. */
export function readSuppressions(stack: StackView): Suppression[] {
  const read = (holder: unknown, declaredAt: string, defaultScope: string): Suppression[] =>
    (Array.isArray(asObject(holder)?.[SUPPRESSIONS_KEY]) ? asObject(holder)![SUPPRESSIONS_KEY] as unknown[] : []).map((entry) => {
      const item = asObject(entry) ?? {};
      return {
        rule: typeof item.rule === 'string' ? item.rule : '',
        reason: typeof item.reason === 'string' ? item.reason : '',
        scope: typeof item.path === 'string' ? item.path : defaultScope,
        declaredAt,
      };
    });
  return [
    ...read(stack.json['//'], '//', stack.name),
    ...stack.resources().flatMap((element) => read(element.body['//'], element.address, element.address)),
  ];
}

/** Whether a suppression's reason is enough to accept it. */
export function hasReason(suppression: Suppression): boolean {
  return suppression.reason.trim().length >= MIN_REASON_LENGTH;
}

/** The rule that keeps suppressions honest; its own findings can never be suppressed. */
export const SUPPRESSION_RULE_ID = 'suppressions';

/**
 * Splits findings into those that stand and those a valid suppression covers. A suppression without a reason,
 * or naming no known rule, covers nothing (the `suppressions` rule reports it).
 */
export function applySuppressions(stack: StackView, findings: readonly Finding[], knownRules: ReadonlySet<string>) {
  const suppressions = readSuppressions(stack).map((suppression) => ({ ...suppression, matched: 0 }));
  const valid = suppressions.filter((suppression) => hasReason(suppression) && knownRules.has(suppression.rule));
  const kept: Finding[] = [];
  const suppressed: SuppressedFinding[] = [];
  for (const finding of findings) {
    const path = stack.get(finding.address) ? stack.pathOf(finding.address) : stack.name;
    const match = finding.rule === SUPPRESSION_RULE_ID ? undefined : valid.find((suppression) => suppression.rule === finding.rule && (
      suppression.scope === finding.address || (path !== undefined && (path === suppression.scope || path.startsWith(`${suppression.scope}/`)))));
    if (match) {
      match.matched++;
      suppressed.push({ ...finding, reason: match.reason, scope: match.scope });
    } else {
      kept.push(finding);
    }
  }
  return { findings: kept, suppressed, suppressions };
}
