/**
 * The app layer as Terraform will read it: instance role and its policies, both launch templates and their
 * boot scripts, both fleets, the weighted listener rule, tag propagation, the outputs, and every bad setting.
 */
import { execFileSync, spawnSync } from 'child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { renderBootScript } from '../modules/app/boot-script';
import { instanceArchitecture } from '../modules/core/config';
import { CONTRACT } from '../modules/core/contract';
import { load, problemsOf } from './support/config';
import { Env, policyDocument, resourcesOf, StackJson, synthPlatform } from './support/synth';

const RELEASE = 's3://acme-releases/shop/1.2.3/shop-1.2.3.jar';
const NEXT_RELEASE = 's3://acme-releases/shop/1.3.0/shop-1.3.0.jar';
const fromNetwork = (name: string) => `\${data.terraform_remote_state.network-state.outputs.${name}}`;
const fromData = (name: string) => `\${data.terraform_remote_state.data-state.outputs.${name}}`;

/** The one resource of `type` whose attribute `key` is `value`, with its address. */
function only(json: StackJson, type: string, key: string, value: unknown): { address: string; body: Record<string, any> } {
  const matches = Object.entries(resourcesOf(json, type)).filter(([, body]) => body[key] === value);
  if (matches.length !== 1) throw new Error(`expected one ${type} with ${key} ${JSON.stringify(value)}, found ${matches.length}`);
  return { address: `${type}.${matches[0][0]}`, body: matches[0][1] };
}
const attribute = (address: string, name: string) => `\${${address}.${name}}`;

function synthApp(env: Env = {}) {
  const { app } = synthPlatform(env);
  const { json } = app;
  const partition = `data.aws_partition.${Object.keys(json.data.aws_partition)[0]}`;
  const launchTemplate = (color: string) => only(json, 'aws_launch_template', 'name', `migration-${color}-app-dev`);
  const fleet = (color: string) => only(json, 'aws_autoscaling_group', 'name', `migration-${color}-app-dev`);
  /** The boot script in a colour's user data: the Terraform local it base64-encodes. */
  const bootScript = (color: string): string => {
    const local = /^\$\{base64encode\(local\.([^)]+)\)\}$/.exec(launchTemplate(color).body.user_data)![1];
    return json.locals[local];
  };
  return { json, partition, launchTemplate, fleet, bootScript };
}

