import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { Testing } from 'cdktf';
import { loadConfig, REQUIRED_TAGS } from '../modules/core/config';
import { checkPolicies, PolicyContext, PolicyError, SynthesizedStack } from '../modules/policy/policy';
import { NetworkStack } from '../stacks/network-stack';

const context: PolicyContext = { environmentSuffix: 'dev', requiredTags: REQUIRED_TAGS, taggableTypes: new Set(['aws_vpc', 'aws_security_group']) };
const compliantProvider = {
  aws: [{ default_tags: [{ tags: { Environment: 'dev', Project: 'p', CostCenter: 'c', Owner: 'o', ManagedBy: 'cdktf' } }] }],
};
const rulesBroken = (stack: SynthesizedStack) => checkPolicies({ provider: compliantProvider, ...stack }, context).map((finding) => finding.rule);

describe('policy rules', () => {
  it('accept a compliant stack', () => {
    expect(checkPolicies({
      provider: compliantProvider,
      resource: {
        aws_vpc: { main: { tags: { Name: 'p-vpc-dev' } } },
        aws_route: { main: { destination_cidr_block: '0.0.0.0/0' } },
        aws_vpc_security_group_ingress_rule: { https: { from_port: 443, to_port: 443, cidr_ipv4: '0.0.0.0/0', description: 'HTTPS' } },
      },
    }, context)).toEqual([]);
  });

  it('require every organisation tag in default_tags', () => {
    const findings = checkPolicies({ provider: { aws: [{ default_tags: [{ tags: { Environment: 'dev', Project: 'p' } }] }] } }, context);
    expect(findings).toEqual([{ rule: 'default-tags', address: 'provider.aws[0]', message: 'default_tags lacks CostCenter, Owner, ManagedBy' }]);
    expect(checkPolicies({ provider: { aws: [{ region: 'us-east-1' }] } }, context)[0].message).toBe('default_tags lacks Environment, Project, CostCenter, Owner, ManagedBy');
  });

  it('require a Name tag with the environment suffix on taggable resources only', () => {
    expect(checkPolicies({ provider: compliantProvider, resource: { aws_vpc: { a: {}, b: { tags: { Name: 'p-vpc-prod' } } } } }, context)).toEqual([
      { rule: 'name-tag', address: 'aws_vpc.a', message: 'taggable resource has no Name tag' },
      { rule: 'name-tag', address: 'aws_vpc.b', message: 'Name tag "p-vpc-prod" lacks the environment suffix "dev"' },
    ]);
    expect(rulesBroken({ resource: { aws_route: { a: {} } } })).toEqual([]);
  });

  it('require a description AWS accepts on security groups and their rules of every shape', () => {
    expect(rulesBroken({ resource: { aws_vpc_security_group_egress_rule: { a: { from_port: 5432, to_port: 5432 } } } }))
      .toEqual(['security-group-description']);
    expect(rulesBroken({ resource: { aws_security_group_rule: { a: { type: 'ingress', from_port: 22, to_port: 22, cidr_blocks: ['10.0.0.0/8'] } } } }))
      .toEqual(['security-group-description']);
    expect(rulesBroken({ resource: { aws_security_group: { a: { tags: { Name: 'x-dev' }, description: 'Web', egress: [{ from_port: 0, to_port: 0 }] } } } }))
      .toEqual(['security-group-description']);
    expect(checkPolicies({ provider: compliantProvider, resource: { aws_vpc_security_group_ingress_rule: { a: { description: "App's port", from_port: 8080, to_port: 8080 } } } }, context))
      .toEqual([{ rule: 'security-group-description', address: 'aws_vpc_security_group_ingress_rule.a', message: 'description "App\'s port" has characters AWS refuses (allowed: letters, digits, spaces and ._-:/()#,@[]+=&;{}!$*)' }]);
    expect(rulesBroken({ resource: { aws_security_group: { a: { tags: { Name: 'x-dev' }, description: 'Load balancer (x-alb-sg-dev), ports 80/443' } } } }))
      .toEqual([]);
  });

  it('require the environment suffix, as a whole part, in every name attribute', () => {
    const named = (body: Record<string, unknown>) => checkPolicies({ provider: compliantProvider, resource: { aws_iam_role: { a: body } } }, context);
    expect(named({ name: 'p-flow-logs-dev' })).toEqual([]);
    expect(named({ name_prefix: 'p-alb-dev-' })).toEqual([]);
    expect(named({ name: '/aws/vpc/p-dev' })).toEqual([]);
    expect(named({ name: '${aws_iam_role.b.name}' })).toEqual([]);
    expect(named({ name: 'p-device' })).toEqual([{ rule: 'name-suffix', address: 'aws_iam_role.a', message: 'name "p-device" lacks the environment suffix "dev"' }]);
    expect(named({ bucket_prefix: 'p-logs-' }).map((finding) => finding.rule)).toEqual(['name-suffix']);
    expect(checkPolicies({ provider: compliantProvider, resource: { aws_iam_role: { a: { name: 'p-stage-2' } } } }, { ...context, environmentSuffix: 'stage-2' })).toEqual([]);
  });

  it('refuse internet ingress to anything but 80 and 443', () => {
    const ingress = (rule: Record<string, unknown>) => rulesBroken({
      resource: { aws_vpc_security_group_ingress_rule: { a: { description: 'd', ...rule } } },
    });
    expect(ingress({ from_port: 22, to_port: 22, cidr_ipv4: '0.0.0.0/0' })).toEqual(['internet-ingress']);
    expect(ingress({ from_port: 22, to_port: 22, cidr_ipv6: '::/0' })).toEqual(['internet-ingress']);
    expect(ingress({ from_port: 0, to_port: 65535, cidr_ipv4: '0.0.0.0/0' })).toEqual(['internet-ingress']);
    expect(ingress({ ip_protocol: '-1', cidr_ipv4: '0.0.0.0/0' })).toEqual(['internet-ingress']);
    expect(ingress({ from_port: 22, to_port: 22, cidr_ipv4: '10.0.0.0/16' })).toEqual([]);
    expect(ingress({ from_port: 80, to_port: 80, cidr_ipv4: '0.0.0.0/0' })).toEqual([]);
    expect(rulesBroken({ resource: { aws_security_group_rule: { a: { type: 'ingress', description: 'd', from_port: 5432, to_port: 5432, cidr_blocks: ['0.0.0.0/0'] } } } }))
      .toEqual(['internet-ingress']);
  });

  it('require HTTP to redirect once HTTPS is served, and HTTPS to use a TLS 1.3 policy', () => {
    const https = { protocol: 'HTTPS', ssl_policy: 'ELBSecurityPolicy-TLS13-1-2-2021-06', default_action: [{ type: 'fixed-response' }] };
    const redirect = { protocol: 'HTTP', default_action: [{ type: 'redirect', redirect: { protocol: 'HTTPS', port: '443' } }] };
    const forward = { protocol: 'HTTP', default_action: [{ type: 'forward' }] };
    expect(rulesBroken({ resource: { aws_lb_listener: { https, redirect } } })).toEqual([]);
    expect(rulesBroken({ resource: { aws_lb_listener: { https, forward } } })).toEqual(['https-listeners']);
    expect(rulesBroken({ resource: { aws_lb_listener: { forward } } })).toEqual([]);
    expect(rulesBroken({ resource: { aws_lb_listener: { https: { ...https, ssl_policy: 'ELBSecurityPolicy-2016-08' } } } })).toEqual(['https-listeners']);
    expect(rulesBroken({ resource: { aws_lb_listener: { https: { ...https, ssl_policy: 'ELBSecurityPolicy-TLS13-1-0-2021-06' } } } })).toEqual(['https-listeners']);
    expect(rulesBroken({ resource: { aws_lb_listener: { https: { ...https, ssl_policy: 'ELBSecurityPolicy-TLS13-1-3-2021-06' } } } })).toEqual([]);
  });

  it('require load balancers to write access logs', () => {
    expect(rulesBroken({ resource: { aws_lb: { a: { access_logs: { enabled: true, bucket: 'b' } } } } })).toEqual([]);
    expect(rulesBroken({ resource: { aws_lb: { a: { access_logs: { enabled: false, bucket: 'b' } } } } })).toEqual(['load-balancer-access-logs']);
    expect(rulesBroken({ resource: { aws_lb: { a: {} } } })).toEqual(['load-balancer-access-logs']);
  });

  it('refuse IAM statements on "*" unless AWS offers nothing narrower', () => {
    const document = (actions: string[], resources: string[], extra: Record<string, unknown> = {}) => ({
      data: { aws_iam_policy_document: { doc: { statement: [{ effect: 'Allow', actions, resources, ...extra }] } } },
    });
    expect(checkPolicies({ provider: compliantProvider, ...document(['secretsmanager:GetSecretValue'], ['*']) }, context)).toEqual([{
      rule: 'iam-named-resources', address: 'data.aws_iam_policy_document.doc', message: 'grants secretsmanager:GetSecretValue on "*"; name the resources',
    }]);
    expect(rulesBroken(document(['secretsmanager:GetSecretValue'], ['arn:aws:secretsmanager:us-east-1:1:secret:db']))).toEqual([]);
    expect(rulesBroken(document(['secretsmanager:GetRandomPassword', 'ec2:DescribeNetworkInterfaces'], ['*']))).toEqual([]);
    expect(rulesBroken(document(['ec2:CreateNetworkInterface'], ['*']))).toEqual(['iam-named-resources']);
    expect(rulesBroken(document(['sts:AssumeRole'], ['*'], { effect: 'Deny' }))).toEqual([]);
  });
});

