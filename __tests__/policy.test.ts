/**
 * The policies where they run: inside every layer's synthesis (errors refuse, warnings print, the context is
 * recorded for the CLI), on the project's own stacks in development and production, and with suppressions
 * declared on constructs.
 */
import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { IamPolicy } from '@cdktf/provider-aws/lib/iam-policy';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { TerraformStack, Testing } from 'cdktf';
import { Construct } from 'constructs';
import { buildPlatform } from '../main';
import { loadConfig, REQUIRED_TAGS } from '../modules/core/config';
import { CONTRACT } from '../modules/core/contract';
import { LayerStack } from '../modules/core/layer';
import { checkStack, contextFromJson, PolicyError } from '../modules/policy/policy';
import { suppressPolicy } from '../modules/policy/suppress';
import { NetworkStack } from '../stacks/network-stack';
import { Env } from './support/synth';

const CERTIFICATE_ARN = 'arn:aws:acm:us-east-1:123456789012:certificate/12345678-1234-1234-1234-123456789012';
const PRODUCTION: Env = { ENVIRONMENT_SUFFIX: 'prod', CERTIFICATE_ARN, AZ_COUNT: '3', STATE_BUCKET: 'some-bucket' };

/** Synthesizes every layer of `env` and returns each one's policy report. */
function reports(env: Env) {
  const app = Testing.app();
  buildPlatform(app, env);
  return Object.fromEntries(['network', 'data', 'app'].map((layer) => {
    const stack = app.node.findChild(layer) as LayerStack;
    Testing.synth(stack);
    return [layer, stack.policyReport!];
  }));
}

function synthError(stack: LayerStack): PolicyError {
  try {
    Testing.synth(stack);
  } catch (error) {
    if (error instanceof PolicyError) return error;
    throw error;
  }
  throw new Error('expected a PolicyError');
}

/** A security group opening SSH to the internet, with a Name and descriptions, so only `internet-ingress` breaks. */
function openSsh(scope: Construct, id: string): Construct {
  const holder = new Construct(scope, id);
  const group = new SecurityGroup(holder, 'group', { name: `migration-${id}-dev`, description: 'Stray', vpcId: 'vpc-1', tags: { Name: `migration-${id}-dev` } });
  new VpcSecurityGroupIngressRule(holder, 'ssh', {
    securityGroupId: group.id, ipProtocol: 'tcp', fromPort: 22, toPort: 22, cidrIpv4: '0.0.0.0/0', description: 'SSH', tags: { Name: `migration-${id}-ssh-dev` },
  });
  return holder;
}

describe("the project's own stacks", () => {
  it('pass with no error in the development configuration; only the expected warnings remain', () => {
    const found = reports({});
    expect(found.network.findings.map(({ rule, severity }) => `${severity} ${rule}`)).toEqual(['warning https-only-outside-dev']);
    expect(found.data.findings).toEqual([]);
    expect(found.app.findings).toEqual([]);
    for (const report of Object.values(found)) expect(report.skipped).toEqual([]);
  });

  it('pass with no error and no warning about themselves in production (certificate, three AZs, S3 state)', () => {
    const found = reports(PRODUCTION);
    expect(found.network.findings).toEqual([]);
    expect(found.data.findings).toEqual([]);
    expect(found.app.findings).toEqual([]);
  });

  it('refuse production without a certificate: plain HTTP is an error outside dev', () => {
    const app = Testing.app();
    buildPlatform(app, { ENVIRONMENT_SUFFIX: 'prod' });
    const error = synthError(app.node.findChild('network') as LayerStack);
    expect(error.findings.map(({ rule, severity }) => `${severity} ${rule}`)).toEqual(['error https-only-outside-dev']);
    expect(error.message).toMatch(/^Stack network breaks 1 platform policy:\n {2}- ERROR \[https-only-outside-dev\] network aws_lb_listener\.[^:]+: the load balancer serves plain HTTP with no HTTPS listener\. Fix: Set CERTIFICATE_ARN/);
  });

  it('record the context they were checked with in the synthesized JSON, for the CLI', () => {
    const stack = new NetworkStack(Testing.app(), loadConfig({ env: PRODUCTION }));
    Testing.synth(stack);
    const recorded = contextFromJson(stack.toTerraform());
    expect(recorded).toEqual({
      environmentSuffix: 'prod',
      requiredTags: [...REQUIRED_TAGS],
      taggableTypes: expect.any(Set),
      isDev: false,
      expectedOutputs: Object.keys(CONTRACT.network),
    });
    expect(recorded.taggableTypes).toEqual(new Set(['aws_vpc', 'aws_subnet', 'aws_security_group', 'aws_lb', 'aws_cloudwatch_log_group', 'aws_iam_role',
      'aws_flow_log', 'aws_s3_bucket', 'aws_internet_gateway', 'aws_eip', 'aws_nat_gateway', 'aws_route_table', 'aws_default_security_group',
      'aws_vpc_security_group_ingress_rule', 'aws_vpc_security_group_egress_rule', 'aws_vpc_endpoint', 'aws_lb_target_group', 'aws_lb_listener',
      'aws_kms_key', 'aws_sns_topic', 'aws_cloudwatch_metric_alarm']));
  });
});

