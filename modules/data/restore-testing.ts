/**
 * The weekly restore test: AWS Backup restores the latest recovery point of the database from the vault to
 * a new, temporary instance in the database subnets and security group (not publicly accessible: RDS makes an
 * instance in subnets without a route to an internet gateway private), keeps it for the validation window, and
 * then deletes it itself. A failed restore
 * shows as a failed restore job (and its EventBridge event), so a backup that cannot be restored is found
 * within a week, without anyone remembering to try.
 */
import { BackupRestoreTestingPlan } from '@cdktf/provider-aws/lib/backup-restore-testing-plan';
import { BackupRestoreTestingSelection } from '@cdktf/provider-aws/lib/backup-restore-testing-selection';
import { Fn } from 'cdktf';
import { Construct } from 'constructs';
import { ServiceRole } from '../core/iam';
import { Naming } from '../core/naming';

/** Saturdays at 06:00 UTC, after the night's backup. */
export const DEFAULT_RESTORE_TEST_SCHEDULE = 'cron(0 6 ? * SAT *)';

export interface DatabaseRestoreTestProps {
  readonly naming: Naming;
  /** ARN of the vault whose latest recovery point is restored. */
  readonly vaultArn: string;
  /** The RDS instance whose recovery points are tested. */
  readonly databaseArn: string;
  /** Role AWS Backup restores (and deletes the restored instance) with; the selection waits for its policies. */
  readonly role: ServiceRole;
  /** Where the restored instance lands: the database's subnet group and security groups. */
  readonly subnetGroupName: string;
  readonly securityGroupIds: string[];
  /** @default DEFAULT_RESTORE_TEST_SCHEDULE */
  readonly schedule?: string;
  /** Hours after the scheduled time within which the test must start. @default 8 */
  readonly startWindowHours?: number;
  /** Hours the restored instance is kept for validation before AWS Backup deletes it. @default 2 */
  readonly validationWindowHours?: number;
}

export class DatabaseRestoreTest extends Construct {
  readonly plan: BackupRestoreTestingPlan;
  readonly selection: BackupRestoreTestingSelection;

  constructor(scope: Construct, id: string, props: DatabaseRestoreTestProps) {
    super(scope, id);
    const { naming } = props;
    const startWindowHours = props.startWindowHours ?? 8;
    const validationWindowHours = props.validationWindowHours ?? 2;
    // AWS Backup's limits: a start window of 1 to 168 hours, a validation window of 1 to 168.
    for (const [what, hours] of [['startWindowHours', startWindowHours], ['validationWindowHours', validationWindowHours]] as const) {
      if (!Number.isInteger(hours) || hours < 1 || hours > 168) throw new Error(`${what} ${hours} is not allowed: use 1 to 168 hours`);
    }
    const planName = restoreTestingName(naming, 'restore-test');
    this.plan = new BackupRestoreTestingPlan(this, 'plan', {
      name: planName,
      scheduleExpression: props.schedule ?? DEFAULT_RESTORE_TEST_SCHEDULE,
      startWindowHours,
      recoveryPointSelection: [{
        algorithm: 'LATEST_WITHIN_WINDOW',
        includeVaults: [props.vaultArn],
        recoveryPointTypes: ['SNAPSHOT'],
        // The latest recovery point of the last week: the daily plan makes seven.
        selectionWindowDays: 7,
      }],
      tags: naming.nameTag('restore-test'),
    });
    this.selection = new BackupRestoreTestingSelection(this, 'selection', {
      name: restoreTestingName(naming, 'postgres'),
      restoreTestingPlanName: this.plan.name,
      protectedResourceType: 'RDS',
      protectedResourceArns: [props.databaseArn],
      iamRoleArn: props.role.role.arn,
      restoreMetadataOverrides: {
        dbsubnetgroupname: props.subnetGroupName,
        vpcsecuritygroupids: Fn.jsonencode(props.securityGroupIds),
      },
      validationWindowHours,
      // AWS Backup checks the role's permissions when the selection is created.
      dependsOn: props.role.permissions,
    });
  }
}

/** Restore testing plans and selections take letters, digits and underscores only: the usual name, hyphens as underscores. */
export function restoreTestingName(naming: Naming, component: string): string {
  return naming.name(component, 50).replace(/-/g, '_');
}
