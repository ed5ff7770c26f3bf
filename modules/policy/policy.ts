/**
 * Policy checks over a synthesized stack (the JSON Terraform will read): the seed review's checklist
 * as code. Every layer runs them when it synthesizes, so a violation fails `cdktf synth`, `cdktf diff`
 * and the unit tests alike, before anything reaches AWS.
 */

/** The parts of a synthesized cdk.tf.json the rules read. */
export interface SynthesizedStack {
  readonly provider?: Record<string, ReadonlyArray<Record<string, unknown>>>;
  readonly resource?: Record<string, Record<string, Record<string, unknown>>>;
  readonly data?: Record<string, Record<string, Record<string, unknown>>>;
}

export interface PolicyContext {
  readonly environmentSuffix: string;
  /** Tags the provider's default_tags must carry. */
  readonly requiredTags: readonly string[];
  /** Resource types that accept tags (from tagging.taggableResourceTypes). */
  readonly taggableTypes: ReadonlySet<string>;
}

export interface Finding {
  readonly rule: string;
  /** Terraform address, e.g. `aws_vpc.network_vpc_1A2B3C`. */
  readonly address: string;
  readonly message: string;
}

/** A rule returns what breaks it; checkPolicies names each finding after its rule. */
type Rule = (stack: SynthesizedStack, context: PolicyContext) => Array<Omit<Finding, 'rule'>>;

/** Ports the internet may reach; everything else takes a narrower source. */
const INTERNET_PORTS = new Set([80, 443]);
const INTERNET_CIDRS = new Set(['0.0.0.0/0', '::/0']);

/**
 * IAM actions a statement may grant on `*`: AWS offers no resource-level permission for them
 * (Service Authorization Reference, "Resource types" column empty).
 */
export const ACTIONS_WITHOUT_RESOURCE_SCOPE: ReadonlySet<string> = new Set([
  'secretsmanager:GetRandomPassword',
  'ec2:DescribeNetworkInterfaces',
  'cloudwatch:PutMetricData',
]);

