/**
 * The account a stack deploys into and its partition (aws, aws-cn, aws-us-gov), each looked up once per
 * stack: policies, ARNs and managed policy names need them.
 */
import { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity';
import { DataAwsPartition } from '@cdktf/provider-aws/lib/data-aws-partition';
import { TerraformStack } from 'cdktf';
import { Construct } from 'constructs';

export function ownAccountId(scope: Construct): string {
  return onePerStack(scope, 'caller-identity', (stack, id) => new DataAwsCallerIdentity(stack, id)).accountId;
}

export function ownPartition(scope: Construct): string {
  return partition(scope).partition;
}

/** `arn:<partition>:iam::<account>:root`: the account as a principal, which lets its IAM policies grant access. */
export function ownAccountRoot(scope: Construct): string {
  const account = ownAccountId(scope);
  return `arn:${ownPartition(scope)}:iam::${account}:root`;
}

/** The partition's DNS suffix (`amazonaws.com`, `amazonaws.com.cn`), for service names such as kms:ViaService values. */
export function ownDnsSuffix(scope: Construct): string {
  return partition(scope).dnsSuffix;
}

/** `arn:<partition>:iam::aws:policy/<path and name>`, for AWS managed policies. */
export function awsManagedPolicyArn(scope: Construct, name: string): string {
  return `arn:${ownPartition(scope)}:iam::aws:policy/${name}`;
}

function partition(scope: Construct): DataAwsPartition {
  return onePerStack(scope, 'partition', (stack, id) => new DataAwsPartition(stack, id));
}

function onePerStack<T extends Construct>(scope: Construct, id: string, create: (stack: TerraformStack, id: string) => T): T {
  const stack = TerraformStack.of(scope);
  return (stack.node.tryFindChild(id) as T | undefined) ?? create(stack, id);
}
