/**
 * The platform policies: the seed review's checklist as code, over the JSON each layer synthesizes. Every
 * layer runs them when it synthesizes (modules/core/layer.ts), so an error fails `cdktf synth`, `cdktf diff`
 * and the unit tests alike, before anything reaches AWS; `npm run check` runs them over any cdktf output.
 *
 * This file is the module's public face; it imports nothing from the rest of the project and nothing from
 * cdktf (suppress.ts, which constructs call, does).
 */
export { checkStack, errorsOf, formatFinding, PolicyError, contextFromJson, contextToJson, POLICY_CONTEXT_KEY } from './engine';
export type { Finding, PolicyContext, Rule, Severity, StackReport, SuppressedFinding } from './engine';
export type { SynthesizedStack } from './terraform';
export { ALL_RULES } from './rules';
export { ACTIONS_WITHOUT_RESOURCE_SCOPE } from './rules/iam';

