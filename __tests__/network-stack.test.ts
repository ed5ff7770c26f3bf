import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { DefaultSecurityGroup } from '@cdktf/provider-aws/lib/default-security-group';
import { FlowLog } from '@cdktf/provider-aws/lib/flow-log';
import { Lb } from '@cdktf/provider-aws/lib/lb';
import { LbTargetGroup } from '@cdktf/provider-aws/lib/lb-target-group';
import { Vpc } from '@cdktf/provider-aws/lib/vpc';
import { Testing } from 'cdktf';
import { AccessLogBucket } from '../modules/network/access-logs';
import { LoadBalancer } from '../modules/network/alb';
import { InterfaceEndpoint } from '../modules/network/endpoints';
import { VpcNetwork } from '../modules/network/vpc';
import { CONTRACT } from '../modules/core/contract';
import { Naming } from '../modules/core/naming';
import { addressOf, policyDocument, ref, resourceNamed, resourcesOf, synthNetwork } from './support/synth';

const CERTIFICATE_ARN = 'arn:aws:acm:us-east-1:123456789012:certificate/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b';

describe('network layer with the defaults', () => {
  const { text, json, stack } = synthNetwork();
  /** The VPC endpoint of `type` (Interface or Gateway), its address, and the service its name is looked up for. */
  const endpointOfType = (type: string) => {
    const [name, body] = Object.entries(resourcesOf(json, 'aws_vpc_endpoint')).find(([, candidate]) => candidate.vpc_endpoint_type === type)!;
    const serviceLookup = /^\$\{data\.aws_vpc_endpoint_service\.([^.]+)\.service_name\}$/.exec(body.service_name)![1];
    return {
      address: `aws_vpc_endpoint.${name}`,
      body,
      serviceAddress: `data.aws_vpc_endpoint_service.${serviceLookup}`,
      service: json.data.aws_vpc_endpoint_service[serviceLookup],
    };
  };

  it('builds a VPC with DNS support and hostnames', () => {
    expect(text).toHaveResourceWithProperties(Vpc, {
      cidr_block: '10.0.0.0/16',
      enable_dns_support: true,
      enable_dns_hostnames: true,
      tags: { Name: 'migration-vpc-dev' },
    });
  });

  it('lays out public, private and database subnets in two AZs without overlap', () => {
    const subnets = Object.values(resourcesOf(json, 'aws_subnet'));
    const layout = Object.fromEntries(subnets.map((subnet) => [subnet.tags.Name, [subnet.cidr_block, subnet.tags.Tier]]));
    expect(layout).toEqual({
      'migration-public-1-dev': ['10.0.0.0/20', 'public'],
      'migration-public-2-dev': ['10.0.16.0/20', 'public'],
      'migration-private-1-dev': ['10.0.64.0/20', 'private'],
      'migration-private-2-dev': ['10.0.80.0/20', 'private'],
      'migration-database-1-dev': ['10.0.128.0/20', 'database'],
      'migration-database-2-dev': ['10.0.144.0/20', 'database'],
    });
    expect(subnets.every((subnet) => subnet.map_public_ip_on_launch === false)).toBe(true);
  });

  it('puts the subnets of each AZ in the region\'s first zones by name, whatever their state, so an impaired zone moves nothing', () => {
    const zonesAddress = `data.aws_availability_zones.${Object.keys(json.data.aws_availability_zones)[0]}`;
    for (const tier of ['public', 'private', 'database']) {
      expect([1, 2].map((az) => resourceNamed(json, 'aws_subnet', `migration-${tier}-${az}-dev`).availability_zone))
        .toEqual([0, 1].map((index) => `\${element(sort(${zonesAddress}.names), ${index})}`));
    }
    // No `state` filter: a zone that turns impaired stays in the list, and the zones after it keep their places.
    expect(Object.values(json.data.aws_availability_zones)).toEqual([{
      filter: [{ name: 'opt-in-status', values: ['opt-in-not-required'] }],
      // element() wraps around, so the plan must stop when the region has fewer AZs than subnets per tier.
      lifecycle: { postcondition: [{ condition: '${length(self.names) >= 2}', error_message: expect.stringContaining('lower AZ_COUNT') }] },
    }]);
  });

  it('routes public subnets to the internet gateway and private ones to their own AZ\'s NAT gateway', () => {
    const routes = Object.values(resourcesOf(json, 'aws_route'));
    const igw = addressOf(json, 'aws_internet_gateway', 'migration-igw-dev');
    const table = (name: string) => addressOf(json, 'aws_route_table', name);
    expect(routes).toEqual(expect.arrayContaining([
      expect.objectContaining({ route_table_id: ref(table('migration-public-rt-dev'), 'id'), destination_cidr_block: '0.0.0.0/0', gateway_id: ref(igw, 'id') }),
      expect.objectContaining({ route_table_id: ref(table('migration-private-1-rt-dev'), 'id'), destination_cidr_block: '0.0.0.0/0', nat_gateway_id: ref(addressOf(json, 'aws_nat_gateway', 'migration-nat-1-dev'), 'id') }),
      expect.objectContaining({ route_table_id: ref(table('migration-private-2-rt-dev'), 'id'), destination_cidr_block: '0.0.0.0/0', nat_gateway_id: ref(addressOf(json, 'aws_nat_gateway', 'migration-nat-2-dev'), 'id') }),
    ]));
    expect(routes).toHaveLength(3);
  });

  it('gives the database subnets a route table with no route out', () => {
    const databaseTable = addressOf(json, 'aws_route_table', 'migration-database-rt-dev');
    const routes = Object.values(resourcesOf(json, 'aws_route'));
    expect(routes.filter((route) => route.route_table_id === ref(databaseTable, 'id'))).toEqual([]);
    const associated = Object.values(resourcesOf(json, 'aws_route_table_association'))
      .filter((association) => association.route_table_id === ref(databaseTable, 'id'))
      .map((association) => association.subnet_id);
    expect(associated).toEqual([
      ref(addressOf(json, 'aws_subnet', 'migration-database-1-dev'), 'id'),
      ref(addressOf(json, 'aws_subnet', 'migration-database-2-dev'), 'id'),
    ]);
  });

  it('associates every subnet with exactly one route table', () => {
    const associations = Object.values(resourcesOf(json, 'aws_route_table_association')).map((association) => association.subnet_id);
    expect(associations.sort()).toEqual(Object.keys(resourcesOf(json, 'aws_subnet')).map((name) => ref(`aws_subnet.${name}`, 'id')).sort());
  });

  it('puts one NAT gateway with an Elastic IP in each public subnet', () => {
    const nats = resourcesOf(json, 'aws_nat_gateway');
    expect(Object.keys(nats)).toHaveLength(2);
    expect(resourceNamed(json, 'aws_nat_gateway', 'migration-nat-1-dev')).toMatchObject({
      subnet_id: ref(addressOf(json, 'aws_subnet', 'migration-public-1-dev'), 'id'),
      allocation_id: ref(addressOf(json, 'aws_eip', 'migration-nat-eip-1-dev'), 'allocation_id'),
    });
    expect(resourceNamed(json, 'aws_eip', 'migration-nat-eip-2-dev').domain).toBe('vpc');
  });

  it('strips every rule from the default security group', () => {
    expect(text).toHaveResourceWithProperties(DefaultSecurityGroup, { ingress: [], egress: [] });
  });

  it('sends all VPC traffic records to a log group with a retention period', () => {
    const logGroup = addressOf(json, 'aws_cloudwatch_log_group', 'migration-flow-logs-dev');
    expect(text).toHaveResourceWithProperties(CloudwatchLogGroup, { name: '/aws/vpc/flow-logs/migration-vpc-dev', retention_in_days: 365 });
    expect(text).toHaveResourceWithProperties(FlowLog, {
      vpc_id: ref(addressOf(json, 'aws_vpc', 'migration-vpc-dev'), 'id'),
      traffic_type: 'ALL',
      log_destination_type: 'cloud-watch-logs',
      log_destination: ref(logGroup, 'arn'),
      iam_role_arn: ref(addressOf(json, 'aws_iam_role', 'migration-flow-logs-us-east-1-dev'), 'arn'),
    });
  });

  it('starts the flow log only once its role may write', () => {
    const [rolePolicy] = Object.keys(resourcesOf(json, 'aws_iam_role_policy'));
    expect(resourceNamed(json, 'aws_flow_log', 'migration-flow-log-dev').depends_on).toEqual([`aws_iam_role_policy.${rolePolicy}`]);
  });

  it('lets the flow log role write to its own log group only, assumed by the flow logs service for this account', () => {
    const logGroup = addressOf(json, 'aws_cloudwatch_log_group', 'migration-flow-logs-dev');
    const role = resourceNamed(json, 'aws_iam_role', 'migration-flow-logs-us-east-1-dev');
    const rolePolicies = Object.values(resourcesOf(json, 'aws_iam_role_policy'))
      .filter((policy) => policy.role === ref(addressOf(json, 'aws_iam_role', 'migration-flow-logs-us-east-1-dev'), 'id'));
    expect(rolePolicies).toHaveLength(1);
    expect([role.name, rolePolicies[0].name]).toEqual(['migration-flow-logs-us-east-1-dev', 'migration-flow-logs-us-east-1-dev']);
    expect(policyDocument(json, rolePolicies[0].policy).statement).toEqual([
      {
        sid: 'WriteFlowLogStreams',
        effect: 'Allow',
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
        resources: [ref(logGroup, 'arn'), `${ref(logGroup, 'arn')}:*`],
      },
      {
        // AWS's documented minimum for a flow log role; the group's own partition, region and account.
        sid: 'ListLogGroups',
        effect: 'Allow',
        actions: ['logs:DescribeLogGroups'],
        resources: [`\${join(":", slice(split(":", ${logGroup}.arn), 0, 5))}:log-group:*`],
      },
    ]);
    expect(policyDocument(json, role.assume_role_policy).statement).toEqual([{
      sid: 'AssumedByService',
      actions: ['sts:AssumeRole'],
      principals: [{ type: 'Service', identifiers: ['vpc-flow-logs.amazonaws.com'] }],
      condition: [{ test: 'StringEquals', variable: 'aws:SourceAccount', values: ['${data.aws_caller_identity.caller-identity.account_id}'] }],
    }]);
    expect(Object.values(resourcesOf(json, 'aws_iam_role_policy_attachment'))).toEqual([]);
  });

  describe('security groups', () => {
    const group = (name: string) => ref(addressOf(json, 'aws_security_group', name), 'id');
    const rules = (direction: 'ingress' | 'egress', groupName: string) =>
      Object.values(resourcesOf(json, `aws_vpc_security_group_${direction}_rule`))
        .filter((rule) => rule.security_group_id === group(groupName))
        .map(({ from_port, to_port, ip_protocol, cidr_ipv4, referenced_security_group_id }) =>
          ({ from_port, to_port, ip_protocol, source: cidr_ipv4 ?? referenced_security_group_id }));

    it('opens the load balancer to HTTP and HTTPS from anywhere, and lets it reach only the app port', () => {
      expect(rules('ingress', 'migration-alb-sg-dev')).toEqual([
        { from_port: 443, to_port: 443, ip_protocol: 'tcp', source: '0.0.0.0/0' },
        { from_port: 80, to_port: 80, ip_protocol: 'tcp', source: '0.0.0.0/0' },
      ]);
      expect(rules('egress', 'migration-alb-sg-dev')).toEqual([
        { from_port: 8080, to_port: 8080, ip_protocol: 'tcp', source: group('migration-app-sg-dev') },
      ]);
    });

    it('opens the app servers to 8080 from the load balancer only and 22 from the VPC only', () => {
      expect(rules('ingress', 'migration-app-sg-dev')).toEqual([
        { from_port: 22, to_port: 22, ip_protocol: 'tcp', source: '10.0.0.0/16' },
        { from_port: 8080, to_port: 8080, ip_protocol: 'tcp', source: group('migration-alb-sg-dev') },
      ]);
      expect(rules('egress', 'migration-app-sg-dev')).toEqual([
        { from_port: 443, to_port: 443, ip_protocol: 'tcp', source: '0.0.0.0/0' },
        { from_port: 5432, to_port: 5432, ip_protocol: 'tcp', source: group('migration-database-sg-dev') },
      ]);
    });

    it('opens the database to 5432 from the app servers and the rotation function only, with no way out', () => {
      expect(rules('ingress', 'migration-database-sg-dev')).toEqual([
        { from_port: 5432, to_port: 5432, ip_protocol: 'tcp', source: group('migration-app-sg-dev') },
        { from_port: 5432, to_port: 5432, ip_protocol: 'tcp', source: group('migration-rotation-sg-dev') },
      ]);
      expect(rules('egress', 'migration-database-sg-dev')).toEqual([]);
    });

    it('lets the rotation function reach only the database and the Secrets Manager endpoint', () => {
      expect(rules('ingress', 'migration-rotation-sg-dev')).toEqual([]);
      expect(rules('egress', 'migration-rotation-sg-dev')).toEqual([
        { from_port: 443, to_port: 443, ip_protocol: 'tcp', source: group('migration-endpoints-sg-dev') },
        { from_port: 5432, to_port: 5432, ip_protocol: 'tcp', source: group('migration-database-sg-dev') },
      ]);
    });

    it('opens the endpoints to HTTPS from the VPC', () => {
      expect(rules('ingress', 'migration-endpoints-sg-dev')).toEqual([
        { from_port: 443, to_port: 443, ip_protocol: 'tcp', source: '10.0.0.0/16' },
      ]);
    });

    it('describes every rule and puts every group in the VPC with no inline rules', () => {
      const allRules = [
        ...Object.values(resourcesOf(json, 'aws_vpc_security_group_ingress_rule')),
        ...Object.values(resourcesOf(json, 'aws_vpc_security_group_egress_rule')),
      ];
      expect(allRules).toHaveLength(12);
      for (const rule of allRules) expect(rule.description).toMatch(/\w{4,}/);
      for (const securityGroup of Object.values(resourcesOf(json, 'aws_security_group'))) {
        expect(securityGroup).toMatchObject({ vpc_id: ref(addressOf(json, 'aws_vpc', 'migration-vpc-dev'), 'id') });
        expect(securityGroup.ingress).toBeUndefined();
        expect(securityGroup.egress).toBeUndefined();
      }
    });
  });

  it('reaches Secrets Manager through an interface endpoint with private DNS in the private subnets of the zones it is offered in', () => {
    const endpoint = endpointOfType('Interface');
    const zonesAddress = `data.aws_availability_zones.${Object.keys(json.data.aws_availability_zones)[0]}`;
    const zones = `[element(sort(${zonesAddress}.names), 0), element(sort(${zonesAddress}.names), 1)]`;
    const privateSubnets = [1, 2].map((az) => `${addressOf(json, 'aws_subnet', `migration-private-${az}-dev`)}.id`);
    expect(endpoint.body).toMatchObject({
      private_dns_enabled: true,
      // One subnet per zone, in the zones both the VPC and the endpoint service are in.
      subnet_ids: `\${matchkeys([${privateSubnets.join(', ')}], ${zones}, tolist(${endpoint.serviceAddress}.availability_zones))}`,
      security_group_ids: [ref(addressOf(json, 'aws_security_group', 'migration-endpoints-sg-dev'), 'id')],
      tags: { Name: 'migration-secretsmanager-endpoint-dev' },
    });
    // The subnets' zones are the VPC's: the same expressions, position by position.
    expect([1, 2].map((az) => resourceNamed(json, 'aws_subnet', `migration-private-${az}-dev`).availability_zone))
      .toEqual([0, 1].map((index) => `\${element(sort(${zonesAddress}.names), ${index})}`));
    expect(endpoint.service).toEqual({
      service: 'secretsmanager',
      service_type: 'Interface',
      // The plan stops if the service is in none of the VPC's zones, rather than the apply failing.
      lifecycle: { postcondition: [{
        condition: `\${(length(setintersection(self.availability_zones, ${zones})) >= 1)}`,
        error_message: expect.stringContaining('choose others with AVAILABILITY_ZONES'),
      }] },
    });
  });

  it('admits only this account\'s principals through the Secrets Manager endpoint, to this account\'s secrets', () => {
    const { body: endpoint } = endpointOfType('Interface');
    const account = '${data.aws_caller_identity.caller-identity.account_id}';
    const everyone = [{ type: '*', identifiers: ['*'] }];
    expect(policyDocument(json, endpoint.policy).statement).toEqual([
      {
        sid: 'OwnAccountOnly', effect: 'Allow', principals: everyone, actions: ['secretsmanager:*'], resources: ['*'],
        condition: [
          { test: 'StringEquals', variable: 'aws:PrincipalAccount', values: [account] },
          { test: 'StringEquals', variable: 'aws:ResourceAccount', values: [account] },
        ],
      },
      {
        // GetRandomPassword acts on no secret, so there is no resource account to check.
        sid: 'OwnAccountActionsWithoutResource', effect: 'Allow', principals: everyone, actions: ['secretsmanager:GetRandomPassword'], resources: ['*'],
        condition: [{ test: 'StringEquals', variable: 'aws:PrincipalAccount', values: [account] }],
      },
    ]);
  });

  it('keeps S3 traffic of the private subnets off the NAT gateways with a gateway endpoint', () => {
    const endpoint = endpointOfType('Gateway');
    expect(endpoint.body).toMatchObject({
      vpc_id: ref(addressOf(json, 'aws_vpc', 'migration-vpc-dev'), 'id'),
      route_table_ids: [
        ref(addressOf(json, 'aws_route_table', 'migration-private-1-rt-dev'), 'id'),
        ref(addressOf(json, 'aws_route_table', 'migration-private-2-rt-dev'), 'id'),
      ],
    });
    expect(endpoint.service).toEqual({ service: 's3', service_type: 'Gateway' });
  });

  it('builds an internet-facing ALB in the public subnets that drops invalid headers, unprotected in dev', () => {
    expect(text).toHaveResourceWithProperties(Lb, {
      name: 'migration-alb-dev',
      load_balancer_type: 'application',
      internal: false,
      drop_invalid_header_fields: true,
      enable_deletion_protection: false,
      security_groups: [ref(addressOf(json, 'aws_security_group', 'migration-alb-sg-dev'), 'id')],
      subnets: [
        ref(addressOf(json, 'aws_subnet', 'migration-public-1-dev'), 'id'),
        ref(addressOf(json, 'aws_subnet', 'migration-public-2-dev'), 'id'),
      ],
    });
  });

  it('creates the load balancer only once the internet gateway is attached and the public subnets route to it', () => {
    const dependsOn = resourceNamed(json, 'aws_lb', 'migration-alb-dev').depends_on;
    const publicTable = ref(addressOf(json, 'aws_route_table', 'migration-public-rt-dev'), 'id');
    const [internetRoute] = Object.entries(resourcesOf(json, 'aws_route')).filter(([, route]) => route.gateway_id);
    expect(internetRoute[1].route_table_id).toBe(publicTable);
    const publicAssociations = Object.entries(resourcesOf(json, 'aws_route_table_association'))
      .filter(([, association]) => association.route_table_id === publicTable).map(([name]) => `aws_route_table_association.${name}`);
    expect(publicAssociations).toHaveLength(2);
    expect([...dependsOn].sort()).toEqual([
      `aws_s3_bucket_policy.${Object.keys(resourcesOf(json, 'aws_s3_bucket_policy'))[0]}`,
      addressOf(json, 'aws_internet_gateway', 'migration-igw-dev'),
      `aws_route.${internetRoute[0]}`,
      ...publicAssociations,
    ].sort());
  });

  describe('access logs', () => {
    const bucket = () => addressOf(json, 'aws_s3_bucket', 'migration-alb-logs-dev');
    const onBucket = (type: string) => Object.values(resourcesOf(json, type)).filter((body) => body.bucket === ref(bucket(), 'id'));
    const bucketPolicy = () => {
      const policies = Object.values(resourcesOf(json, 'aws_s3_bucket_policy'));
      expect(policies).toHaveLength(1);
      expect(policies[0].bucket).toBe(ref(bucket(), 'id'));
      return policyDocument(json, policies[0].policy);
    };

    it('has the load balancer write them to its log bucket, once the bucket policy allows it', () => {
      const lb = resourceNamed(json, 'aws_lb', 'migration-alb-dev');
      expect(lb.access_logs).toEqual({ enabled: true, bucket: ref(bucket(), 'id'), prefix: 'alb' });
      expect(lb.depends_on).toContain(`aws_s3_bucket_policy.${Object.keys(resourcesOf(json, 'aws_s3_bucket_policy'))[0]}`);
    });

    it('keeps them in a private, encrypted bucket that expires them after the retention period', () => {
      expect(resourceNamed(json, 'aws_s3_bucket', 'migration-alb-logs-dev')).toMatchObject({ bucket_prefix: 'migration-alb-logs-dev-', force_destroy: true });
      expect(onBucket('aws_s3_bucket_public_access_block')).toEqual([expect.objectContaining({
        block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true,
      })]);
      expect(onBucket('aws_s3_bucket_ownership_controls')).toEqual([expect.objectContaining({ rule: { object_ownership: 'BucketOwnerEnforced' } })]);
      expect(onBucket('aws_s3_bucket_server_side_encryption_configuration')).toEqual([expect.objectContaining({
        rule: [{ apply_server_side_encryption_by_default: { sse_algorithm: 'AES256' } }],
      })]);
      expect(onBucket('aws_s3_bucket_lifecycle_configuration')).toEqual([expect.objectContaining({
        rule: [expect.objectContaining({ status: 'Enabled', filter: [{ prefix: 'alb/' }], expiration: [{ days: 365 }] })],
      })]);
    });

    it('refuses plain HTTP and lets only the regional load balancer account write this account\'s logs', () => {
      const { statement } = bucketPolicy();
      expect(statement).toHaveLength(2);
      const [denyInsecure, delivery] = statement;
      expect(denyInsecure).toMatchObject({
        effect: 'Deny', actions: ['s3:*'], resources: [ref(bucket(), 'arn'), `${ref(bucket(), 'arn')}/*`],
        condition: [{ test: 'Bool', variable: 'aws:SecureTransport', values: ['false'] }],
      });
      const elbAccount = Object.keys(json.data.aws_elb_service_account)[0];
      expect(delivery).toMatchObject({
        effect: 'Allow', actions: ['s3:PutObject'],
        principals: [{ type: 'AWS', identifiers: [`\${data.aws_elb_service_account.${elbAccount}.arn}`] }],
        resources: [`${ref(bucket(), 'arn')}/alb/AWSLogs/\${data.aws_caller_identity.caller-identity.account_id}/*`],
      });
    });

    it('lets the log delivery service write them in regions opened since August 2022', () => {
      const { json: melbourne } = synthNetwork({ AWS_REGION: 'ap-southeast-4' });
      const policy = Object.entries(melbourne.data.aws_iam_policy_document).find(([name]) => name.startsWith('alb-access-logs'))![1] as any;
      expect(policy.statement[1].principals).toEqual([{ type: 'Service', identifiers: ['logdelivery.elasticloadbalancing.amazonaws.com'] }]);
      expect(melbourne.data.aws_elb_service_account).toBeUndefined();
    });
  });

  it('builds blue and green target groups on port 8080 with a /health check', () => {
    for (const color of ['blue', 'green']) {
      expect(text).toHaveResourceWithProperties(LbTargetGroup, {
        name: `migration-${color}-dev`,
        port: 8080,
        protocol: 'HTTP',
        target_type: 'instance',
        health_check: expect.objectContaining({ path: '/health', port: 'traffic-port', protocol: 'HTTP', matcher: '200-399' }),
      });
    }
  });

  it('serves HTTP only without a certificate, answering 503 until a release attaches, and warns', () => {
    const listeners = Object.values(resourcesOf(json, 'aws_lb_listener'));
    expect(listeners).toHaveLength(1);
    expect(listeners[0]).toMatchObject({
      port: 80,
      protocol: 'HTTP',
      default_action: [{ type: 'fixed-response', fixed_response: { status_code: '503', content_type: 'text/plain' } }],
    });
    const warnings = stack.node.findAll().flatMap((node) => node.node.metadata)
      .filter((entry) => entry.type === '@cdktf/warn').map((entry) => entry.data);
    expect(warnings).toEqual([expect.stringContaining('No CERTIFICATE_ARN is set')]);
  });

  it('publishes every contract output with its description', () => {
    expect(Object.keys(json.output).sort()).toEqual(Object.keys(CONTRACT.network).sort());
    for (const [name, spec] of Object.entries(CONTRACT.network)) {
      expect(json.output[name].description).toBe(spec.description);
      expect(json.output[name].sensitive).toBeUndefined();
    }
  });

  it('publishes the ids and ARNs later layers need, each from the right resource', () => {
    const named = (type: string, name: string, attribute: string) => ref(addressOf(json, type, name), attribute);
    const subnets = (tier: string) => [1, 2].map((az) => named('aws_subnet', `migration-${tier}-${az}-dev`, 'id'));
    const group = (name: string) => named('aws_security_group', `migration-${name}-sg-dev`, 'id');
    const http = ref(`aws_lb_listener.${Object.keys(resourcesOf(json, 'aws_lb_listener'))[0]}`, 'arn');
    const expected: Record<keyof typeof CONTRACT.network, unknown> = {
      VpcId: named('aws_vpc', 'migration-vpc-dev', 'id'),
      VpcCidr: named('aws_vpc', 'migration-vpc-dev', 'cidr_block'),
      PublicSubnetIds: subnets('public'),
      PrivateSubnetIds: subnets('private'),
      DatabaseSubnetIds: subnets('database'),
      AlbSecurityGroupId: group('alb'),
      AppSecurityGroupId: group('app'),
      DatabaseSecurityGroupId: group('database'),
      RotationSecurityGroupId: group('rotation'),
      EndpointSecurityGroupId: group('endpoints'),
      SecretsManagerEndpointId: ref(endpointOfType('Interface').address, 'id'),
      S3EndpointId: ref(endpointOfType('Gateway').address, 'id'),
      AlbArn: named('aws_lb', 'migration-alb-dev', 'arn'),
      AlbDnsName: named('aws_lb', 'migration-alb-dev', 'dns_name'),
      AlbZoneId: named('aws_lb', 'migration-alb-dev', 'zone_id'),
      HttpListenerArn: http,
      HttpsListenerArn: '',
      TrafficListenerArn: http,
      BlueTargetGroupArn: named('aws_lb_target_group', 'migration-blue-dev', 'arn'),
      GreenTargetGroupArn: named('aws_lb_target_group', 'migration-green-dev', 'arn'),
      AlertTopicArn: named('aws_sns_topic', 'migration-alerts-dev', 'arn'),
      AlbArnSuffix: named('aws_lb', 'migration-alb-dev', 'arn_suffix'),
      BlueTargetGroupArnSuffix: named('aws_lb_target_group', 'migration-blue-dev', 'arn_suffix'),
      GreenTargetGroupArnSuffix: named('aws_lb_target_group', 'migration-green-dev', 'arn_suffix'),
      LoadBalancerAlarmNames: ['migration-alb-5xx-rate-dev', 'migration-alb-p99-latency-dev']
        .map((name) => named('aws_cloudwatch_metric_alarm', name, 'alarm_name')),
    };
    expect(Object.fromEntries(Object.entries(json.output).map(([name, output]) => [name, (output as { value: unknown }).value]))).toEqual(expected);
  });
});

