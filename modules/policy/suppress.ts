/**
 * Suppressing a rule for a construct and everything under it, in the spirit of cdk-nag's NagSuppressions:
 *
 *   suppressPolicy(this.key, 'iam-wildcard-actions', 'The key policy gives the account root kms:* so IAM can delegate; AWS default');
 *
 * The suppression is written into the stack's cdk.tf.json (`"//": { "policySuppressions": [...] }`, with the
 * construct's path), so the check at synthesis and `npm run check` over cdktf.out both apply it, and every
 * report lists it with its reason. A suppression whose reason is empty or too short, or that names no rule,
 * silences nothing and is itself an error (rule `suppressions`).
 *
 * Why the stack and not each resource: cdktf keeps a resource's own `//` overrides but overwrites a data
 * source's, and a policy document is a data source; the construct path covers both, and children added later.
 */
import { TerraformStack } from 'cdktf';
import { IConstruct } from 'constructs';
import { SUPPRESSIONS_KEY } from './suppressions';

const declared = new WeakMap<TerraformStack, Array<{ rule: string; reason: string; path: string }>>();

export function suppressPolicy(scope: IConstruct, ruleId: string, reason: string): void {
  const stack = TerraformStack.of(scope);
  const list = declared.get(stack) ?? [];
  list.push({ rule: ruleId, reason, path: scope.node.path });
  declared.set(stack, list);
  stack.addOverride(`//.${SUPPRESSIONS_KEY}`, [...list]);
}