/** Characters AWS accepts in security group and rule descriptions. */
const SECURITY_GROUP_DESCRIPTION = /^[a-zA-Z0-9 ._\-:/()#,@[\]+=&;{}!$*]{1,255}$/;
/** TLS 1.3 policies with TLS 1.2 at the least (the TLS13-1-0 and -1-1 ones still accept old protocols). */
const TLS13_POLICY = /^ELBSecurityPolicy-TLS13-1-[23]-/;
/** Attributes that name a resource, and so must carry the environment suffix. */
const NAME_ATTRIBUTES = ['name', 'name_prefix', 'bucket_prefix'];

const rules: Record<string, Rule> = {
  /** Seed fix 8 and checklist: Environment, Project and the other organisation tags everywhere. */
  'default-tags': (stack, { requiredTags }) =>
    Object.entries(stack.provider?.aws ?? []).flatMap(([index, provider]) => {
      const tags = (block(provider.default_tags)?.tags ?? {}) as Record<string, string>;
      const missing = requiredTags.filter((key) => !tags[key]);
      return missing.length === 0 ? [] : [{
        address: `provider.aws[${index}]`,
        message: `default_tags lacks ${missing.join(', ')}`,
      }];
    }),

  /** Checklist: every resource carries a Name tag, which says which environment it belongs to. */
  'name-tag': (stack, { environmentSuffix, taggableTypes }) =>
    resources(stack)
      .filter(({ type }) => taggableTypes.has(type))
      .flatMap(({ address, body }) => {
        const name = (body.tags as Record<string, string> | undefined)?.Name;
        if (!name) return [{ address, message: 'taggable resource has no Name tag' }];
        return hasSuffix(name, environmentSuffix) ? [] : [{
          address, message: `Name tag ${JSON.stringify(name)} lacks the environment suffix ${JSON.stringify(environmentSuffix)}`,
        }];
      }),

  /** Checklist: every resource name includes the environment suffix, so environments never collide. */
  'name-suffix': (stack, { environmentSuffix }) =>
    resources(stack).flatMap(({ address, body }) => NAME_ATTRIBUTES
      .map((attribute) => [attribute, body[attribute]] as const)
      .filter(([, value]) => typeof value === 'string' && !value.includes('${') && !hasSuffix(value, environmentSuffix))
      .map(([attribute, value]) => ({
        address, message: `${attribute} ${JSON.stringify(value)} lacks the environment suffix ${JSON.stringify(environmentSuffix)}`,
      }))),

  /** Every security group and rule says why it exists, in characters AWS accepts there. */
  'security-group-description': (stack) => [
    ...resourcesOfType(stack, 'aws_security_group').map(({ address, body }) => ({ address, description: body.description })),
    ...securityGroupRules(stack).map(({ address, rule }) => ({ address, description: rule.description })),
  ].filter(({ description }) => typeof description !== 'string' || !SECURITY_GROUP_DESCRIPTION.test(description))
    .map(({ address, description }) => ({
      address,
      message: description ? `description ${JSON.stringify(description)} has characters AWS refuses (allowed: letters, digits, spaces and ._-:/()#,@[]+=&;{}!$*)` : 'security group or rule has no description',
    })),

  /** Seed fixes 4-5: the internet reaches 80 and 443 only; SSH and the rest take narrower sources. */
  'internet-ingress': (stack) =>
    securityGroupRules(stack)
      .filter(({ direction, rule }) => direction === 'ingress' && sources(rule).some((cidr) => INTERNET_CIDRS.has(cidr)))
      .filter(({ rule }) => !(rule.from_port === rule.to_port && INTERNET_PORTS.has(Number(rule.from_port))))
      .map(({ address, rule }) => ({
        address,
        message: `ingress from the internet to ports ${rule.from_port}-${rule.to_port}; only 80 and 443 may be open to the internet`,
      })),

  /** Checklist: HTTPS on public load balancers; once a listener serves HTTPS, HTTP only redirects. */
  'https-listeners': (stack) => {
    const listeners = resourcesOfType(stack, 'aws_lb_listener');
    const servesHttps = listeners.some(({ body }) => body.protocol === 'HTTPS');
    return listeners.flatMap(({ address, body }) => {
      if (body.protocol === 'HTTPS' && !TLS13_POLICY.test(String(body.ssl_policy))) {
        return [{ address, message: `HTTPS listener uses ${JSON.stringify(body.ssl_policy)}, not a TLS 1.3 policy that refuses TLS 1.0 and 1.1` }];
      }
      const actions = (body.default_action as Array<Record<string, unknown>> | undefined) ?? [];
      const redirectsToHttps = actions.some((action) => action.type === 'redirect' && block(action.redirect)?.protocol === 'HTTPS');
      return servesHttps && body.protocol === 'HTTP' && !redirectsToHttps
        ? [{ address, message: 'HTTP listener beside an HTTPS one must redirect to HTTPS' }]
        : [];
    });
  },

  /** cdk-nag ELB2: every load balancer keeps access logs. */
  'load-balancer-access-logs': (stack) =>
    resourcesOfType(stack, 'aws_lb')
      .filter(({ body }) => block(body.access_logs)?.enabled !== true)
      .map(({ address }) => ({ address, message: 'load balancer does not write access logs' })),

  /** Checklist: least privilege. A statement names its resources unless AWS offers nothing narrower. */
  'iam-named-resources': (stack) =>
    Object.entries(stack.data?.aws_iam_policy_document ?? {}).flatMap(([name, body]) =>
      ((body.statement as Array<Record<string, unknown>> | undefined) ?? [])
        .filter((statement) => (statement.effect ?? 'Allow') === 'Allow' && !statement.principals)
        .filter((statement) => ((statement.resources as string[] | undefined) ?? []).includes('*'))
        .flatMap((statement) => {
          const unscoped = ((statement.actions as string[] | undefined) ?? []).filter((action) => !ACTIONS_WITHOUT_RESOURCE_SCOPE.has(action));
          return unscoped.length === 0 ? [] : [{
            address: `data.aws_iam_policy_document.${name}`,
            message: `grants ${unscoped.join(', ')} on "*"; name the resources`,
          }];
        })),
};

/** Runs every rule; an empty result means the stack complies. */
export function checkPolicies(stack: SynthesizedStack, context: PolicyContext): Finding[] {
  return Object.entries(rules).flatMap(([rule, check]) => check(stack, context).map((finding) => ({ rule, ...finding })));
}

export class PolicyError extends Error {
  constructor(stackName: string, readonly findings: readonly Finding[]) {
    super(`Stack ${stackName} breaks ${findings.length} platform polic${findings.length === 1 ? 'y' : 'ies'}:\n` +
      findings.map((finding) => `  - [${finding.rule}] ${finding.address}: ${finding.message}`).join('\n'));
    this.name = 'PolicyError';
  }
}

function resources(stack: SynthesizedStack): Array<{ type: string; address: string; body: Record<string, unknown> }> {
  return Object.keys(stack.resource ?? {}).flatMap((type) => resourcesOfType(stack, type).map((resource) => ({ type, ...resource })));
}

function resourcesOfType(stack: SynthesizedStack, type: string): Array<{ address: string; body: Record<string, unknown> }> {
  return Object.entries(stack.resource?.[type] ?? {}).map(([name, body]) => ({ address: `${type}.${name}`, body }));
}

interface SecurityGroupRule {
  readonly address: string;
  readonly direction: 'ingress' | 'egress';
  readonly rule: Record<string, unknown>;
}

/** Rules in all three shapes Terraform offers: per-rule resources, aws_security_group_rule, inline blocks. */
function securityGroupRules(stack: SynthesizedStack): SecurityGroupRule[] {
  return resources(stack).flatMap(({ type, address, body }): SecurityGroupRule[] => {
    switch (type) {
      case 'aws_vpc_security_group_ingress_rule': return [{ address, direction: 'ingress', rule: body }];
      case 'aws_vpc_security_group_egress_rule': return [{ address, direction: 'egress', rule: body }];
      case 'aws_security_group_rule': return [{ address, direction: body.type === 'egress' ? 'egress' : 'ingress', rule: body }];
      case 'aws_security_group':
        return (['ingress', 'egress'] as const).flatMap((direction) =>
          ((body[direction] as Array<Record<string, unknown>> | undefined) ?? []).map((rule) => ({ address, direction, rule })));
      default: return [];
    }
  });
}

/** The suffix as a whole part of a name (`app-dev`, `/logs/app-dev`), not just any substring. */
function hasSuffix(name: string, suffix: string): boolean {
  // Suffixes are lowercase letters, digits and hyphens (config.ts), so they need no escaping here.
  return new RegExp(`(^|[-/_.])${suffix}($|[-/_.])`).test(name);
}

/** A nested block, which Terraform JSON writes either as an object or as a list of one. */
function block(value: unknown): Record<string, unknown> | undefined {
  return (Array.isArray(value) ? value[0] : value) as Record<string, unknown> | undefined;
}

function sources(rule: Record<string, unknown>): string[] {
  return [rule.cidr_ipv4, rule.cidr_ipv6, rule.cidr_blocks, rule.ipv6_cidr_blocks]
    .flat()
    .filter((cidr): cidr is string => typeof cidr === 'string');
}