describe('network layer with a certificate', () => {
  const { json, stack } = synthNetwork({ CERTIFICATE_ARN });
  const listener = (protocol: string) => {
    const [name, body] = Object.entries(resourcesOf(json, 'aws_lb_listener')).find(([, candidate]) => candidate.protocol === protocol)!;
    return { address: `aws_lb_listener.${name}`, body };
  };

  it('serves HTTPS with the certificate and a TLS 1.3 policy, answering 503 until a release attaches', () => {
    expect(listener('HTTPS').body).toMatchObject({
      port: 443,
      certificate_arn: CERTIFICATE_ARN,
      ssl_policy: 'ELBSecurityPolicy-TLS13-1-2-2021-06',
      default_action: [{ type: 'fixed-response', fixed_response: { status_code: '503' } }],
    });
  });

  it('redirects HTTP to HTTPS permanently', () => {
    expect(listener('HTTP').body).toMatchObject({
      port: 80,
      default_action: [{ type: 'redirect', redirect: { protocol: 'HTTPS', port: '443', status_code: 'HTTP_301' } }],
    });
  });

  it('points the traffic listener output at HTTPS and does not warn', () => {
    expect(json.output.HttpsListenerArn.value).toBe(ref(listener('HTTPS').address, 'arn'));
    expect(json.output.TrafficListenerArn.value).toBe(ref(listener('HTTPS').address, 'arn'));
    expect(json.output.HttpListenerArn.value).toBe(ref(listener('HTTP').address, 'arn'));
    expect(stack.node.findAll().flatMap((node) => node.node.metadata).filter((entry) => entry.type === '@cdktf/warn')).toEqual([]);
  });
});

