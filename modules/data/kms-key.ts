/**
 * The data layer's customer-managed KMS key: it encrypts the database storage, Performance Insights,
 * the credentials secret and the layer's log groups. Its policy names its users: the account's
 * administrators manage it, RDS and Secrets Manager use it on behalf of this account's principals, and
 * CloudWatch Logs uses it for the log groups listed, nothing else. Yearly automatic rotation is on.
 */
import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';
import { ownAccountId, ownDnsSuffix, ownPartition } from '../core/account';
import { Naming } from '../core/naming';

/**
 * What the account's administrators may do with the key through their IAM policies: manage it, never use
 * it. Listed one by one (AWS's default key policy grants `kms:*`), including what Terraform needs to
 * create, update and schedule the deletion of the key and its alias.
 */
export const KEY_ADMINISTRATION_ACTIONS = [
  'kms:DescribeKey', 'kms:GetKeyPolicy', 'kms:PutKeyPolicy', 'kms:GetKeyRotationStatus', 'kms:EnableKeyRotation',
  'kms:DisableKeyRotation', 'kms:RotateKeyOnDemand', 'kms:ListKeyRotations', 'kms:ListResourceTags', 'kms:TagResource',
  'kms:UntagResource', 'kms:UpdateKeyDescription', 'kms:EnableKey', 'kms:DisableKey', 'kms:CreateAlias',
  'kms:UpdateAlias', 'kms:DeleteAlias', 'kms:ListGrants', 'kms:RevokeGrant', 'kms:ScheduleKeyDeletion',
  'kms:CancelKeyDeletion',
];
/** What a service needs to encrypt and decrypt with the key, and to hand it to its own workers (grants). */
export const KEY_USE_ACTIONS = [
  'kms:Encrypt', 'kms:Decrypt', 'kms:ReEncryptFrom', 'kms:ReEncryptTo', 'kms:GenerateDataKey',
  'kms:GenerateDataKeyWithoutPlaintext', 'kms:DescribeKey', 'kms:CreateGrant', 'kms:ListGrants',
];

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
    const accountRoot = `arn:${partition}:iam::${account}:root`;
    const logGroupArns = (props.logGroupNames ?? []).map((name) => `arn:${partition}:logs:${region}:${account}:log-group:${name}`);

    // In a key policy, "*" as the resource means this key and nothing else.
    const policy = new DataAwsIamPolicyDocument(this, 'policy', {
      statement: [
        {
          sid: 'AdministeredByTheAccount',
          principals: [{ type: 'AWS', identifiers: [accountRoot] }],
          actions: KEY_ADMINISTRATION_ACTIONS,
          resources: ['*'],
        },
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
    });
    const component = props.component ?? 'data';
    this.key = new KmsKey(this, 'key', {
      provider: props.provider,
      description: props.description ?? `Encrypts the ${naming.environmentSuffix} database, its credentials and its logs`,
      enableKeyRotation: true,
      deletionWindowInDays: props.deletionWindowDays ?? 30,
      policy: policy.json,
      tags: naming.nameTag(component),
    });
    this.alias = new KmsAlias(this, 'alias', { provider: props.provider, name: `alias/${naming.name(component)}`, targetKeyId: this.key.keyId });
  }
}
