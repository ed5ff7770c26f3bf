/**
 * A customer-managed KMS key, as every key of the platform is made: its policy lets the account's
 * administrators manage it (never use it) and then names its users; yearly automatic rotation on; the alias
 * `alias/<project>-<component>-<suffix>` and the Name tag.
 *
 * A function that adds the key to the construct that owns it, not a construct of its own: the keys predate it,
 * and a construct in between would change their Terraform addresses (a new key, the old one deleted).
 */
import { DataAwsIamPolicyDocument, DataAwsIamPolicyDocumentStatement } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';
import { ownAccountRoot } from './account';
import { Naming } from './naming';

/**
 * What the account's administrators may do with a key through their IAM policies: manage it, never use
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
/** What a service needs to encrypt and decrypt with a key, and to hand it to its own workers (grants). */
export const KEY_USE_ACTIONS = [
  'kms:Encrypt', 'kms:Decrypt', 'kms:ReEncryptFrom', 'kms:ReEncryptTo', 'kms:GenerateDataKey',
  'kms:GenerateDataKeyWithoutPlaintext', 'kms:DescribeKey', 'kms:CreateGrant', 'kms:ListGrants',
];

export interface CustomerManagedKeyProps {
  readonly naming: Naming;
  /** Names the alias and the Name tag: `<project>-<component>-<suffix>`. */
  readonly component: string;
  readonly description: string;
  /** Who may use the key and how: the policy's statements after `AdministeredByTheAccount`, in this order. */
  readonly statements: DataAwsIamPolicyDocumentStatement[];
  /** Days between the deletion request and the key's deletion. @default 30 */
  readonly deletionWindowDays?: number;
  /** The AWS provider of the key's region, when it is not the stack's. @default the stack's */
  readonly provider?: TerraformProvider;
  /** Id of the policy document in `scope`, for a scope that has a `policy` of its own. @default 'policy' */
  readonly policyId?: string;
}

export interface CustomerManagedKey {
  readonly key: KmsKey;
  readonly alias: KmsAlias;
}

/** Adds the key's policy document, the key (`key`) and its alias (`alias`) to `scope`. */
export function addCustomerManagedKey(scope: Construct, props: CustomerManagedKeyProps): CustomerManagedKey {
  const { naming, component, provider } = props;
  // In a key policy, "*" as the resource means this key and nothing else.
  const policy = new DataAwsIamPolicyDocument(scope, props.policyId ?? 'policy', {
    statement: [
      {
        sid: 'AdministeredByTheAccount',
        principals: [{ type: 'AWS', identifiers: [ownAccountRoot(scope)] }],
        actions: KEY_ADMINISTRATION_ACTIONS,
        resources: ['*'],
      },
      ...props.statements,
    ],
  });
  const key = new KmsKey(scope, 'key', {
    provider,
    description: props.description,
    enableKeyRotation: true,
    deletionWindowInDays: props.deletionWindowDays ?? 30,
    policy: policy.json,
    tags: naming.nameTag(component),
  });
  const alias = new KmsAlias(scope, 'alias', { provider, name: `alias/${naming.name(component)}`, targetKeyId: key.keyId });
  return { key, alias };
}
