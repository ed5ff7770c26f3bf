/**
 * The optional DynamoDB table Terraform locks state in, for teams on tooling that predates S3 lock files
 * (Terraform 1.10+ locks in the bucket itself). On-demand billing, point-in-time recovery, encrypted with
 * the state key, deletion protection on.
 */
import { DynamodbTable } from '@cdktf/provider-aws/lib/dynamodb-table';
import { Construct } from 'constructs';
import { Naming } from '../core/naming';

/** The attribute Terraform's S3 backend keys its locks by. */
export const LOCK_KEY_ATTRIBUTE = 'LockID';

export interface LockTableProps {
  readonly naming: Naming;
  /** The table's name (STATE_LOCK_TABLE). */
  readonly tableName: string;
  readonly kmsKeyArn: string;
}

export class LockTable extends Construct {
  readonly table: DynamodbTable;

  constructor(scope: Construct, id: string, props: LockTableProps) {
    super(scope, id);
    this.table = new DynamodbTable(this, 'table', {
      name: props.tableName,
      billingMode: 'PAY_PER_REQUEST',
      hashKey: LOCK_KEY_ATTRIBUTE,
      attribute: [{ name: LOCK_KEY_ATTRIBUTE, type: 'S' }],
      pointInTimeRecovery: { enabled: true },
      serverSideEncryption: { enabled: true, kmsKeyArn: props.kmsKeyArn },
      deletionProtectionEnabled: true,
      tags: props.naming.nameTag('terraform-lock'),
    });
  }
}
