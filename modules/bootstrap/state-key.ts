/**
 * The KMS key that encrypts Terraform state (the bucket's objects and the optional lock table). Its policy
 * names its users: the account's administrators manage it through IAM but cannot use it; the principals
 * listed (the GitHub plan and apply roles, operators) use it only through S3 and DynamoDB, for this account.
 * Yearly automatic rotation is on.
 */
import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { Construct } from 'constructs';
import { ownAccountId, ownPartition } from '../core/account';
import { Naming } from '../core/naming';
import { KEY_ADMINISTRATION_ACTIONS, KEY_USE_ACTIONS } from '../data/kms-key';

export interface StateKeyProps {
  readonly naming: Naming;
  /** Region of the bucket and table the key serves. */
  readonly region: string;
  /** IAM role or user ARNs that may use the key for state; at least one. */
  readonly userArns: string[];
  /** Days between the deletion request and the key's deletion. @default 30 */
  readonly deletionWindowDays?: number;
}

/** The services that encrypt state with the key on their callers' behalf. */
const STATE_SERVICES = ['s3', 'dynamodb'];

export class StateKey extends Construct {
  readonly key: KmsKey;
  readonly alias: KmsAlias;

  constructor(scope: Construct, id: string, props: StateKeyProps) {
    super(scope, id);
    if (props.userArns.length === 0) throw new Error('StateKey needs at least one user: a key nobody may use would lock the state away');
    const account = ownAccountId(this);
    const accountRoot = `arn:${ownPartition(this)}:iam::${account}:root`;
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
          // The account principal with aws:PrincipalArn, rather than the role ARNs as principals: a role that is
          // deleted and created again keeps its access, and a role created in the same apply is no invalid principal.
          sid: 'UsedForStateByItsUsers',
          principals: [{ type: 'AWS', identifiers: [accountRoot] }],
          actions: KEY_USE_ACTIONS,
          resources: ['*'],
          condition: [
            { test: 'ArnEquals', variable: 'aws:PrincipalArn', values: props.userArns },
            { test: 'StringEquals', variable: 'kms:ViaService', values: STATE_SERVICES.map((service) => `${service}.${props.region}.amazonaws.com`) },
            { test: 'StringEquals', variable: 'kms:CallerAccount', values: [account] },
          ],
        },
      ],
    });
    this.key = new KmsKey(this, 'key', {
      description: `Encrypts the Terraform state of ${props.naming.project} ${props.naming.environmentSuffix}`,
      enableKeyRotation: true,
      deletionWindowInDays: props.deletionWindowDays ?? 30,
      policy: policy.json,
      tags: props.naming.nameTag('terraform-state'),
    });
    this.alias = new KmsAlias(this, 'alias', { name: `alias/${props.naming.name('terraform-state')}`, targetKeyId: this.key.keyId });
  }
}
