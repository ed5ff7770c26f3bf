/** The account a stack deploys into, looked up once per stack (policies and ARNs need its id). */
import { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity';
import { TerraformStack } from 'cdktf';
import { Construct } from 'constructs';

export function ownAccountId(scope: Construct): string {
  const stack = TerraformStack.of(scope);
  const identity = (stack.node.tryFindChild('caller-identity') as DataAwsCallerIdentity | undefined)
    ?? new DataAwsCallerIdentity(stack, 'caller-identity');
  return identity.accountId;
}
