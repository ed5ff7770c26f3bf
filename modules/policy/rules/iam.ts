/**
 * IAM rules (checklist: least privilege), over every shape a policy takes in Terraform JSON: the
 * aws_iam_policy_document data source, and JSON strings in identity policies, role trust policies and the
 * resource policies of keys, buckets, topics, queues, secrets and VPC endpoints. A policy given as an
 * expression Terraform evaluates later (`${jsonencode(...)}`, a variable) cannot be read: each rule says so.
 */
import type { Rule, RuleResult } from '../engine';
import { asObject, blocks, couldNotDecide, Element, isExpression, list, referenceAddress, StackView } from '../terraform';

/**
 * IAM actions a statement may grant on `*`, each with the reason: AWS offers no resource-level permission for
 * them (Service Authorization Reference, "Resource types" column empty).
 */
const UNSCOPED_ACTIONS: Readonly<Record<string, string>> = {
  'secretsmanager:GetRandomPassword': 'generates a random string and touches no secret',
  'ec2:DescribeNetworkInterfaces': 'EC2 Describe calls take no resource; Lambda functions in a VPC need it',
  'cloudwatch:PutMetricData': 'metrics are not resources; narrow it with the cloudwatch:namespace condition',
};
export const ACTIONS_WITHOUT_RESOURCE_SCOPE: ReadonlySet<string> = new Set(Object.keys(UNSCOPED_ACTIONS));

/** Managed policies that grant (nearly) everything. */
const ADMIN_POLICY = /:policy\/(AdministratorAccess|PowerUserAccess)$/;

/**
 * identity: grants its principal (role, user, group policies). trust: who may assume a role. resource: grants
 * others on a key, bucket, topic, queue or secret. endpoint: a VPC endpoint policy, a filter that grants
 * nothing by itself (every call still needs an identity policy).
 */
type PolicyKind = 'identity' | 'trust' | 'resource' | 'endpoint';

/** Where policies live: resource type → attribute (with `[]` for a list of blocks) → kind. */
const POLICY_ATTRIBUTES: Record<string, ReadonlyArray<readonly [string, PolicyKind]>> = {
  aws_iam_role: [['assume_role_policy', 'trust'], ['inline_policy[].policy', 'identity']],
  aws_iam_role_policy: [['policy', 'identity']],
  aws_iam_policy: [['policy', 'identity']],
  aws_iam_user_policy: [['policy', 'identity']],
  aws_iam_group_policy: [['policy', 'identity']],
  aws_kms_key: [['policy', 'resource']],
  aws_kms_key_policy: [['policy', 'resource']],
  aws_s3_bucket: [['policy', 'resource']],
  aws_s3_bucket_policy: [['policy', 'resource']],
  aws_sns_topic: [['policy', 'resource']],
  aws_sns_topic_policy: [['policy', 'resource']],
  aws_sqs_queue: [['policy', 'resource']],
  aws_sqs_queue_policy: [['policy', 'resource']],
  aws_secretsmanager_secret: [['policy', 'resource']],
  aws_secretsmanager_secret_policy: [['policy', 'resource']],
  aws_ecr_repository_policy: [['policy', 'resource']],
  aws_vpc_endpoint: [['policy', 'endpoint']],
  aws_vpc_endpoint_policy: [['policy', 'endpoint']],
};

interface Statement {
  readonly sid?: string;
  readonly effect: string;
  readonly actions: string[];
  readonly notActions: string[];
  readonly resources: string[];
  readonly notResources: string[];
  /** `type:identifier` pairs; `*:*` for `"Principal": "*"`. */
  readonly principals: string[];
  readonly hasCondition: boolean;
}

interface PolicyDocument {
  readonly address: string;
  /** `assume_role_policy` and the like; absent for a policy document data source. */
  readonly attribute?: string;
  readonly kind: PolicyKind;
  readonly statements?: Statement[];
  /** Why the document could not be read. */
  readonly unreadable?: string;
}

const strs = (value: unknown): string[] => list(value).filter((item): item is string => typeof item === 'string');

/** A statement of the aws_iam_policy_document data source. */
function fromDataSource(statement: Record<string, unknown>): Statement {
  const principals = (key: string) => blocks(statement[key]).flatMap((principal) => strs(principal.identifiers).map((id) => `${principal.type}:${id}`));
  return {
    sid: typeof statement.sid === 'string' ? statement.sid : undefined,
    effect: String(statement.effect ?? 'Allow'),
    actions: strs(statement.actions),
    notActions: strs(statement.not_actions),
    resources: strs(statement.resources),
    notResources: strs(statement.not_resources),
    principals: principals('principals'),
    hasCondition: blocks(statement.condition).length > 0,
  };
}

