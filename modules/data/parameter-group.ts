/**
 * The database's parameter group, for its engine family (`postgres<major>`): TLS required, SCRAM-SHA-256
 * passwords only, slow statements and every connection logged.
 *
 * A parameter set to the engine's default never shows in what RDS reports as set (its `Source` stays
 * `engine-default`), so Terraform would plan to set it again on every run (terraform-provider-aws#23335).
 * Each setting is therefore written only where it differs from the family's default: `rds.force_ssl` is 1
 * by default from PostgreSQL 15 on and is set for 14 only, `password_encryption` is already
 * scram-sha-256 from 14 on. The policy rule `db-tls-required` counts a family's default as set.
 *
 * `log_statement` stays at its default, `none`: `ddl` or above would write every
 * `ALTER USER ... PASSWORD` that rotation runs into the logs this layer exports to CloudWatch.
 */
import { DbParameterGroup, DbParameterGroupParameter } from '@cdktf/provider-aws/lib/db-parameter-group';
import { Construct } from 'constructs';
import { Naming } from '../core/naming';

/** First PostgreSQL major whose RDS parameter group defaults `rds.force_ssl` to 1. */
const FORCE_SSL_DEFAULT_FROM_MAJOR = 15;

export interface PostgresParameterGroupProps {
  readonly naming: Naming;
  readonly majorVersion: number;
  /** Statements running longer than this are logged. @default 1000 */
  readonly slowStatementMs?: number;
}

export class PostgresParameterGroup extends Construct {
  readonly parameterGroup: DbParameterGroup;

  constructor(scope: Construct, id: string, props: PostgresParameterGroupProps) {
    super(scope, id);
    const family = `postgres${props.majorVersion}`;
    const parameters: DbParameterGroupParameter[] = [
      ...(props.majorVersion < FORCE_SSL_DEFAULT_FROM_MAJOR ? [{ name: 'rds.force_ssl', value: '1', applyMethod: 'pending-reboot' }] : []),
      // Refuse MD5 logins: every password is stored as a SCRAM verifier, which rotation sends too.
      { name: 'rds.accepted_password_auth_method', value: 'scram', applyMethod: 'pending-reboot' },
      { name: 'log_min_duration_statement', value: String(props.slowStatementMs ?? 1000) },
      { name: 'log_connections', value: '1' },
      { name: 'log_disconnections', value: '1' },
    ];
    const name = props.naming.name(family);
    this.parameterGroup = new DbParameterGroup(this, 'parameter-group', {
      // The family is in the name, so a major upgrade creates the new group before it drops the old one.
      name,
      family,
      description: `PostgreSQL ${props.majorVersion} settings of ${props.naming.environmentSuffix}: TLS, SCRAM, slow statement and connection logs`,
      parameter: parameters,
      lifecycle: { createBeforeDestroy: true },
      tags: { Name: name },
    });
  }
}
