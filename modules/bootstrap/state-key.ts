/**
 * The KMS key that encrypts Terraform state (the bucket's objects and the optional lock table). Its policy
 * names its users: the account's administrators manage it through IAM but cannot use it; the principals
 * listed (the GitHub plan and apply roles, operators) use it only through S3 and DynamoDB, for this account.
 * Yearly automatic rotation is on.
 */
import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { Construct } from 'constructs';
import { ownAccountId, ownAccountRoot } from '../core/account';
import { addCustomerManagedKey, KEY_USE_ACTIONS } from '../core/kms-key';
import { Naming } from '../core/naming';

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
    const accountRoot = ownAccountRoot(this);
    ({ key: this.key, alias: this.alias } = addCustomerManagedKey(this, {
      naming: props.naming,
      component: 'terraform-state',
      description: `Encrypts the Terraform state of ${props.naming.project} ${props.naming.environmentSuffix}`,
      deletionWindowDays: props.deletionWindowDays,
      statements: [{
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
      }],
    }));
  }
}