/** A statement of a JSON policy. */
function fromJson(statement: Record<string, unknown>): Statement {
  const principal = statement.Principal;
  const principals = principal === '*' ? ['*:*']
    : Object.entries(asObject(principal) ?? {}).flatMap(([type, ids]) => strs(ids).map((id) => `${type}:${id}`));
  return {
    sid: typeof statement.Sid === 'string' ? statement.Sid : undefined,
    effect: String(statement.Effect ?? ''),
    actions: strs(statement.Action),
    notActions: strs(statement.NotAction),
    resources: strs(statement.Resource),
    notResources: strs(statement.NotResource),
    principals,
    hasCondition: Object.keys(asObject(statement.Condition) ?? {}).length > 0,
  };
}

/** Every policy in the stack, each with the kind its use gives it. */
function policyDocuments(stack: StackView): PolicyDocument[] {
  const documents: PolicyDocument[] = [];
  const dataSourceKinds = new Map<string, Set<PolicyKind>>();
  for (const [type, attributes] of Object.entries(POLICY_ATTRIBUTES)) {
    for (const { address, body } of stack.ofType(type)) {
      for (const [attribute, kind] of attributes) {
        const [outer, inner] = attribute.split('[].');
        const values = inner ? blocks(body[outer]).map((item) => item[inner]) : [body[attribute]];
        for (const value of values) {
          if (value === undefined || value === null || value === '') continue;
          const target = referenceAddress(value);
          if (target?.startsWith('data.aws_iam_policy_document.') && stack.get(target)) {
            dataSourceKinds.set(target, (dataSourceKinds.get(target) ?? new Set()).add(kind));
          } else if (isExpression(value)) {
            documents.push({ address, attribute, kind, unreadable: couldNotDecide(attribute, value) });
          } else {
            documents.push({ address, attribute, kind, ...parseJsonPolicy(value) });
          }
        }
      }
    }
  }
  for (const { address, body } of stack.ofType('data.aws_iam_policy_document')) {
    // Statements from an expression or a `dynamic` block (an escape hatch) are known only at plan time.
    const unresolved = isExpression(body.statement) ? body.statement : asObject(body.dynamic)?.statement !== undefined ? 'a dynamic "statement" block' : undefined;
    const statements = unresolved === undefined ? blocks(body.statement).map(fromDataSource) : undefined;
    // A document no attribute here uses is judged by its shape: principals make it a resource policy.
    const kinds = dataSourceKinds.get(address) ?? new Set([statements?.some((statement) => statement.principals.length > 0) ? 'resource' : 'identity'] as PolicyKind[]);
    for (const kind of kinds) {
      documents.push(statements ? { address, kind, statements } : { address, kind, unreadable: couldNotDecide('statement', String(unresolved)) });
    }
  }
  return documents;
}

function parseJsonPolicy(value: unknown): { statements: Statement[] } | { unreadable: string } {
  let parsed: unknown = value;
  if (typeof value === 'string') {
    try {
      parsed = JSON.parse(value);
    } catch {
      return { unreadable: 'could not decide: the policy is not valid JSON' };
    }
  }
  const statement = asObject(parsed)?.Statement;
  return { statements: blocks(statement).map(fromJson) };
}

const isAllow = (statement: Statement) => statement.effect === 'Allow';
const isWildcardAction = (action: string) => action === '*' || /^[A-Za-z0-9-]+:\*$/.test(action);
const isPublic = (principal: string) => principal === '*:*' || principal === 'AWS:*';
const where = (document: PolicyDocument, statement: Statement) =>
  `${document.attribute ? `${document.attribute}: ` : ''}${statement.sid ? `statement ${statement.sid}` : 'a statement'}`;

/** Runs `judge` on every Allow statement of the documents of the given kinds; unreadable documents are undecided. */
function judgeStatements(stack: StackView, kinds: readonly PolicyKind[], judge: (document: PolicyDocument, statement: Statement) => string | undefined): RuleResult[] {
  const results = policyDocuments(stack).filter((document) => kinds.includes(document.kind)).flatMap((document): RuleResult[] => {
    if (document.unreadable) return [{ address: document.address, severity: 'undecided', message: document.unreadable }];
    return (document.statements ?? []).filter(isAllow).flatMap((statement) => {
      const message = judge(document, statement);
      return message ? [{ address: document.address, message: `${where(document, statement)} ${message}` }] : [];
    });
  });
  // One document used in two ways reports the same problem once.
  return results.filter((result, index) => results.findIndex((other) => other.address === result.address && other.message === result.message) === index);
}