describe('network layer settings', () => {
  it('spans three AZs with nine subnets when AZ_COUNT=3', () => {
    const { json } = synthNetwork({ AZ_COUNT: '3', VPC_CIDR: '172.16.0.0/20' });
    const cidrs = Object.fromEntries(Object.values(resourcesOf(json, 'aws_subnet')).map((subnet) => [subnet.tags.Name, subnet.cidr_block]));
    expect(cidrs).toEqual({
      'migration-public-1-dev': '172.16.0.0/24', 'migration-public-2-dev': '172.16.1.0/24', 'migration-public-3-dev': '172.16.2.0/24',
      'migration-private-1-dev': '172.16.4.0/24', 'migration-private-2-dev': '172.16.5.0/24', 'migration-private-3-dev': '172.16.6.0/24',
      'migration-database-1-dev': '172.16.8.0/24', 'migration-database-2-dev': '172.16.9.0/24', 'migration-database-3-dev': '172.16.10.0/24',
    });
    expect(Object.keys(resourcesOf(json, 'aws_nat_gateway'))).toHaveLength(3);
    expect((Object.values(json.data.aws_availability_zones)[0] as any).lifecycle.postcondition[0].condition).toBe('${length(self.names) >= 3}');
  });

  it('puts the subnets in the zones AVAILABILITY_ZONES names, in its order, and stops the plan if the account lacks one', () => {
    const { json } = synthNetwork({ AVAILABILITY_ZONES: 'us-east-1c,us-east-1a,us-east-1d' });
    const chosen = ['us-east-1c', 'us-east-1a', 'us-east-1d'];
    for (const tier of ['public', 'private', 'database']) {
      expect([1, 2, 3].map((az) => resourceNamed(json, 'aws_subnet', `migration-${tier}-${az}-dev`).availability_zone)).toEqual(chosen);
    }
    expect(Object.keys(resourcesOf(json, 'aws_nat_gateway'))).toHaveLength(3);
    expect(Object.values(json.data.aws_availability_zones)).toEqual([{
      filter: [{ name: 'opt-in-status', values: ['opt-in-not-required'] }],
      lifecycle: { postcondition: [{
        condition: '${length(setsubtract(["us-east-1c","us-east-1a","us-east-1d"], self.names)) == 0}',
        error_message: expect.stringContaining('AVAILABILITY_ZONES lists us-east-1c, us-east-1a, us-east-1d'),
      }] },
    }]);
    const [endpoint] = Object.values(resourcesOf(json, 'aws_vpc_endpoint')).filter((candidate) => candidate.vpc_endpoint_type === 'Interface');
    const service = /^\$\{(data\.aws_vpc_endpoint_service\.[^.]+)\.service_name\}$/.exec(endpoint.service_name)![1];
    const privateSubnets = [1, 2, 3].map((az) => `${addressOf(json, 'aws_subnet', `migration-private-${az}-dev`)}.id`);
    expect(endpoint.subnet_ids).toBe(`\${matchkeys([${privateSubnets.join(', ')}], ["us-east-1c", "us-east-1a", "us-east-1d"], tolist(${service}.availability_zones))}`);
  });

  it('gives account-wide resources names of their own in each region, so one environment can run in two', () => {
    const accountWideNames = (region: string) => {
      const { json } = synthNetwork({ AWS_REGION: region });
      // S3 appends a unique part to a bucket_prefix; a bucket named in full would collide across regions.
      const buckets = Object.values(resourcesOf(json, 'aws_s3_bucket'));
      expect(buckets.map((bucket) => [bucket.bucket, typeof bucket.bucket_prefix])).toEqual([[undefined, 'string']]);
      return Object.keys(json.resource).filter((type) => type.startsWith('aws_iam_'))
        .flatMap((type) => Object.values(resourcesOf(json, type)).map((body) => body.name).filter((name) => name !== undefined));
    };
    const [east, west] = [accountWideNames('us-east-1'), accountWideNames('us-west-2')];
    expect(east).toEqual(['migration-flow-logs-us-east-1-dev', 'migration-flow-logs-us-east-1-dev']);
    expect(west.filter((name) => east.includes(name))).toEqual([]);
  });

  it('shares one NAT gateway between all private subnets when NAT_GATEWAYS=single', () => {
    const { json } = synthNetwork({ NAT_GATEWAYS: 'single', AZ_COUNT: '3' });
    expect(Object.keys(resourcesOf(json, 'aws_nat_gateway'))).toHaveLength(1);
    expect(Object.keys(resourcesOf(json, 'aws_eip'))).toHaveLength(1);
    const nat = ref(addressOf(json, 'aws_nat_gateway', 'migration-nat-1-dev'), 'id');
    const privateRoutes = Object.values(resourcesOf(json, 'aws_route')).filter((route) => route.nat_gateway_id);
    expect(privateRoutes.map((route) => route.nat_gateway_id)).toEqual([nat, nat, nat]);
  });

  it('opens SSH to the configured range only', () => {
    const { json } = synthNetwork({ SSH_INGRESS_CIDR: '192.168.10.0/24' });
    const ssh = Object.values(resourcesOf(json, 'aws_vpc_security_group_ingress_rule')).filter((rule) => rule.from_port === 22);
    expect(ssh).toEqual([expect.objectContaining({ cidr_ipv4: '192.168.10.0/24', to_port: 22 })]);
  });

  it('protects the load balancer and its logs from deletion outside dev, unless told otherwise', () => {
    // Outside dev the load balancer must serve HTTPS (policy https-only-outside-dev).
    const https = { CERTIFICATE_ARN: 'arn:aws:acm:us-east-1:123456789012:certificate/12345678-1234-1234-1234-123456789012' };
    const prod = synthNetwork({ ENVIRONMENT_SUFFIX: 'prod', ...https }).json;
    expect(resourceNamed(prod, 'aws_lb', 'migration-alb-prod').enable_deletion_protection).toBe(true);
    expect(resourceNamed(prod, 'aws_s3_bucket', 'migration-alb-logs-prod').force_destroy).toBe(false);
    expect(resourceNamed(synthNetwork({ ENVIRONMENT_SUFFIX: 'pr42', ALB_DELETION_PROTECTION: 'false', ...https }).json, 'aws_lb', 'migration-alb-pr42').enable_deletion_protection).toBe(false);
  });

  it('uses the configured health check path and log retention', () => {
    const { json } = synthNetwork({ HEALTH_CHECK_PATH: '/actuator/health', LOG_RETENTION_DAYS: '30' });
    for (const color of ['blue', 'green']) {
      expect(resourceNamed(json, 'aws_lb_target_group', `migration-${color}-dev`).health_check.path).toBe('/actuator/health');
    }
    expect(resourceNamed(json, 'aws_cloudwatch_log_group', 'migration-flow-logs-dev').retention_in_days).toBe(30);
    expect(Object.values(resourcesOf(json, 'aws_s3_bucket_lifecycle_configuration'))[0].rule[0].expiration).toEqual([{ days: 30 }]);
  });

  it('puts the region in the provider', () => {
    expect(synthNetwork({ AWS_REGION: 'eu-west-1' }).json.provider.aws[0].region).toBe('eu-west-1');
  });
});

