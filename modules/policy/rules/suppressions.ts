/** The rule that keeps suppressions honest: each names a rule that exists and says why, in a sentence. */
import type { Rule } from '../engine';
import { hasReason, MIN_REASON_LENGTH, readSuppressions, SUPPRESSION_RULE_ID } from '../suppressions';

/** `knownRules` is read when the rule runs, after every rule is registered. */
export function suppressionRule(knownRules: () => ReadonlySet<string>): Rule {
  return {
    id: SUPPRESSION_RULE_ID,
    family: 'suppressions',
    severity: 'error',
    title: 'Every suppression names a known rule and gives a reason',
    rationale: 'A suppression nobody can explain outlives the reason it was added; one for a misspelt rule silences nothing.',
    fix: `Call suppressPolicy(construct, ruleId, reason) with a rule id from the README and a reason of ${MIN_REASON_LENGTH} characters or more`,
    check: (stack) => readSuppressions(stack).flatMap((suppression) => {
      const address = suppression.declaredAt === '//' ? `//.policySuppressions(${suppression.scope})` : suppression.declaredAt;
      return [
        ...(knownRules().has(suppression.rule) ? [] : [{ address, message: `suppresses ${JSON.stringify(suppression.rule)}, which is no rule` }]),
        ...(hasReason(suppression) ? [] : [{ address, message: `suppresses ${JSON.stringify(suppression.rule)} without a reason` }]),
      ];
    }),
  };
}
