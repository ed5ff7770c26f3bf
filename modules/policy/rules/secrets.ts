/**
 * Secrets rules (seed fix 3 and the checklist): database credentials rotate at least every 90 days through a
 * function only Secrets Manager may call for that secret, and every secret is encrypted with a key the
 * platform controls.
 *
 * A database secret is a secret that a rotation refers to, or whose value (a secret version) refers to an RDS
 * instance or cluster, as the data layer's does (host and port from the instance). Other secrets still need a
 * customer-managed key, and any rotation they have must meet the same period.
 */
import type { Rule, RuleResult } from '../engine';
import { block, couldNotDecide, Element, isExpression, num, refersTo, StackView } from '../terraform';

const MAX_ROTATION_DAYS = 90;
const SECRETS_MANAGER = 'secretsmanager.amazonaws.com';

const secrets = (stack: StackView) => stack.ofType('aws_secretsmanager_secret');
const rotationsOf = (stack: StackView, secret: Element) =>
  stack.ofType('aws_secretsmanager_secret_rotation').filter(({ body }) => refersTo(body.secret_id, secret.address));

function isDatabaseSecret(stack: StackView, secret: Element): boolean {
  if (rotationsOf(stack, secret).length > 0) return true;
  return stack.ofType('aws_secretsmanager_secret_version')
    .filter(({ body }) => refersTo(body.secret_id, secret.address))
    .some(({ body }) => ['aws_db_instance', 'aws_rds_cluster'].some((type) => stack.ofType(type).some((db) => refersTo(body.secret_string, db.address))));
}

/** Whether a rotation's rules rotate within the limit: days, or a schedule expression (whose period AWS caps at its own rules). */
function rotationPeriod(rotation: Element): RuleResult[] {
  const rules = block(rotation.body.rotation_rules);
  const { address } = rotation;
  if (rules === undefined) return [{ address, message: 'the rotation has no rotation_rules' }];
  if (typeof rules.schedule_expression === 'string' && rules.schedule_expression !== '') return [];
  const days = num(rules.automatically_after_days);
  if (typeof days === 'object') return [{ address, severity: 'undecided', message: couldNotDecide('rotation_rules.automatically_after_days', days.expression) }];
  if (days === undefined) return [{ address, message: 'rotation_rules set neither automatically_after_days nor schedule_expression' }];
  return days <= MAX_ROTATION_DAYS ? [] : [{ address, message: `the secret rotates every ${days} days, more than ${MAX_ROTATION_DAYS}` }];
}

export const SECRETS_RULES: readonly Rule[] = [
  {
    id: 'secret-rotation',
    family: 'secrets',
    severity: 'error',
    title: `Every database secret rotates automatically, every ${MAX_ROTATION_DAYS} days or less`,
    rationale: 'A password that never changes is valid for as long as anyone who ever saw it remembers it (seed fix 3).',
    fix: `Add an aws_secretsmanager_secret_rotation with rotation_rules.automatically_after_days <= ${MAX_ROTATION_DAYS} (ROTATION_DAYS) or a schedule_expression`,
    references: { checkov: ['CKV2_AWS_57', 'CKV_AWS_304'], cdkNag: ['AwsSolutions-SMG4'] },
    check: (stack) => [
      ...secrets(stack)
        .filter((secret) => isDatabaseSecret(stack, secret) && rotationsOf(stack, secret).length === 0)
        .map(({ address }) => ({ address, message: 'the database secret has no rotation' })),
      ...stack.ofType('aws_secretsmanager_secret_rotation').flatMap(rotationPeriod),
    ],
  },
  {
    id: 'secret-rotation-permission',
    family: 'secrets',
    severity: 'error',
    title: 'Lambda permissions for Secrets Manager name the secret (source_arn)',
    rationale: 'Without source_arn, any secret in any account could have Secrets Manager invoke the rotation function (confused deputy).',
    fix: 'Set source_arn to the secret ARN (and source_account) on the aws_lambda_permission',
    references: { checkov: ['CKV_AWS_364'] },
    check: (stack) => stack.ofType('aws_lambda_permission')
      .filter(({ body }) => body.principal === SECRETS_MANAGER || isExpression(body.principal))
      .flatMap(({ address, body }): RuleResult[] => {
        if (body.principal !== SECRETS_MANAGER) return [{ address, severity: 'undecided', message: couldNotDecide('principal', String(body.principal)) }];
        return typeof body.source_arn === 'string' && body.source_arn !== '' ? [] : [{ address, message: 'Secrets Manager may invoke the function for any secret: no source_arn' }];
      }),
  },
  {
    id: 'secret-kms-key',
    family: 'secrets',
    severity: 'error',
    title: 'Secrets are encrypted with a customer-managed KMS key',
    rationale: "With AWS's default key, anyone allowed to read secrets in the account can decrypt it; a platform key's policy says who may.",
    fix: 'Set kms_key_id to the layer\'s KMS key (not alias/aws/secretsmanager)',
    references: { checkov: ['CKV_AWS_149'] },
    check: (stack) => secrets(stack).flatMap(({ address, body }): RuleResult[] => {
      const key = body.kms_key_id;
      if (typeof key !== 'string' || key === '') return [{ address, message: "the secret uses AWS's default key: no kms_key_id" }];
      return /^alias\/aws\//.test(key) || /:alias\/aws\//.test(key) ? [{ address, message: `kms_key_id ${key} is an AWS-managed key` }] : [];
    }),
  },
];
