/**
 * Database rules (seed fix 6 and the checklist): RDS instances encrypted, private, logging, backed up, and
 * outside development Multi-AZ and protected from deletion; PostgreSQL requires TLS and never logs DDL.
 */
import type { PolicyContext, Rule, RuleResult } from '../engine';
import { blocks, bool, couldNotDecide, Element, isExpression, list, num, StackView } from '../terraform';

/** Days of automated backups the platform keeps at the least. */
const MIN_BACKUP_RETENTION_DAYS = 7;
/** The first PostgreSQL major whose RDS default parameter group sets rds.force_ssl to 1. */
const FORCE_SSL_DEFAULT_MAJOR = 15;
/** Logs a PostgreSQL instance exports to CloudWatch: the server log and the major-version upgrade log (seed fix 6). */
const POSTGRES_LOG_EXPORTS = ['postgresql', 'upgrade'];
/** log_statement values below `ddl`, the only ones that keep `ALTER USER ... PASSWORD` out of the logs. */
const QUIET_LOG_STATEMENT = ['none'];

const instances = (stack: StackView) => stack.ofType('aws_db_instance');
const isPostgres = (engine: unknown) => typeof engine === 'string' && /^postgres/.test(engine);

/** A boolean attribute that must be `wanted`; absent counts as `absentValue`. */
function requireBool(element: Element, attribute: string, wanted: boolean, absentValue: boolean, problem: string): RuleResult[] {
  const value = bool(element.body[attribute]);
  if (typeof value === 'object') return [{ address: element.address, severity: 'undecided', message: couldNotDecide(attribute, value.expression) }];
  return (value ?? absentValue) === wanted ? [] : [{ address: element.address, message: problem }];
}

/** Production-only requirements: an error outside development, nothing in it. */
function outsideDev(context: PolicyContext, check: () => RuleResult[]): RuleResult[] {
  return context.isDev ? [] : check();
}

/** The major version of `postgres17` (a parameter group family) or `17.4` (an engine version). */
function postgresMajor(text: string): number | undefined {
  const major = /^(?:postgres)?(\d+)/.exec(text)?.[1];
  return major === undefined ? undefined : Number(major);
}

/** A parameter's value in a parameter group, the expression, or undefined when the group does not set it. */
function parameter(group: Element, name: string): string | undefined | { expression: string } {
  if (isExpression(group.body.parameter)) return { expression: group.body.parameter };
  const found = blocks(group.body.parameter).find((item) => item.name === name);
  if (found === undefined) return undefined;
  return isExpression(found.value) ? { expression: found.value } : String(found.value);
}

