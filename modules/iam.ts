/**
 * IAM roles assumed by AWS services, with least-privilege inline policies. Statements are built as
 * aws_iam_policy_document data sources, so the policy rules can read them in the synthesized JSON.
 */
import { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity';
import { DataAwsIamPolicyDocument, DataAwsIamPolicyDocumentStatement } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { DataAwsPartition } from '@cdktf/provider-aws/lib/data-aws-partition';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { TerraformStack } from 'cdktf';
import { Construct } from 'constructs';

/** The account and partition the stack deploys into, looked up once per stack. */
export function awsAccount(scope: Construct): { readonly accountId: string; readonly partition: string } {
  const stack = TerraformStack.of(scope);
  const identity = (stack.node.tryFindChild('caller-identity') as DataAwsCallerIdentity | undefined)
    ?? new DataAwsCallerIdentity(stack, 'caller-identity');
  const partition = (stack.node.tryFindChild('partition') as DataAwsPartition | undefined)
    ?? new DataAwsPartition(stack, 'partition');
  return { accountId: identity.accountId, partition: partition.partition };
}

/** One Allow statement; `resources` must name what it grants on (see policy.ts). */
export interface PolicyStatement {
  readonly sid: string;
  readonly actions: string[];
  readonly resources: string[];
}

export interface ServiceRoleProps {
  /** Full role name, from Naming. */
  readonly name: string;
  readonly description: string;
  /** Service principal allowed to assume the role, e.g. `vpc-flow-logs.amazonaws.com`. */
  readonly servicePrincipal: string;
  readonly statements: PolicyStatement[];
}

export class ServiceRole extends Construct {
  readonly role: IamRole;

  constructor(scope: Construct, id: string, props: ServiceRoleProps) {
    super(scope, id);
    const { accountId } = awsAccount(this);
    const trust = new DataAwsIamPolicyDocument(this, 'trust', {
      statement: [{
        sid: 'AssumedByService',
        actions: ['sts:AssumeRole'],
        principals: [{ type: 'Service', identifiers: [props.servicePrincipal] }],
        // Confused-deputy guard: the service may act only on behalf of this account.
        condition: [{ test: 'StringEquals', variable: 'aws:SourceAccount', values: [accountId] }],
      }],
    });
    this.role = new IamRole(this, 'role', {
      name: props.name,
      description: props.description,
      assumeRolePolicy: trust.json,
      tags: { Name: props.name },
    });
    const permissions = new DataAwsIamPolicyDocument(this, 'permissions', {
      statement: props.statements.map((statement): DataAwsIamPolicyDocumentStatement => ({
        sid: statement.sid,
        effect: 'Allow',
        actions: statement.actions,
        resources: statement.resources,
      })),
    });
    new IamRolePolicy(this, 'policy', { name: props.name, role: this.role.id, policy: permissions.json });
  }
}
