/**
 * Network rules (seed fixes 4-5 and the checklist): only the load balancer faces the internet, and only on
 * 80 and 443; every group and rule says why it exists; the VPC keeps a record of its traffic.
 */
import type { Rule, RuleResult } from '../engine';
import { asObject, blocks, couldNotDecide, Element, isExpression, list, num, refersTo, StackView } from '../terraform';

/** Ports the internet may reach, on the load balancer only. */
const INTERNET_PORTS = new Set([80, 443]);
const INTERNET_CIDRS = new Set(['0.0.0.0/0', '::/0']);
/** Ports worth naming when they are open to the internet. */
const SENSITIVE_PORTS: Record<number, string> = { 22: 'SSH', 3389: 'RDP', 5432: 'PostgreSQL', 3306: 'MySQL', 1433: 'SQL Server', 6379: 'Redis' };
/** Characters AWS accepts in security group and rule descriptions. */
const SECURITY_GROUP_DESCRIPTION = /^[a-zA-Z0-9 ._\-:/()#,@[\]+=&;{}!$*]{1,255}$/;
const LOAD_BALANCER_TYPES = ['aws_lb', 'aws_alb', 'aws_elb'];

interface SecurityGroupRule {
  readonly address: string;
  readonly direction: 'ingress' | 'egress';
  readonly rule: Record<string, unknown>;
  /** The group the rule belongs to, when it is in this stack. */
  readonly group?: Element;
}

/** Rules in all three shapes Terraform offers: per-rule resources, aws_security_group_rule, inline blocks. */
function securityGroupRules(stack: StackView): SecurityGroupRule[] {
  const standalone = (type: string, direction: (body: Record<string, unknown>) => 'ingress' | 'egress') =>
    stack.ofType(type).map(({ address, body }) => ({ address, direction: direction(body), rule: body, group: stack.referenced(body.security_group_id) }));
  return [
    ...standalone('aws_vpc_security_group_ingress_rule', () => 'ingress'),
    ...standalone('aws_vpc_security_group_egress_rule', () => 'egress'),
    ...standalone('aws_security_group_rule', (body) => (body.type === 'egress' ? 'egress' : 'ingress')),
    ...stack.ofType('aws_security_group').flatMap((group) => (['ingress', 'egress'] as const).flatMap((direction) => [
      ...blocks(group.body[direction]),
      // A `dynamic` block (an escape hatch): its content, whose values are usually the iterator's expressions.
      ...blocks(asObject(group.body.dynamic)?.[direction]).map((dynamic) => asObject(dynamic.content) ?? {}),
    ].map((rule) => ({ address: group.address, direction, rule, group })))),
  ];
}

/** The port range a rule opens: every port for protocol -1 / all. */
function portRange(rule: Record<string, unknown>): { from: number; to: number } | { expression: string } {
  const protocol = String(rule.ip_protocol ?? rule.protocol ?? 'tcp');
  if (protocol === '-1' || protocol === 'all') return { from: 0, to: 65535 };
  const from = num(rule.from_port);
  const to = num(rule.to_port);
  if (typeof from === 'object') return from;
  if (typeof to === 'object') return to;
  return { from: from ?? 0, to: to ?? from ?? 65535 };
}

function describePorts(from: number, to: number): string {
  const named = Object.entries(SENSITIVE_PORTS).filter(([port]) => Number(port) >= from && Number(port) <= to).map(([port, name]) => `${name} ${port}`);
  return `${from === to ? `port ${from}` : `ports ${from}-${to}`}${named.length > 0 ? ` (${named.join(', ')})` : ''}`;
}

export const NETWORK_RULES: readonly Rule[] = [
  {
    id: 'security-group-description',
    family: 'network',
    severity: 'error',
    title: 'Every security group and rule has a description AWS accepts',
    rationale: 'A rule nobody can explain is never removed; AWS refuses some characters only at apply time.',
    fix: 'Describe the group or rule in letters, digits, spaces and ._-:/()#,@[]+=&;{}!$*',
    references: { checkov: ['CKV_AWS_23'], cdkNag: ['AwsSolutions-EC27'], trivy: ['AVD-AWS-0099', 'AVD-AWS-0124'] },
    check: (stack) => [
      ...stack.ofType('aws_security_group').map(({ address, body }) => ({ address, description: body.description })),
      ...securityGroupRules(stack).map(({ address, rule }) => ({ address, description: rule.description })),
    ].flatMap(({ address, description }): RuleResult[] => {
      if (isExpression(description)) return [{ address, severity: 'undecided', message: couldNotDecide('description', description) }];
      if (typeof description === 'string' && SECURITY_GROUP_DESCRIPTION.test(description)) return [];
      return [{
        address,
        message: description ? `description ${JSON.stringify(description)} has characters AWS refuses (allowed: letters, digits, spaces and ._-:/()#,@[]+=&;{}!$*)` : 'security group or rule has no description',
      }];
    }),
  },
  {
    id: 'internet-ingress',
    family: 'network',
    severity: 'error',
    title: 'The internet reaches ports 80 and 443 of the load balancer only; SSH and database ports never',
    rationale: 'Everything else sits behind the load balancer or takes a narrower source (seed fixes 4-5).',
    fix: 'Open only 80/443 from 0.0.0.0/0 and ::/0, on the load balancer\'s group; give SSH and databases a trusted CIDR or a security group as source',
    references: { checkov: ['CKV_AWS_24', 'CKV_AWS_25'], cdkNag: ['AwsSolutions-EC23'], trivy: ['AVD-AWS-0107'] },
    check: (stack) => {
      const loadBalancers = LOAD_BALANCER_TYPES.flatMap((type) => stack.ofType(type));
      return securityGroupRules(stack).filter(({ direction }) => direction === 'ingress').flatMap(({ address, rule, group }): RuleResult[] => {
        const sources = [rule.cidr_ipv4, rule.cidr_ipv6, rule.cidr_blocks, rule.ipv6_cidr_blocks].flatMap(list);
        const unresolved = sources.find(isExpression);
        if (!sources.some((cidr) => typeof cidr === 'string' && INTERNET_CIDRS.has(cidr))) {
          return unresolved === undefined ? [] : [{ address, severity: 'undecided', message: couldNotDecide('the ingress source', unresolved) }];
        }
        const ports = portRange(rule);
        if ('expression' in ports) return [{ address, severity: 'undecided', message: couldNotDecide('the port range of an ingress from the internet', ports.expression) }];
        if (!(ports.from === ports.to && INTERNET_PORTS.has(ports.from))) {
          return [{ address, message: `ingress from the internet to ${describePorts(ports.from, ports.to)}; only 80 and 443 may be open to the internet` }];
        }
        if (!group) return [{ address, severity: 'undecided', message: `could not decide: the rule opens port ${ports.from} to the internet on a security group outside this stack, which may not be a load balancer's` }];
        return loadBalancers.some((lb) => refersTo(lb.body.security_groups, group.address)) ? [] : [{
          address, message: `port ${ports.from} is open to the internet on ${group.address}, which no load balancer in this stack uses`,
        }];
      });
    },
  },
  {
    id: 'default-security-group',
    family: 'network',
    severity: 'error',
    title: "Every VPC's default security group is managed and has no rules",
    rationale: "AWS's default group lets its members talk to each other and out anywhere; anything dropped into it by mistake gets that.",
    fix: 'Declare aws_default_security_group for the VPC with no ingress and no egress',
    references: { checkov: ['CKV2_AWS_12'] },
    check: (stack) => {
      const defaults = stack.ofType('aws_default_security_group');
      const ruleResults = defaults.flatMap(({ address, body }): RuleResult[] => (['ingress', 'egress'] as const).flatMap((direction): RuleResult[] => {
        if (isExpression(body[direction])) return [{ address, severity: 'undecided', message: couldNotDecide(direction, body[direction]) }];
        return blocks(body[direction]).length > 0 ? [{ address, message: `the default security group has ${direction} rules` }] : [];
      }));
      const unmanaged = stack.ofType('aws_vpc')
        .filter((vpc) => !defaults.some((group) => refersTo(group.body.vpc_id, vpc.address)))
        .map(({ address }) => ({ address, message: "the VPC's default security group keeps AWS's allow rules: no aws_default_security_group empties it" }));
      return [...ruleResults, ...unmanaged];
    },
  },
  {
    id: 'vpc-flow-logs',
    family: 'network',
    severity: 'error',
    title: 'Every VPC has flow logs',
    rationale: 'Without a record of accepted and rejected traffic, probing and broken rules go unseen (checklist).',
    fix: 'Add an aws_flow_log for the VPC, to a log group with a retention period',
    references: { checkov: ['CKV2_AWS_11'], cdkNag: ['AwsSolutions-VPC7'], trivy: ['AVD-AWS-0178'] },
    check: (stack) => {
      const flowLogs = stack.ofType('aws_flow_log');
      return stack.ofType('aws_vpc')
        .filter((vpc) => !flowLogs.some((flowLog) => refersTo(flowLog.body.vpc_id, vpc.address)))
        .map(({ address }) => ({ address, message: 'the VPC has no flow log' }));
    },
  },
];
