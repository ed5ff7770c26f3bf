/**
 * The data layer's customer-managed KMS key: it encrypts the database storage, Performance Insights,
 * the credentials secret and the layer's log groups. Its policy names its users: the account's
 * administrators manage it, RDS and Secrets Manager use it on behalf of this account's principals, and
 * CloudWatch Logs uses it for the log groups listed, nothing else. Yearly automatic rotation is on.
 */
import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';
import { ownAccountId, ownAccountRoot, ownDnsSuffix, ownPartition } from '../core/account';
import { addCustomerManagedKey, KEY_USE_ACTIONS } from '../core/kms-key';
import { Naming } from '../core/naming';

export interface DataKeyProps {
  readonly naming: Naming;
  readonly region: string;
  /** Services that may use the key for this account's principals, e.g. `rds`, `secretsmanager`. */
  readonly services: string[];
  /** Log groups (full names) CloudWatch Logs may encrypt with the key. @default none */
  readonly logGroupNames?: string[];
  /** Days between the deletion request and the key's deletion. @default 30 */
  readonly deletionWindowDays?: number;
  /** Names the alias and the Name tag: `<project>-<component>-<suffix>`. @default 'data' */
  readonly component?: string;
  /** @default 'Encrypts the <suffix> database, its credentials and its logs' */
  readonly description?: string;
  /** The AWS provider of the key's region, when it is not the stack's (a backup copy region). @default the stack's */
  readonly provider?: TerraformProvider;
}

export class DataKey extends Construct {
  readonly key: KmsKey;
  readonly alias: KmsAlias;

  constructor(scope: Construct, id: string, props: DataKeyProps) {
    super(scope, id);
    const { naming, region } = props;
    const account = ownAccountId(this);
    const partition = ownPartition(this);
    const dnsSuffix = ownDnsSuffix(this);
    const accountRoot = ownAccountRoot(this);
    const logGroupArns = (props.logGroupNames ?? []).map((name) => `arn:${partition}:logs:${region}:${account}:log-group:${name}`);

    ({ key: this.key, alias: this.alias } = addCustomerManagedKey(this, {
      naming,
      component: props.component ?? 'data',
      description: props.description ?? `Encrypts the ${naming.environmentSuffix} database, its credentials and its logs`,
      deletionWindowDays: props.deletionWindowDays,
      provider: props.provider,
      statements: [
        {
          sid: 'UsedThroughItsServices',
          principals: [{ type: 'AWS', identifiers: [accountRoot] }],
          actions: KEY_USE_ACTIONS,
          resources: ['*'],
          condition: [
            { test: 'StringEquals', variable: 'kms:ViaService', values: props.services.map((service) => `${service}.${region}.${dnsSuffix}`) },
            { test: 'StringEquals', variable: 'kms:CallerAccount', values: [account] },
          ],
        },
        ...(logGroupArns.length === 0 ? [] : [{
          sid: 'EncryptsTheLayerLogGroups',
          principals: [{ type: 'Service', identifiers: [`logs.${region}.${dnsSuffix}`] }],
          actions: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncryptFrom', 'kms:ReEncryptTo', 'kms:GenerateDataKey', 'kms:GenerateDataKeyWithoutPlaintext', 'kms:DescribeKey'],
          resources: ['*'],
          condition: [{ test: 'ArnEquals', variable: 'kms:EncryptionContext:aws:logs:arn', values: logGroupArns }],
        }]),
      ],
    }));
  }
}
