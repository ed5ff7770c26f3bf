/** Every rule, family by family, in the order reports list them. */
import type { Rule } from '../engine';
import { COMPUTE_RULES } from './compute';
import { DATABASE_RULES } from './database';
import { IAM_RULES } from './iam';
import { LOAD_BALANCER_RULES } from './load-balancer';
import { NETWORK_RULES } from './network';
import { OBSERVABILITY_RULES } from './observability';
import { OUTPUT_RULES } from './outputs';
import { SECRETS_RULES } from './secrets';
import { suppressionRule } from './suppressions';
import { TAG_RULES } from './tags';

export const ALL_RULES: readonly Rule[] = [
  ...TAG_RULES,
  ...NETWORK_RULES,
  ...LOAD_BALANCER_RULES,
  ...IAM_RULES,
  ...DATABASE_RULES,
  ...SECRETS_RULES,
  ...COMPUTE_RULES,
  ...OBSERVABILITY_RULES,
  ...OUTPUT_RULES,
  suppressionRule(() => RULE_IDS),
];

export const RULE_IDS: ReadonlySet<string> = new Set(ALL_RULES.map((rule) => rule.id));