describe('app layer with the defaults', () => {
  const { json, partition, launchTemplate, fleet, bootScript } = synthApp();
  const role = only(json, 'aws_iam_role', 'name', 'migration-app-us-east-1-dev');
  const logGroup = only(json, 'aws_cloudwatch_log_group', 'name', '/ec2/migration-app-dev');

  it('reads the network and data layers from their state, and nothing else', () => {
    expect(json.data.terraform_remote_state).toEqual({
      'network-state': { backend: 'local', config: { path: '../../../state/us-east-1/dev/network.tfstate' } },
      'data-state': { backend: 'local', config: { path: '../../../state/us-east-1/dev/data.tfstate' } },
    });
  });

  it('gives the servers a role that EC2 alone assumes, with Session Manager through the partition\'s managed policy', () => {
    expect(policyDocument(json, role.body.assume_role_policy).statement).toEqual([{
      sid: 'AssumedByService',
      actions: ['sts:AssumeRole'],
      principals: [{ type: 'Service', identifiers: ['ec2.amazonaws.com'] }],
    }]);
    expect(Object.values(resourcesOf(json, 'aws_iam_role_policy_attachment'))).toEqual([{
      role: attribute(role.address, 'name'),
      policy_arn: `arn:\${${partition}.partition}:iam::aws:policy/AmazonSSMManagedInstanceCore`,
    }]);
    expect(Object.values(resourcesOf(json, 'aws_iam_instance_profile'))).toEqual([{
      name: 'migration-app-us-east-1-dev', role: attribute(role.address, 'name'), tags: { Name: 'migration-app-us-east-1-dev' },
    }]);
  });

  it('lets the role read the data layer\'s secret, decrypt it only through Secrets Manager, and write its log group', () => {
    const policies = Object.values(resourcesOf(json, 'aws_iam_role_policy'));
    expect(policies).toHaveLength(1);
    expect(policies[0].role).toBe(attribute(role.address, 'id'));
    expect(policyDocument(json, policies[0].policy).statement).toEqual([
      {
        sid: 'ReadDatabaseSecret', effect: 'Allow',
        actions: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
        resources: [fromData('DBSecretArn')],
      },
      {
        sid: 'DecryptDatabaseSecretThroughSecretsManager', effect: 'Allow',
        actions: ['kms:Decrypt'],
        resources: [fromData('DataKmsKeyArn')],
        condition: [
          { test: 'StringEquals', variable: 'kms:ViaService', values: [`secretsmanager.us-east-1.\${${partition}.dns_suffix}`] },
          { test: 'StringEquals', variable: 'kms:EncryptionContext:SecretARN', values: [fromData('DBSecretArn')] },
        ],
      },
      {
        sid: 'WriteAppLogs', effect: 'Allow',
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
        resources: [attribute(logGroup.address, 'arn'), `${attribute(logGroup.address, 'arn')}:*`],
      },
    ]);
  });

  it('keeps the app logs in a log group of this layer with the configured retention', () => {
    expect(logGroup.body).toEqual({ name: '/ec2/migration-app-dev', retention_in_days: 365, tags: { Name: 'migration-app-logs-dev' } });
  });

  it('boots the latest arm64 Amazon Linux 2023 for the default Graviton type', () => {
    expect(Object.values(json.data.aws_ssm_parameter)).toEqual([{ name: '/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64' }]);
    const parameter = `data.aws_ssm_parameter.${Object.keys(json.data.aws_ssm_parameter)[0]}`;
    for (const color of ['blue', 'green']) {
      expect(launchTemplate(color).body).toMatchObject({ image_id: `\${${parameter}.insecure_value}`, instance_type: 't4g.small' });
    }
  });

  it.each(['blue', 'green'])('builds the %s launch template: IMDSv2, encrypted gp3, monitoring, app group, instance profile', (color) => {
    const profile = only(json, 'aws_iam_instance_profile', 'name', 'migration-app-us-east-1-dev');
    expect(launchTemplate(color).body).toMatchObject({
      iam_instance_profile: { arn: attribute(profile.address, 'arn') },
      vpc_security_group_ids: [fromNetwork('AppSecurityGroupId')],
      metadata_options: { http_endpoint: 'enabled', http_tokens: 'required', http_put_response_hop_limit: 1 },
      monitoring: { enabled: true },
      block_device_mappings: [{ device_name: '/dev/xvda', ebs: { volume_type: 'gp3', volume_size: 20, encrypted: 'true', delete_on_termination: 'true' } }],
      update_default_version: true,
      tags: { Name: `migration-${color}-app-dev`, Color: color },
    });
  });

  it.each(['blue', 'green'])('tags what the %s launch template creates with the full set and the colour (seed fix 9)', (color) => {
    const tags = { Environment: 'dev', Project: 'migration', CostCenter: 'migration', Owner: 'platform-team', ManagedBy: 'cdktf', Layer: 'app', Name: `migration-${color}-app-dev`, Color: color };
    expect(launchTemplate(color).body.tag_specifications).toEqual([
      { resource_type: 'instance', tags },
      { resource_type: 'volume', tags },
      { resource_type: 'network-interface', tags },
    ]);
  });

  it('renders each colour\'s boot script with the secret ARN and endpoint as references, and no release by default', () => {
    for (const color of ['blue', 'green']) {
      const script = bootScript(color);
      expect(script).toContain(`readonly APP_COLOR='${color}'\n`);
      expect(script).toContain(`readonly DB_SECRET_ARN='${fromData('DBSecretArn')}'\n`);
      expect(script).toContain(`readonly DB_HOST='${fromData('RDSAddress')}'\n`);
      expect(script).toContain(`readonly DB_PORT='${fromData('RDSPort')}'\n`);
      expect(script).toContain("readonly RELEASE_URI=''\n");
      expect(script).toContain("readonly CORRETTO_VERSION='21'\n");
      expect(script).toContain("readonly HEALTH_CHECK_PATH='/health'\n");
      // The shell's own ${...} reach the instance as written: Terraform sees them escaped.
      expect(script).toContain('readonly ROOT=$${ROOT:-}');
      expect(script.replace(/\$\{data\.terraform_remote_state\.data-state\.outputs\.\w+\}/g, '')).not.toMatch(/(^|[^$])\$\{/);
    }
  });

  it.each(['blue', 'green'])('checks at plan time that the %s boot script\'s references fit their quotes', (color) => {
    expect(launchTemplate(color).body.lifecycle.precondition.map((check: { condition: string }) => check.condition)).toEqual(
      ['DBSecretArn', 'RDSAddress', 'RDSPort', 'DatabaseName'].map((name) => `\${can(regex("^[-A-Za-z0-9:/_+=.@]+$", data.terraform_remote_state.data-state.outputs.${name}))}`));
  });

  it.each([
    ['blue', { desired_capacity: 2, min_size: 2, max_size: 4 }],
    ['green', { desired_capacity: 0, min_size: 0, max_size: 4 }],
  ])('runs the %s fleet on its launch template\'s latest version, behind its target group, in the private subnets', (color, capacity) => {
    const template = launchTemplate(color).address;
    expect(fleet(color).body).toMatchObject({
      ...capacity,
      launch_template: { id: attribute(template, 'id'), version: attribute(template, 'latest_version') },
      vpc_zone_identifier: fromNetwork('PrivateSubnetIds'),
      target_group_arns: [fromNetwork(color === 'blue' ? 'BlueTargetGroupArn' : 'GreenTargetGroupArn')],
      health_check_type: 'ELB',
      health_check_grace_period: 300,
      // Launch before terminating: never below 90% of the capacity, up to twice it while refreshing.
      instance_refresh: { strategy: 'Rolling', preferences: { min_healthy_percentage: 90, max_healthy_percentage: 200, skip_matching: true } },
      // Instances register only once the listener rule has put the target group to use, and boot only once the
      // instance role has the policies the boot script reads the release and the secret with.
      depends_on: [
        `aws_lb_listener_rule.${Object.keys(resourcesOf(json, 'aws_lb_listener_rule'))[0]}`,
        `aws_iam_role_policy_attachment.${Object.keys(resourcesOf(json, 'aws_iam_role_policy_attachment'))[0]}`,
        `aws_iam_role_policy.${Object.keys(resourcesOf(json, 'aws_iam_role_policy'))[0]}`,
      ],
    });
  });

  it.each(['blue', 'green'])('propagates every tag of the %s fleet to its instances (seed fix 10)', (color) => {
    expect(fleet(color).body.tag).toEqual([
      ['Environment', 'dev'], ['Project', 'migration'], ['CostCenter', 'migration'], ['Owner', 'platform-team'], ['ManagedBy', 'cdktf'],
      ['Layer', 'app'], ['Name', `migration-${color}-app-dev`], ['Color', color],
    ].map(([key, value]) => ({ key, value, propagate_at_launch: true })));
  });

  it.each(['blue', 'green'])('scales the %s fleet by target tracking on CPU', (color) => {
    expect(only(json, 'aws_autoscaling_policy', 'name', `migration-${color}-cpu-target-dev`).body).toEqual({
      name: `migration-${color}-cpu-target-dev`,
      autoscaling_group_name: attribute(fleet(color).address, 'name'),
      policy_type: 'TargetTrackingScaling',
      target_tracking_configuration: { predefined_metric_specification: { predefined_metric_type: 'ASGAverageCPUUtilization' }, target_value: 50 },
    });
  });

  it('sends every path on the serving listener to blue and green by weight, 100/0, without stickiness', () => {
    expect(Object.values(resourcesOf(json, 'aws_lb_listener_rule'))).toEqual([{
      listener_arn: fromNetwork('TrafficListenerArn'),
      priority: 100,
      condition: [{ path_pattern: { values: ['/*'] } }],
      action: [{
        type: 'forward',
        forward: { target_group: [{ arn: fromNetwork('BlueTargetGroupArn'), weight: 100 }, { arn: fromNetwork('GreenTargetGroupArn'), weight: 0 }] },
      }],
      tags: { Name: 'migration-traffic-rule-dev' },
    }]);
  });

  it('publishes every contract output from the resource it names', () => {
    const expected: Record<keyof typeof CONTRACT.app, string> = {
      BlueAutoScalingGroupName: attribute(fleet('blue').address, 'name'),
      GreenAutoScalingGroupName: attribute(fleet('green').address, 'name'),
      BlueLaunchTemplateId: attribute(launchTemplate('blue').address, 'id'),
      GreenLaunchTemplateId: attribute(launchTemplate('green').address, 'id'),
      InstanceRoleArn: attribute(role.address, 'arn'),
      AppLogGroupName: attribute(logGroup.address, 'name'),
      BlueWeight: '100',
      GreenWeight: '0',
    };
    expect(Object.fromEntries(Object.entries(json.output).map(([name, output]: [string, any]) => [name, output.value]))).toEqual(expected);
  });
});

describe('app layer alarms, alerts and dashboard', () => {
  const alarmNames = (json: StackJson) => Object.values(resourcesOf(json, 'aws_cloudwatch_metric_alarm')).map((alarm) => alarm.alarm_name).sort();

  it('watches the hosts of the colours that carry traffic only, alarming into the network layer\'s topic', () => {
    const { json } = synthApp();
    expect(alarmNames(json)).toEqual(['migration-blue-no-healthy-hosts-dev', 'migration-blue-unhealthy-hosts-dev']);
    for (const alarm of Object.values(resourcesOf(json, 'aws_cloudwatch_metric_alarm'))) {
      expect(alarm.dimensions).toEqual({ LoadBalancer: fromNetwork('AlbArnSuffix'), TargetGroup: fromNetwork('BlueTargetGroupArnSuffix') });
      expect(alarm.alarm_actions).toEqual([fromNetwork('AlertTopicArn')]);
    }
    const shifting = synthApp({ GREEN_CAPACITY: '2/2/4', BLUE_WEIGHT: '90', GREEN_WEIGHT: '10' }).json;
    expect(alarmNames(shifting)).toEqual([
      'migration-blue-no-healthy-hosts-dev', 'migration-blue-unhealthy-hosts-dev', 'migration-green-no-healthy-hosts-dev', 'migration-green-unhealthy-hosts-dev',
    ]);
  });

  it('combines the alarms that mean users are affected, from every layer, into one platform health alarm', () => {
    const { json } = synthApp();
    const [composite] = Object.values(resourcesOf(json, 'aws_cloudwatch_composite_alarm'));
    const noHealthy = only(json, 'aws_cloudwatch_metric_alarm', 'alarm_name', 'migration-blue-no-healthy-hosts-dev').address;
    expect(composite.alarm_name).toBe('migration-platform-health-dev');
    expect(composite.alarm_rule).toBe('${join(" OR ", formatlist("ALARM(\\"%s\\")", concat(' +
      'data.terraform_remote_state.network-state.outputs.LoadBalancerAlarmNames, data.terraform_remote_state.data-state.outputs.DatabaseAlarmNames, ' +
      `[${noHealthy}.alarm_name])))}`);
    expect(composite.alarm_actions).toEqual([fromNetwork('AlertTopicArn')]);
  });

  it('alerts on failed launches of either fleet, and graphs both fleets side by side', () => {
    const { json, fleet } = synthApp();
    const [rule] = Object.values(resourcesOf(json, 'aws_cloudwatch_event_rule'));
    expect(JSON.parse(rule.event_pattern)).toEqual({
      source: ['aws.autoscaling'],
      'detail-type': ['EC2 Instance Launch Unsuccessful'],
      detail: { AutoScalingGroupName: [attribute(fleet('blue').address, 'name'), attribute(fleet('green').address, 'name')] },
    });
    expect(Object.values(resourcesOf(json, 'aws_cloudwatch_event_target')).map((target) => target.arn)).toEqual([fromNetwork('AlertTopicArn')]);
    const [dashboard] = Object.values(resourcesOf(json, 'aws_cloudwatch_dashboard'));
    expect(dashboard.dashboard_name).toBe('migration-platform-dev');
    for (const source of [attribute(fleet('blue').address, 'name'), attribute(fleet('green').address, 'name'), fromData('DBInstanceIdentifier'), fromData('RotationFunctionName'), fromNetwork('AlbArnSuffix')]) {
      expect(dashboard.dashboard_body).toContain(source);
    }
  });
});

describe('app layer during a release', () => {
  const env = {
    BLUE_RELEASE: RELEASE, GREEN_RELEASE: NEXT_RELEASE, GREEN_CAPACITY: '2/2/4', BLUE_WEIGHT: '90', GREEN_WEIGHT: '10',
    INSTANCE_TYPE: 'm7i.large', CORRETTO_VERSION: '17',
  };
  const { json, partition, launchTemplate, fleet, bootScript } = synthApp(env);

  it('lets the role read exactly the two release objects, and nothing else in their bucket', () => {
    const policy = Object.values(resourcesOf(json, 'aws_iam_role_policy'))[0];
    expect(policyDocument(json, policy.policy).statement.find((statement) => statement.sid === 'ReadReleases')).toEqual({
      sid: 'ReadReleases', effect: 'Allow', actions: ['s3:GetObject'],
      resources: [`arn:\${${partition}.partition}:s3:::acme-releases/shop/1.2.3/shop-1.2.3.jar`, `arn:\${${partition}.partition}:s3:::acme-releases/shop/1.3.0/shop-1.3.0.jar`],
    });
  });

  it('gives each colour its own release and the configured Java', () => {
    expect(bootScript('blue')).toContain(`readonly RELEASE_URI='${RELEASE}'\n`);
    expect(bootScript('green')).toContain(`readonly RELEASE_URI='${NEXT_RELEASE}'\n`);
    expect(bootScript('green')).toContain("readonly CORRETTO_VERSION='17'\n");
  });

  it('boots x86_64 Amazon Linux for an Intel type', () => {
    expect(Object.values(json.data.aws_ssm_parameter)).toEqual([{ name: '/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64' }]);
    expect(launchTemplate('green').body.instance_type).toBe('m7i.large');
  });

  it('scales green up and shifts 10% of the traffic to it', () => {
    expect(fleet('green').body).toMatchObject({ desired_capacity: 2, min_size: 2, max_size: 4 });
    const rule = Object.values(resourcesOf(json, 'aws_lb_listener_rule'))[0];
    expect(rule.action[0].forward.target_group.map((group: { weight: number }) => group.weight)).toEqual([90, 10]);
    expect(json.output.BlueWeight.value).toBe('90');
    expect(json.output.GreenWeight.value).toBe('10');
  });
});

describe('the instance type decides the AMI architecture', () => {
  it.each([
    ['t4g.small', 'arm64'], ['m7g.large', 'arm64'], ['c6gn.xlarge', 'arm64'], ['r7gd.2xlarge', 'arm64'], ['x2gd.metal', 'arm64'],
    ['im4gn.large', 'arm64'], ['is4gen.medium', 'arm64'], ['g5g.xlarge', 'arm64'], ['hpc7g.16xlarge', 'arm64'], ['a1.medium', 'arm64'],
    ['m8g.metal-24xl', 'arm64'],
    ['t3.micro', 'x86_64'], ['t3a.small', 'x86_64'], ['m7i.large', 'x86_64'], ['m7i-flex.large', 'x86_64'], ['c5n.9xlarge', 'x86_64'],
    ['r7iz.large', 'x86_64'], ['g4dn.xlarge', 'x86_64'], ['m6a.large', 'x86_64'], ['inf2.xlarge', 'x86_64'], ['x2iedn.xlarge', 'x86_64'],
  ])('%s is %s', (type, architecture) => {
    expect(instanceArchitecture(type)).toBe(architecture);
  });

  it.each(['mac2.metal', 'u-6tb1.metal', 't4g', 'T4G.small', 'm7g.huge', 'foo1.large', ''])('%j is refused', (type) => {
    expect(instanceArchitecture(type)).toBeUndefined();
  });
});

describe('app settings', () => {
  it('defaults to a Graviton type, Corretto 21, no releases, blue 2/2/4 with all traffic, green 0/0/4', () => {
    expect(load({}).app).toEqual({
      instanceType: 't4g.small',
      architecture: 'arm64',
      correttoVersion: 21,
      colors: {
        blue: { release: undefined, capacity: { desired: 2, min: 2, max: 4 }, weight: 100 },
        green: { release: undefined, capacity: { desired: 0, min: 0, max: 4 }, weight: 0 },
      },
    });
  });

  it('reads a release as its bucket and key', () => {
    expect(load({ GREEN_RELEASE: NEXT_RELEASE }).app.colors.green.release).toEqual({ uri: NEXT_RELEASE, bucket: 'acme-releases', key: 'shop/1.3.0/shop-1.3.0.jar' });
  });

  it.each([
    [{ INSTANCE_TYPE: 'mac2.metal' }, 'INSTANCE_TYPE "mac2.metal" is not allowed: use an EC2 instance type such as t4g.small or m7i.large'],
    [{ CORRETTO_VERSION: '22' }, 'CORRETTO_VERSION "22" is not allowed: use one of 11, 17, 21, 25'],
    [{ CORRETTO_VERSION: '17' }, 'CORRETTO_VERSION "17" is too old for the built-in health service that colours without a release run (jdk.httpserver needs Java 18 or later): use 21 or 25, or set both BLUE_RELEASE and GREEN_RELEASE'],
    [{ BLUE_RELEASE: 'https://example.com/shop.jar' }, 'BLUE_RELEASE "https://example.com/shop.jar" is not allowed: use the S3 URI of the application\'s executable jar, s3://<bucket>/<key>.jar'],
    [{ GREEN_RELEASE: 's3://acme-releases/shop/*.jar' }, 'GREEN_RELEASE "s3://acme-releases/shop/*.jar" is not allowed'],
    [{ GREEN_RELEASE: 's3://acme-releases/shop/1.3.0/shop.war' }, 'GREEN_RELEASE "s3://acme-releases/shop/1.3.0/shop.war" is not allowed'],
    [{ BLUE_CAPACITY: '2-2-4' }, 'BLUE_CAPACITY "2-2-4" is not allowed: use desired/min/max instance counts, such as 2/2/4'],
    [{ BLUE_CAPACITY: '2/3/2' }, 'BLUE_CAPACITY "2/3/2" is not allowed: max (2) is below min (3); use desired/min/max with min <= desired <= max'],
    [{ GREEN_CAPACITY: '5/0/4' }, 'GREEN_CAPACITY "5/0/4" is not allowed: desired (5) is outside min..max (0..4); use desired/min/max with min <= desired <= max'],
    [{ BLUE_WEIGHT: '150', GREEN_WEIGHT: '0' }, 'BLUE_WEIGHT "150" is not allowed: use a whole number of percent from 0 to 100'],
    [{ BLUE_WEIGHT: 'half' }, 'BLUE_WEIGHT "half" is not allowed: use a whole number of percent from 0 to 100'],
    [{ BLUE_WEIGHT: '60', GREEN_WEIGHT: '30', GREEN_CAPACITY: '2/2/4' }, 'GREEN_WEIGHT "30" is not allowed: with BLUE_WEIGHT "60" the weights add up to 90, but they are shares of the traffic and must add up to 100'],
    [{ BLUE_WEIGHT: '90', GREEN_WEIGHT: '10' }, 'GREEN_CAPACITY "0/0/4" is not allowed: GREEN_WEIGHT is 10, so the green fleet takes traffic and needs at least one instance; use a min of 1 or more (such as 2/2/4), or set GREEN_WEIGHT to 0'],
    [{ BLUE_CAPACITY: '0/0/4' }, 'BLUE_CAPACITY "0/0/4" is not allowed: BLUE_WEIGHT is 100, so the blue fleet takes traffic'],
    [{ HEALTH_CHECK_PATH: '/a/../etc/passwd' }, 'HEALTH_CHECK_PATH "/a/../etc/passwd" cannot be served by the built-in health service'],
  ])('refuses %j, saying what is allowed', (env, message) => {
    expect(problemsOf(env)).toEqual([expect.stringContaining(message)]);
  });

  it('accepts Corretto 17 and any health check path once both colours run a release', () => {
    expect(() => load({ CORRETTO_VERSION: '17', HEALTH_CHECK_PATH: '/a/%2e%2e', BLUE_RELEASE: RELEASE, GREEN_RELEASE: NEXT_RELEASE })).not.toThrow();
  });

  it('stops synthesis of the whole app with the message', () => {
    expect(() => synthPlatform({ GREEN_WEIGHT: '100', BLUE_WEIGHT: '0' })).toThrow(/GREEN_CAPACITY "0\/0\/4" is not allowed/);
  });
});

const terraformFound = spawnSync('terraform', ['version'], { encoding: 'utf8' }).status === 0;
(terraformFound ? describe : describe.skip)('the user data through a real Terraform (needs terraform on PATH)', () => {
  it('is exactly the rendered boot script once Terraform fills in the data layer\'s values', () => {
    const { json, bootScript } = synthApp({ GREEN_RELEASE: NEXT_RELEASE });
    const dir = mkdtempSync(join(tmpdir(), 'app-user-data-'));
    try {
      const dataOutputs = {
        DBSecretArn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:migration-db-dev-AbCdEf',
        RDSAddress: 'migration-db-dev.c1abc.us-east-1.rds.amazonaws.com',
        RDSPort: '5432',
        DatabaseName: 'orders',
      };
      writeFileSync(join(dir, 'data.tfstate'), JSON.stringify({
        version: 4, terraform_version: '1.11.0', serial: 1, lineage: 'test', resources: [],
        outputs: Object.fromEntries(Object.entries(dataOutputs).map(([name, value]) => [name, { value, type: 'string' }])),
      }));
      const locals = Object.fromEntries(Object.keys(json.locals).map((name) => [name, json.locals[name]]));
      writeFileSync(join(dir, 'main.tf.json'), JSON.stringify({
        data: { terraform_remote_state: { 'data-state': { backend: 'local', config: { path: join(dir, 'data.tfstate') } } } },
        locals,
        output: { blue: { value: `\${local.${Object.keys(locals).find((name) => name.startsWith('blue'))}}` }, green: { value: `\${local.${Object.keys(locals).find((name) => name.startsWith('green'))}}` } },
      }));
      const terraform = (...args: string[]) => execFileSync('terraform', args, {
        cwd: dir, env: { ...process.env, TF_IN_AUTOMATION: '1', CHECKPOINT_DISABLE: '1' }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'],
      });
      terraform('init', '-input=false', '-no-color');
      terraform('apply', '-auto-approve', '-input=false', '-no-color');
      const common = { region: 'us-east-1', appPort: 8080, healthCheckPath: '/health', correttoVersion: 21, dbSecretArn: dataOutputs.DBSecretArn, dbHost: dataOutputs.RDSAddress, dbPort: dataOutputs.RDSPort, dbName: dataOutputs.DatabaseName, logGroupName: '/ec2/migration-app-dev' };
      expect(terraform('output', '-raw', 'blue')).toBe(renderBootScript({ ...common, color: 'blue' }));
      expect(terraform('output', '-raw', 'green')).toBe(renderBootScript({ ...common, color: 'green', releaseUri: NEXT_RELEASE }));
      expect(bootScript('blue')).not.toBe(renderBootScript({ ...common, color: 'blue' }));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
