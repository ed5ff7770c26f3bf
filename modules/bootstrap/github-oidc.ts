/**
 * GitHub Actions' OpenID Connect identity in this account, and roles its workflow runs may assume with a
 * short-lived token instead of stored keys. The trust policy of each role pins the audience
 * (sts.amazonaws.com) and the exact subjects: `repo:<org>/<repo>:pull_request` for a pull request's run,
 * `repo:<org>/<repo>:environment:<name>` for a job that runs in a GitHub environment, whose protection rules
 * (required reviewers, the branches it accepts) GitHub enforces before the job gets a token.
 */
import { DataAwsIamPolicyDocument, DataAwsIamPolicyDocumentStatement } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { IamOpenidConnectProvider } from '@cdktf/provider-aws/lib/iam-openid-connect-provider';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { Construct } from 'constructs';
import { ownAccountId, ownPartition } from '../core/account';
import { attachAwsManagedPolicies } from '../core/iam';
import { Naming } from '../core/naming';
import { OidcProviderMode } from './config';

export const GITHUB_OIDC_HOST = 'token.actions.githubusercontent.com';
/** The audience aws-actions/configure-aws-credentials asks GitHub to put in the token. */
export const GITHUB_OIDC_AUDIENCE = 'sts.amazonaws.com';

export interface GithubOidcProviderProps {
  readonly naming: Naming;
  /** `create` it, or use the `existing` one: IAM allows one provider per URL and account. */
  readonly mode: OidcProviderMode;
}

export class GithubOidcProvider extends Construct {
  readonly arn: string;

  constructor(scope: Construct, id: string, props: GithubOidcProviderProps) {
    super(scope, id);
    if (props.mode === 'existing') {
      this.arn = `arn:${ownPartition(this)}:iam::${ownAccountId(this)}:oidc-provider/${GITHUB_OIDC_HOST}`;
      return;
    }
    // No thumbprint_list: AWS trusts GitHub's certificate through its own CA store and ignores thumbprints
    // for this provider, and the 6.x provider makes the argument optional.
    this.arn = new IamOpenidConnectProvider(this, 'provider', {
      url: `https://${GITHUB_OIDC_HOST}`,
      clientIdList: [GITHUB_OIDC_AUDIENCE],
      tags: props.naming.nameTag('github-oidc'),
    }).arn;
  }
}

export interface GithubActionsRoleProps {
  /** Full role name, from `Naming.globalName`. */
  readonly name: string;
  readonly description: string;
  readonly providerArn: string;
  /** The token subjects (`sub` claim) allowed to assume the role, exactly. */
  readonly subjects: string[];
  /** AWS managed policies to attach, by path and name. @default none */
  readonly awsManagedPolicies?: string[];
  /** The role's inline policy, Allow and Deny statements. */
  readonly statements: DataAwsIamPolicyDocumentStatement[];
  /** Longest session a workflow job may ask for. @default 3600 */
  readonly maxSessionSeconds?: number;
}

export class GithubActionsRole extends Construct {
  readonly role: IamRole;

  constructor(scope: Construct, id: string, props: GithubActionsRoleProps) {
    super(scope, id);
    const trust = new DataAwsIamPolicyDocument(this, 'trust', {
      statement: [{
        sid: 'AssumedByGithubActions',
        actions: ['sts:AssumeRoleWithWebIdentity'],
        principals: [{ type: 'Federated', identifiers: [props.providerArn] }],
        condition: [
          { test: 'StringEquals', variable: `${GITHUB_OIDC_HOST}:aud`, values: [GITHUB_OIDC_AUDIENCE] },
          // StringEquals, not StringLike: no wildcard can widen the subjects.
          { test: 'StringEquals', variable: `${GITHUB_OIDC_HOST}:sub`, values: props.subjects },
        ],
      }],
    });
    this.role = new IamRole(this, 'role', {
      name: props.name,
      description: props.description,
      assumeRolePolicy: trust.json,
      maxSessionDuration: props.maxSessionSeconds ?? 3600,
      tags: { Name: props.name },
    });
    attachAwsManagedPolicies(this, this.role, props.awsManagedPolicies ?? []);
    const permissions = new DataAwsIamPolicyDocument(this, 'permissions', { statement: props.statements });
    new IamRolePolicy(this, 'policy', { name: props.name, role: this.role.id, policy: permissions.json });
  }
}
