/**
 * AWS Backup for the database, beside RDS's own automated backups (which give point-in-time recovery but die
 * with the instance unless kept): a daily recovery point in a vault on a customer-managed key, kept for a
 * configured number of days, optionally copied to a vault in a second region on that region's own key, taken
 * by a role of its own. The restore test (restore-testing.ts) proves these recovery points restore.
 */
import { BackupPlan } from '@cdktf/provider-aws/lib/backup-plan';
import { BackupSelection } from '@cdktf/provider-aws/lib/backup-selection';
import { BackupVault } from '@cdktf/provider-aws/lib/backup-vault';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Construct } from 'constructs';
import { ServiceRole } from '../core/iam';
import { Naming } from '../core/naming';
import { DataKey } from './kms-key';

/** Daily at 01:00 UTC: outside the default database backup (03:00) and maintenance (Sun 04:30) windows. */
export const DEFAULT_BACKUP_SCHEDULE = 'cron(0 1 * * ? *)';
/** AWS Backup's role policies for taking and restoring backups (the restore test restores with the same role). */
export const BACKUP_ROLE_MANAGED_POLICIES = [
  'service-role/AWSBackupServiceRolePolicyForBackup',
  'service-role/AWSBackupServiceRolePolicyForRestores',
];

export interface BackupCopyOptions {
  /** Region of the second vault; different from the stack's. */
  readonly region: string;
  /** default_tags of the provider made for that region (the layer's tags). */
  readonly tags: Record<string, string>;
}

export interface DatabaseBackupProps {
  readonly naming: Naming;
  readonly region: string;
  /** ARN of the RDS instance to back up. */
  readonly databaseArn: string;
  /** Key of the vault in the stack's region; its policy must let the account use it through AWS Backup. */
  readonly kmsKeyArn: string;
  /** Days each recovery point (and its copy) is kept. */
  readonly retentionDays: number;
  /** A copy of every recovery point in a second region. @default no copy */
  readonly copy?: BackupCopyOptions;
  /** @default DEFAULT_BACKUP_SCHEDULE */
  readonly schedule?: string;
  /** Whether `terraform destroy` may delete the vaults with their recovery points (dev). @default false */
  readonly forceDestroy?: boolean;
  /** Days before a deleted copy-region key is gone. @default 30 */
  readonly keyDeletionWindowDays?: number;
}

export class DatabaseBackup extends Construct {
  readonly vault: BackupVault;
  readonly copyVault?: BackupVault;
  readonly plan: BackupPlan;
  readonly selection: BackupSelection;
  readonly role: ServiceRole;

  constructor(scope: Construct, id: string, props: DatabaseBackupProps) {
    super(scope, id);
    const { naming } = props;
    if (!Number.isInteger(props.retentionDays) || props.retentionDays < 1) throw new Error(`retentionDays ${props.retentionDays} is not allowed: use a whole number of days, 1 or more`);
    if (props.copy?.region === props.region) throw new Error(`the copy region ${props.copy.region} is the vault's own region: a copy protects against the loss of a region only in another one`);
    const vaultName = naming.name('backup', 50);
    this.vault = new BackupVault(this, 'vault', {
      name: vaultName,
      kmsKeyArn: props.kmsKeyArn,
      forceDestroy: props.forceDestroy ?? false,
      tags: { Name: vaultName },
    });

    if (props.copy) {
      const provider = new AwsProvider(this, 'copy-region', { alias: 'backup-copy', region: props.copy.region, defaultTags: [{ tags: props.copy.tags }] });
      // A copy is re-encrypted in its region, with a key of that region (RDS snapshot copies go through RDS there).
      const copyKey = new DataKey(this, 'copy-key', {
        naming,
        region: props.copy.region,
        services: ['backup', 'rds'],
        component: 'backup-copy',
        description: `Encrypts the copies of the ${naming.environmentSuffix} database backups`,
        deletionWindowDays: props.keyDeletionWindowDays,
        provider,
      });
      const copyVaultName = naming.name('backup-copy', 50);
      this.copyVault = new BackupVault(this, 'copy-vault', {
        provider,
        name: copyVaultName,
        kmsKeyArn: copyKey.key.arn,
        forceDestroy: props.forceDestroy ?? false,
        tags: { Name: copyVaultName },
      });
    }

    const planName = naming.name('postgres-backup', 50);
    const lifecycle = { deleteAfter: props.retentionDays };
    this.plan = new BackupPlan(this, 'plan', {
      name: planName,
      rule: [{
        ruleName: 'daily',
        targetVaultName: this.vault.name,
        schedule: props.schedule ?? DEFAULT_BACKUP_SCHEDULE,
        // Minutes: start within an hour of the schedule, or count as missed; finish within 8 hours.
        startWindow: 60,
        completionWindow: 480,
        lifecycle,
        ...(this.copyVault ? { copyAction: [{ destinationVaultArn: this.copyVault.arn, lifecycle }] } : {}),
      }],
      tags: { Name: planName },
    });
    this.role = new ServiceRole(this, 'role', {
      name: naming.globalName('backup'),
      description: 'Backs up the database with AWS Backup, and restores it for the weekly restore test',
      servicePrincipal: 'backup.amazonaws.com',
      // Handed to AWS Backup with iam:PassRole in the selection: like AWS's own default backup role, no condition.
      sourceAccountCondition: false,
      statements: [],
      awsManagedPolicies: BACKUP_ROLE_MANAGED_POLICIES,
    });
    this.selection = new BackupSelection(this, 'selection', {
      name: naming.name('postgres', 50),
      planId: this.plan.id,
      iamRoleArn: this.role.role.arn,
      resources: [props.databaseArn],
      // AWS Backup checks the role's permissions when the selection is created.
      dependsOn: this.role.permissions,
    });
  }
}