export const DATABASE_RULES: readonly Rule[] = [
  {
    id: 'db-storage-encrypted',
    family: 'database',
    severity: 'error',
    title: 'RDS storage is encrypted',
    rationale: 'Snapshots, replicas and disks of an unencrypted instance hold the data in the clear.',
    fix: 'Set storage_encrypted = true with kms_key_id of a customer-managed key',
    references: { checkov: ['CKV_AWS_16'], cdkNag: ['AwsSolutions-RDS2'], trivy: ['AVD-AWS-0080'] },
    check: (stack) => instances(stack).flatMap((db) => requireBool(db, 'storage_encrypted', true, false, 'storage is not encrypted')),
  },
  {
    id: 'db-not-public',
    family: 'database',
    severity: 'error',
    title: 'RDS instances are not publicly accessible',
    rationale: 'A database answers the application and its rotation function, never the internet.',
    fix: 'Set publicly_accessible = false (or leave it out) and place the instance in the database subnets',
    references: { checkov: ['CKV_AWS_17'], trivy: ['AVD-AWS-0180'] },
    check: (stack) => instances(stack).flatMap((db) => requireBool(db, 'publicly_accessible', false, false, 'the instance is publicly accessible')),
  },
  {
    id: 'db-log-exports',
    family: 'database',
    severity: 'error',
    title: 'RDS instances export their logs to CloudWatch (PostgreSQL: postgresql and upgrade)',
    rationale: 'Logs left on the instance vanish with it and cannot be searched or alarmed on (seed fix 6).',
    fix: 'Set enabled_cloudwatch_logs_exports = ["postgresql", "upgrade"] and create their log groups with a retention first',
    references: { checkov: ['CKV_AWS_129'] },
    check: (stack) => instances(stack).flatMap(({ address, body }): RuleResult[] => {
      const exports = body.enabled_cloudwatch_logs_exports;
      if (isExpression(exports)) return [{ address, severity: 'undecided', message: couldNotDecide('enabled_cloudwatch_logs_exports', exports) }];
      const exported = list(exports).map(String);
      const missing = isPostgres(body.engine) ? POSTGRES_LOG_EXPORTS.filter((log) => !exported.includes(log)) : exported.length === 0 ? ['any log'] : [];
      return missing.length === 0 ? [] : [{ address, message: `enabled_cloudwatch_logs_exports lacks ${missing.join(', ')}` }];
    }),
  },
  {
    id: 'db-backup-retention',
    family: 'database',
    severity: 'error',
    title: `RDS automated backups are kept ${MIN_BACKUP_RETENTION_DAYS} days or more`,
    rationale: 'A problem found after the weekend must still have a backup from before it.',
    fix: `Set backup_retention_period to ${MIN_BACKUP_RETENTION_DAYS} or more (at most 35)`,
    references: { checkov: ['CKV_AWS_133'], cdkNag: ['AwsSolutions-RDS13'], trivy: ['AVD-AWS-0077'] },
    check: (stack) => instances(stack).flatMap(({ address, body }): RuleResult[] => {
      const days = num(body.backup_retention_period);
      if (typeof days === 'object') return [{ address, severity: 'undecided', message: couldNotDecide('backup_retention_period', days.expression) }];
      if (days !== undefined && days >= MIN_BACKUP_RETENTION_DAYS) return [];
      return [{ address, message: days === undefined ? 'backup_retention_period is not set' : `backups are kept ${days} days, fewer than ${MIN_BACKUP_RETENTION_DAYS}` }];
    }),
  },
  {
    id: 'db-multi-az',
    family: 'database',
    severity: 'error',
    title: 'Outside development, RDS instances are Multi-AZ',
    rationale: 'A single-AZ database goes down with its zone and during every maintenance reboot.',
    fix: 'Set multi_az = true (DB_MULTI_AZ); only development may run single-AZ',
    references: { checkov: ['CKV_AWS_157'], cdkNag: ['AwsSolutions-RDS3'] },
    check: (stack, context) => outsideDev(context, () => instances(stack).flatMap((db) => requireBool(db, 'multi_az', true, false, 'the instance is single-AZ outside development'))),
  },
  {
    id: 'db-deletion-protection',
    family: 'database',
    severity: 'error',
    title: 'Outside development, RDS instances have deletion protection',
    rationale: 'One mistaken destroy or replacement must not take the database with it.',
    fix: 'Set deletion_protection = true (and a final snapshot) outside development',
    references: { checkov: ['CKV_AWS_293'], cdkNag: ['AwsSolutions-RDS10'] },
    check: (stack, context) => outsideDev(context, () => instances(stack).flatMap((db) => requireBool(db, 'deletion_protection', true, false, 'deletion protection is off outside development'))),
  },
  {
    id: 'db-tls-required',
    family: 'database',
    severity: 'error',
    title: 'PostgreSQL requires TLS (rds.force_ssl is not 0)',
    rationale: 'Passwords and data must not cross the network in plain text; RDS PostgreSQL 15 and later require TLS by default, older majors do not.',
    fix: 'Leave rds.force_ssl at its default on PostgreSQL 15+, or set it to 1 in the parameter group',
    check: (stack) => {
      const groups = stack.ofType('aws_db_parameter_group').filter(({ body }) => isExpression(body.family) || /^postgres/.test(String(body.family)));
      const fromGroups = groups.flatMap((group): RuleResult[] => {
        const value = parameter(group, 'rds.force_ssl');
        const { address } = group;
        if (typeof value === 'object') return [{ address, severity: 'undecided', message: couldNotDecide('rds.force_ssl', value.expression) }];
        if (value !== undefined) return value === '0' ? [{ address, message: 'rds.force_ssl is 0: clients may connect without TLS' }] : [];
        if (isExpression(group.body.family)) return [{ address, severity: 'undecided', message: couldNotDecide('family (rds.force_ssl defaults to 1 from PostgreSQL 15 only)', group.body.family) }];
        const major = postgresMajor(String(group.body.family));
        return major !== undefined && major >= FORCE_SSL_DEFAULT_MAJOR ? [] : [{
          address, message: `rds.force_ssl is not set, and ${String(group.body.family)} does not require TLS by default (PostgreSQL ${FORCE_SSL_DEFAULT_MAJOR}+ does)`,
        }];
      });
      // An instance on the default parameter group gets the engine's default.
      const onDefaults = instances(stack)
        .filter(({ body }) => isPostgres(body.engine) && (body.parameter_group_name === undefined || /^default\./.test(String(body.parameter_group_name))))
        .flatMap(({ address, body }): RuleResult[] => {
          if (isExpression(body.engine_version)) return [{ address, severity: 'undecided', message: couldNotDecide('engine_version (TLS is required by default from PostgreSQL 15)', body.engine_version) }];
          const major = body.engine_version === undefined ? undefined : postgresMajor(String(body.engine_version));
          // Without a version RDS picks its current default major, which requires TLS.
          return major === undefined || major >= FORCE_SSL_DEFAULT_MAJOR ? [] : [{
            address, message: `PostgreSQL ${major} on the default parameter group accepts connections without TLS`,
          }];
        });
      return [...fromGroups, ...onDefaults];
    },
  },
  {
    id: 'db-log-statement',
    family: 'database',
    severity: 'error',
    title: 'PostgreSQL log_statement stays below ddl (none)',
    rationale: 'With ddl, mod or all, every ALTER USER ... PASSWORD the rotation runs is written to the logs exported to CloudWatch.',
    fix: 'Leave log_statement unset or none; use log_min_duration_statement for slow queries',
    check: (stack) => stack.ofType('aws_db_parameter_group').flatMap((group): RuleResult[] => {
      const value = parameter(group, 'log_statement');
      if (typeof value === 'object') return [{ address: group.address, severity: 'undecided', message: couldNotDecide('log_statement', value.expression) }];
      return value === undefined || QUIET_LOG_STATEMENT.includes(value) ? [] : [{
        address: group.address, message: `log_statement is ${JSON.stringify(value)}: statements that change passwords reach the logs`,
      }];
    }),
  },
];
