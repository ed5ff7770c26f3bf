/**
 * IAM roles assumed by AWS services, with least-privilege inline policies. Statements are built as
 * aws_iam_policy_document data sources, so the policy rules can read them in the synthesized JSON.
 */
import {
  DataAwsIamPolicyDocument, DataAwsIamPolicyDocumentStatement, DataAwsIamPolicyDocumentStatementCondition,
} from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { awsManagedPolicyArn, ownAccountId } from './account';

/** One Allow statement; `resources` must name what it grants on (see the policy rules). */
export interface PolicyStatement {
  readonly sid: string;
  readonly actions: string[];
  readonly resources: string[];
  /** Further limits, e.g. kms:ViaService. @default none */
  readonly conditions?: DataAwsIamPolicyDocumentStatementCondition[];
}

export interface ServiceRoleProps {
  /** Full role name, from `Naming.globalName` (IAM names are account-wide, across regions). */
  readonly name: string;
  readonly description: string;
  /** Service principal allowed to assume the role, e.g. `vpc-flow-logs.amazonaws.com`. */
  readonly servicePrincipal: string;
  /** The role's inline policy; none when empty. */
  readonly statements: PolicyStatement[];
  /**
   * Trust the service only on behalf of this account (`aws:SourceAccount`), where AWS documents that the service
   * sends it when it assumes the role (flow logs, RDS enhanced monitoring). Services that run a role handed to them
   * with iam:PassRole (EC2 instance profiles, Lambda execution roles, AWS Backup) do not send it, and the condition
   * would lock them out; for those, PassRole (same account only) is the guard.
   * @default true
   */
  readonly sourceAccountCondition?: boolean;
  /** AWS managed policies to attach, by path and name, e.g. `service-role/AmazonRDSEnhancedMonitoringRole`. @default none */
  readonly awsManagedPolicies?: string[];
}

export class ServiceRole extends Construct {
  readonly role: IamRole;
  /** Everything that gives the role its permissions: a resource that acts through the role depends on these. */
  readonly permissions: ITerraformDependable[] = [];

  constructor(scope: Construct, id: string, props: ServiceRoleProps) {
    super(scope, id);
    const trust = new DataAwsIamPolicyDocument(this, 'trust', {
      statement: [{
        sid: 'AssumedByService',
        actions: ['sts:AssumeRole'],
        principals: [{ type: 'Service', identifiers: [props.servicePrincipal] }],
        // Confused-deputy guard: the service may act only on behalf of this account.
        condition: props.sourceAccountCondition === false
          ? undefined
          : [{ test: 'StringEquals', variable: 'aws:SourceAccount', values: [ownAccountId(this)] }],
      }],
    });
    this.role = new IamRole(this, 'role', {
      name: props.name,
      description: props.description,
      assumeRolePolicy: trust.json,
      tags: { Name: props.name },
    });
    this.permissions.push(...attachAwsManagedPolicies(this, this.role, props.awsManagedPolicies ?? []));
    if (props.statements.length === 0) return;
    const permissions = new DataAwsIamPolicyDocument(this, 'permissions', {
      statement: props.statements.map((statement): DataAwsIamPolicyDocumentStatement => ({
        sid: statement.sid,
        effect: 'Allow',
        actions: statement.actions,
        resources: statement.resources,
        ...(statement.conditions ? { condition: statement.conditions } : {}),
      })),
    });
    this.permissions.push(new IamRolePolicy(this, 'policy', { name: props.name, role: this.role.id, policy: permissions.json }));
  }
}

/**
 * Attaches AWS managed policies, by path and name (`service-role/AmazonRDSEnhancedMonitoringRole`), to `role`;
 * each attachment's id in `scope` is the policy's name.
 */
export function attachAwsManagedPolicies(scope: Construct, role: IamRole, policies: readonly string[]): IamRolePolicyAttachment[] {
  return policies.map((policy) => new IamRolePolicyAttachment(scope, policy.split('/').pop()!, { role: role.name, policyArn: awsManagedPolicyArn(scope, policy) }));
}