export const IAM_RULES: readonly Rule[] = [
  {
    id: 'iam-wildcard-actions',
    family: 'iam',
    severity: 'error',
    title: 'No policy allows `*`, `service:*` or NotAction',
    rationale: 'A wildcard action grants whatever the service adds tomorrow; least privilege names each action (checklist).',
    fix: 'List the actions the principal needs; a VPC endpoint policy may allow service:* only under a condition that limits principals or resources',
    references: { checkov: ['CKV_AWS_49', 'CKV_AWS_63'], cdkNag: ['AwsSolutions-IAM5'] },
    check: (stack) => judgeStatements(stack, ['identity', 'trust', 'resource', 'endpoint'], (document, statement) => {
      if (statement.notActions.length > 0) return `allows every action except ${statement.notActions.join(', ')} (NotAction)`;
      const wildcards = statement.actions.filter(isWildcardAction);
      if (wildcards.length === 0) return undefined;
      // An endpoint policy only filters what passes through the endpoint; a conditioned wildcard is a data perimeter.
      if (document.kind === 'endpoint' && statement.hasCondition) return undefined;
      return `allows ${wildcards.join(', ')}; name the actions`;
    }),
  },
  {
    id: 'iam-named-resources',
    family: 'iam',
    severity: 'error',
    title: 'Identity policies grant on `*` only actions AWS offers no resource scope for',
    rationale: 'A statement on `*` reaches every resource of its kind in the account, present and future (checklist).',
    fix: `Name the resources (ARNs); only ${Object.keys(UNSCOPED_ACTIONS).join(', ')} may take "*", each for the reason in modules/policy/rules/iam.ts`,
    references: { checkov: ['CKV_AWS_355'], cdkNag: ['AwsSolutions-IAM5'], trivy: ['AVD-AWS-0057'] },
    check: (stack) => judgeStatements(stack, ['identity'], (_document, statement) => {
      if (statement.notResources.length > 0) return `allows ${statement.actions.join(', ') || 'its actions'} on every resource except ${statement.notResources.join(', ')} (NotResource)`;
      if (!statement.resources.includes('*')) return undefined;
      const unscoped = statement.actions.filter((action) => !ACTIONS_WITHOUT_RESOURCE_SCOPE.has(action));
      return unscoped.length === 0 ? undefined : `grants ${unscoped.join(', ')} on "*"; name the resources`;
    }),
  },
  {
    id: 'iam-public-principals',
    family: 'iam',
    severity: 'error',
    title: 'Trust and resource policies name a service or an account, never `*` without a condition',
    rationale: 'A `*` principal is anyone with an AWS account; only a condition (source account, organisation, VPC) narrows it.',
    fix: 'Name the service principal or account, or add a condition such as aws:PrincipalAccount or aws:SourceAccount',
    references: { checkov: ['CKV_AWS_33', 'CKV_AWS_70', 'CKV_AWS_168'] },
    check: (stack) => judgeStatements(stack, ['trust', 'resource', 'endpoint'], (_document, statement) =>
      statement.principals.some(isPublic) && !statement.hasCondition ? 'allows any principal ("*") without a condition' : undefined),
  },
  {
    id: 'iam-admin-policies',
    family: 'iam',
    severity: 'error',
    title: 'No AdministratorAccess or PowerUserAccess attachment',
    rationale: 'These managed policies grant (nearly) every action on every resource.',
    fix: 'Attach a policy that names the actions and resources the principal needs',
    references: { checkov: ['CKV_AWS_274'] },
    check: (stack) => {
      const attachments: Array<readonly [Element, unknown]> = [
        ...['aws_iam_role_policy_attachment', 'aws_iam_user_policy_attachment', 'aws_iam_group_policy_attachment', 'aws_iam_policy_attachment']
          .flatMap((type) => stack.ofType(type).map((element) => [element, element.body.policy_arn] as const)),
        ...stack.ofType('aws_iam_role').flatMap((element) => list(element.body.managed_policy_arns).map((arn) => [element, arn] as const)),
        ...stack.ofType('aws_iam_role_policy_attachments_exclusive').flatMap((element) => list(element.body.policy_arns).map((arn) => [element, arn] as const)),
      ];
      return attachments.flatMap(([{ address }, arn]): RuleResult[] => {
        // A policy looked up by name (data.aws_iam_policy) is as good as its ARN.
        const lookup = stack.referenced(arn);
        const named = lookup?.type === 'data.aws_iam_policy' ? String(lookup.body.arn ?? `:policy/${String(lookup.body.name)}`) : arn;
        if (typeof named === 'string' && ADMIN_POLICY.test(named)) return [{ address, message: `attaches ${named.split('/').pop()}` }];
        return [];
      });
    },
  },
];