describe('policies at synthesis', () => {
  it('stop a layer from synthesizing a resource that breaks one, saying which and why', () => {
    const stack = new NetworkStack(Testing.app(), loadConfig({ env: {} }));
    const stray = new SecurityGroup(stack, 'stray', { vpcId: 'vpc-123' });
    new VpcSecurityGroupIngressRule(stack, 'open-ssh', { securityGroupId: stray.id, ipProtocol: 'tcp', fromPort: 22, toPort: 22, cidrIpv4: '0.0.0.0/0' });
    let error: unknown;
    try {
      Testing.synth(stack);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(PolicyError);
    expect((error as PolicyError).findings.map(({ rule, address }) => `${rule} ${address}`)).toEqual([
      'name-tag aws_security_group.stray',
      'name-tag aws_vpc_security_group_ingress_rule.open-ssh',
      'security-group-description aws_security_group.stray',
      'security-group-description aws_vpc_security_group_ingress_rule.open-ssh',
      'internet-ingress aws_vpc_security_group_ingress_rule.open-ssh',
    ]);
    expect((error as Error).message).toMatch(/^Stack network breaks 5 platform policies:\n {2}- \[name-tag\] aws_security_group.stray: taggable resource has no Name tag/);
    expect(() => Testing.synthHcl(stack)).toThrow(PolicyError);
  });
});
