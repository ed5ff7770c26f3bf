/**
 * Failed AWS Backup jobs of the database, into the alerts topic: a backup or copy into this environment's vault
 * that failed, was aborted or expired, and a restore job that failed (the weekly restore test's among them).
 * Backup and copy jobs report `state`, restore jobs `status` (AWS Backup's EventBridge events follow its API).
 */
import { Construct } from 'constructs';
import { Naming } from '../core/naming';
import { EventAlert } from './event-alert';

export interface BackupAlertsProps {
  readonly naming: Naming;
  /** The vault whose backup and copy jobs are watched. */
  readonly vaultName: string;
  readonly topicArn: string;
}

export class BackupAlerts extends Construct {
  readonly backupFailed: EventAlert;
  readonly restoreFailed: EventAlert;

  constructor(scope: Construct, id: string, props: BackupAlertsProps) {
    super(scope, id);
    const { naming, topicArn } = props;
    this.backupFailed = new EventAlert(this, 'backup-failed', {
      naming,
      component: 'backup-failed',
      description: 'A backup or copy job of the database failed, was aborted or expired',
      eventPattern: {
        source: ['aws.backup'],
        'detail-type': ['Backup Job State Change', 'Copy Job State Change'],
        detail: { state: ['FAILED', 'ABORTED', 'EXPIRED'], backupVaultName: [props.vaultName] },
      },
      topicArn,
      inputPaths: { kind: '$.detail-type', state: '$.detail.state', resource: '$.detail.resourceArn', reason: '$.detail.statusMessage', time: '$.time' },
      message: `AWS Backup in ${naming.environmentSuffix}: <kind> <state> at <time> for <resource>: <reason>. ` +
        'The database has no new recovery point from it; see aws backup list-backup-jobs --by-state FAILED.',
    });
    this.restoreFailed = new EventAlert(this, 'restore-failed', {
      naming,
      component: 'restore-failed',
      description: 'A restore job failed: the weekly restore test could not prove the backups restore',
      eventPattern: {
        source: ['aws.backup'],
        'detail-type': ['Restore Job State Change'],
        detail: { status: ['FAILED'] },
      },
      topicArn,
      inputPaths: { job: '$.detail.restoreJobId', reason: '$.detail.statusMessage', time: '$.time' },
      message: `AWS Backup in ${naming.environmentSuffix}: restore job <job> failed at <time>: <reason>. ` +
        'A backup that does not restore is no backup: see aws backup describe-restore-job --restore-job-id <job>.',
    });
  }
}