describe('the network constructs refuse inconsistent input', () => {
  const naming = new Naming('migration', 'dev', 'us-east-1');

  it.each([
    ['fewer zones than the AZ count', ['us-east-1a']],
    ['a zone twice', ['us-east-1a', 'us-east-1a']],
  ])('VpcNetwork refuses %s', (_, availabilityZones) => {
    expect(() => Testing.synthScope((scope) => {
      new VpcNetwork(scope, 'vpc', { naming, cidr: '10.0.0.0/16', azCount: 2, availabilityZones });
    })).toThrow(`VpcNetwork: availabilityZones must be 2 different zones, one per subnet of a tier; got ${availabilityZones.join(', ')}`);
  });

  it('InterfaceEndpoint refuses subnets without their zones', () => {
    expect(() => Testing.synthScope((scope) => {
      new InterfaceEndpoint(scope, 'endpoint', {
        naming, service: 'secretsmanager', vpcId: 'vpc-1', subnetIds: ['subnet-a', 'subnet-b'], availabilityZones: ['us-east-1a'], securityGroupIds: ['sg-1'],
      });
    })).toThrow('InterfaceEndpoint secretsmanager: 2 subnets but 1 availabilityZones');
  });
});

describe('the load balancer construct', () => {
  it('takes every health check option, with the target port as the checked port', () => {
    const json = JSON.parse(Testing.synthScope((scope) => {
      const naming = new Naming('migration', 'dev', 'us-east-1');
      new LoadBalancer(scope, 'lb', {
        naming,
        vpcId: 'vpc-1',
        subnetIds: ['subnet-a', 'subnet-b'],
        internetAccess: [],
        securityGroupIds: ['sg-alb'],
        targetPort: 9090,
        accessLogs: new AccessLogBucket(scope, 'logs', { naming, region: 'us-east-1', retentionDays: 30 }),
        healthCheck: { path: '/ready', intervalSeconds: 30, timeoutSeconds: 10, healthyThreshold: 2, unhealthyThreshold: 5, matcher: '200' },
      });
    }));
    for (const targetGroup of Object.values(resourcesOf(json, 'aws_lb_target_group'))) {
      expect(targetGroup).toMatchObject({
        port: 9090,
        deregistration_delay: '30',
        health_check: { path: '/ready', port: 'traffic-port', interval: 30, timeout: 10, healthy_threshold: 2, unhealthy_threshold: 5, matcher: '200' },
      });
    }
    expect(resourceNamed(json, 'aws_lb', 'migration-alb-dev').enable_deletion_protection).toBe(true);
  });
});