describe('policies at synthesis', () => {
  it('stop a layer from synthesizing a resource that breaks one, one line per finding with rule, stack, address and fix', () => {
    const stack = new NetworkStack(Testing.app(), loadConfig({ env: {} }));
    const stray = new SecurityGroup(stack, 'stray', { vpcId: 'vpc-123' });
    new VpcSecurityGroupIngressRule(stack, 'open-ssh', { securityGroupId: stray.id, ipProtocol: 'tcp', fromPort: 22, toPort: 22, cidrIpv4: '0.0.0.0/0' });
    const error = synthError(stack);
    expect(error.findings.map(({ rule, address }) => `${rule} ${address}`)).toEqual([
      'name-tag aws_security_group.stray',
      'name-tag aws_vpc_security_group_ingress_rule.open-ssh',
      'security-group-description aws_security_group.stray',
      'security-group-description aws_vpc_security_group_ingress_rule.open-ssh',
      'internet-ingress aws_vpc_security_group_ingress_rule.open-ssh',
    ]);
    expect(error.message.split('\n')[1]).toBe('  - ERROR [name-tag] network aws_security_group.stray: taggable resource has no Name tag. Fix: Add tags: naming.nameTag(component) (a Name of the form <project>-<component>-<suffix>)');
    expect(() => Testing.synthHcl(stack)).toThrow(PolicyError);
  });
});

describe('suppressions', () => {
  it('silence a rule for a construct and every child, including ones added after, and the report lists each with its reason', () => {
    const stack = new NetworkStack(Testing.app(), loadConfig({ env: {} }));
    const bastion = new Construct(stack, 'bastion');
    suppressPolicy(bastion, 'internet-ingress', 'Break-glass bastion, open only during an incident');
    openSsh(bastion, 'a');
    openSsh(bastion, 'b');
    Testing.synth(stack);
    const report = stack.policyReport!;
    expect(report.suppressed.map(({ rule, address, reason, scope }) => ({ rule, address, reason, scope }))).toEqual([
      { rule: 'internet-ingress', address: expect.stringMatching(/^aws_vpc_security_group_ingress_rule\.bastion_a_ssh_/), reason: 'Break-glass bastion, open only during an incident', scope: 'network/bastion' },
      { rule: 'internet-ingress', address: expect.stringMatching(/^aws_vpc_security_group_ingress_rule\.bastion_b_ssh_/), reason: 'Break-glass bastion, open only during an incident', scope: 'network/bastion' },
    ]);
    expect(report.suppressions).toEqual([
      { rule: 'internet-ingress', reason: 'Break-glass bastion, open only during an incident', scope: 'network/bastion', declaredAt: '//', matched: 2 },
    ]);
    // The synthesized JSON carries it, so the CLI over cdktf.out applies it too.
    const json = stack.toTerraform();
    expect(json['//'].policySuppressions).toEqual([{ rule: 'internet-ingress', reason: 'Break-glass bastion, open only during an incident', path: 'network/bastion' }]);
    expect(checkStack(json, contextFromJson(json)).suppressed).toHaveLength(2);
  });

  it('cover nothing outside their construct', () => {
    const stack = new NetworkStack(Testing.app(), loadConfig({ env: {} }));
    suppressPolicy(new Construct(stack, 'bastion'), 'internet-ingress', 'Break-glass bastion, open only during an incident');
    openSsh(stack, 'bastionx');
    expect(synthError(stack).findings.map(({ rule }) => rule)).toEqual(['internet-ingress']);
  });

  it('reach policy documents (data sources) too', () => {
    const stack = new NetworkStack(Testing.app(), loadConfig({ env: {} }));
    const holder = new Construct(stack, 'legacy');
    const document = new DataAwsIamPolicyDocument(holder, 'document', { statement: [{ actions: ['s3:*'], resources: ['arn:aws:s3:::legacy-dev/*'] }] });
    new IamPolicy(holder, 'policy', { name: 'migration-legacy-dev', policy: document.json, tags: { Name: 'migration-legacy-dev' } });
    expect(synthError(stack).findings.map(({ rule, address }) => `${rule} ${address}`)).toEqual([expect.stringMatching(/^iam-wildcard-actions data\.aws_iam_policy_document\.legacy_document_/)]);
    suppressPolicy(holder, 'iam-wildcard-actions', 'Legacy bucket migrated as is; narrowed in the next release');
    Testing.synth(stack);
    expect(stack.policyReport!.suppressed.map(({ rule }) => rule)).toEqual(['iam-wildcard-actions']);
  });

  it('without a reason, or for a rule that does not exist, silence nothing and are errors themselves', () => {
    const stack = new NetworkStack(Testing.app(), loadConfig({ env: {} }));
    const bastion = new Construct(stack, 'bastion');
    suppressPolicy(bastion, 'internet-ingress', '');
    suppressPolicy(bastion, 'internet-ingres', 'Break-glass bastion, open only during an incident');
    openSsh(bastion, 'a');
    expect(synthError(stack).findings.map(({ rule, address, message }) => `${rule} ${address} ${message}`)).toEqual([
      expect.stringMatching(/^internet-ingress aws_vpc_security_group_ingress_rule\.bastion_a_ssh_/),
      'suppressions //.policySuppressions(network/bastion) suppresses "internet-ingress" without a reason',
      'suppressions //.policySuppressions(network/bastion) suppresses "internet-ingres", which is no rule',
    ]);
  });

  it('written by hand on one resource, as other projects can with an escape hatch, apply to that resource', () => {
    const stack = new TerraformStack(Testing.app(), 'other');
    openSsh(stack, 'handmade');
    const json = stack.toTerraform();
    const [address] = Object.keys(json.resource.aws_vpc_security_group_ingress_rule);
    json.resource.aws_vpc_security_group_ingress_rule[address]['//'].policySuppressions = [{ rule: 'internet-ingress', reason: 'Hand-written suppression on the resource' }];
    const report = checkStack(json, {});
    expect(report.findings).toEqual([]);
    expect(report.suppressed.map(({ rule, scope }) => `${rule} ${scope}`)).toEqual([`internet-ingress aws_vpc_security_group_ingress_rule.${address}`]);
  });
});
