/**
 * Every rule, proven both ways: the compliant fixture (real provider bindings, the shapes cdktf synthesizes)
 * passes it, and at least one change to that fixture breaks it, with the address and severity asserted.
 * Values the rules cannot read (`${...}`) must come back undecided, never as a guess.
 */
import { gzipSync } from 'zlib';
import { ALL_RULES, checkStack, PolicyContext } from '../modules/policy/policy';
import { BOOT_SCRIPT, compliantStack } from './fixtures/compliant-stack';

const base = compliantStack();
type Json = Record<string, any>;

interface Case {
  readonly rule: string;
  readonly name: string;
  readonly change: (json: Json) => void;
  /** Findings of the rule, as `severity address` (plus a message fragment when given). */
  readonly expected: string[];
  readonly message?: RegExp;
  readonly context?: Partial<PolicyContext>;
}

const r = (json: Json) => json.resource;
const b64 = (text: string) => Buffer.from(text).toString('base64');
const policyDoc = (json: Json, name: string) => json.data.aws_iam_policy_document[name];
const jsonPolicy = (statement: Record<string, unknown>) => JSON.stringify({ Version: '2012-10-17', Statement: [statement] });

function findings(json: Json, rule: string, context: Partial<PolicyContext> = {}) {
  return checkStack(json, { ...base.context, ...context }).findings.filter((finding) => finding.rule === rule);
}

const CASES: Case[] = [
  // observability
  { rule: 'alarm-actions', name: 'an alarm that tells nobody', change: (j) => { delete r(j).aws_cloudwatch_metric_alarm['db-cpu'].alarm_actions; }, expected: ['error aws_cloudwatch_metric_alarm.db-cpu'], message: /no alarm_actions/ },
  { rule: 'alarm-actions', name: 'an alarm with its actions off', change: (j) => { r(j).aws_cloudwatch_metric_alarm['db-cpu'].actions_enabled = false; }, expected: ['error aws_cloudwatch_metric_alarm.db-cpu'], message: /actions_enabled = false/ },
  { rule: 'alarm-actions', name: 'actions from a variable', change: (j) => { r(j).aws_cloudwatch_metric_alarm['db-cpu'].alarm_actions = '${var.topics}'; }, expected: ['undecided aws_cloudwatch_metric_alarm.db-cpu'] },
  { rule: 'event-rule-target', name: 'a rule without a target', change: (j) => { delete r(j).aws_cloudwatch_event_target; }, expected: ['error aws_cloudwatch_event_rule.rotation-failed'], message: /no aws_cloudwatch_event_target/ },
  { rule: 'event-rule-target', name: 'a target of a rule from a variable', change: (j) => { r(j).aws_cloudwatch_event_target['rotation-failed-alert'].rule = '${var.rule}'; }, expected: ['undecided aws_cloudwatch_event_rule.rotation-failed'] },
  // tags
  { rule: 'default-tags', name: 'a tag missing from default_tags', change: (j) => { delete j.provider.aws[0].default_tags[0].tags.CostCenter; }, expected: ['error provider.aws[0]'], message: /lacks CostCenter/ },
  { rule: 'name-tag', name: 'no Name tag', change: (j) => { delete r(j).aws_vpc.vpc.tags; }, expected: ['error aws_vpc.vpc'] },
  { rule: 'name-tag', name: 'a Name of another environment', change: (j) => { r(j).aws_vpc.vpc.tags.Name = 'shop-vpc-dev'; }, expected: ['error aws_vpc.vpc'], message: /lacks the environment suffix "prod"/ },
  { rule: 'name-tag', name: 'tags from an expression', change: (j) => { r(j).aws_vpc.vpc.tags = '${var.tags}'; }, expected: ['undecided aws_vpc.vpc'] },
  { rule: 'name-suffix', name: 'a name without the suffix', change: (j) => { r(j).aws_db_instance.db.identifier = 'shop-db'; }, expected: ['error aws_db_instance.db'], message: /identifier "shop-db"/ },
  { rule: 'name-suffix', name: 'a suffix inside a word', change: (j) => { r(j).aws_security_group['app-sg'].name = 'shop-products'; }, expected: ['error aws_security_group.app-sg'] },
  { rule: 'name-suffix', name: 'a name from a variable', change: (j) => { r(j).aws_security_group['app-sg'].name = '${var.name}'; }, expected: ['undecided aws_security_group.app-sg'] },
  { rule: 'launch-template-tags', name: 'volumes untagged', change: (j) => { r(j).aws_launch_template.blue.tag_specifications = r(j).aws_launch_template.blue.tag_specifications.filter((s: Json) => s.resource_type !== 'volume'); }, expected: ['error aws_launch_template.blue'], message: /volume/ },
  { rule: 'asg-tag-propagation', name: 'a tag kept on the group', change: (j) => { r(j).aws_autoscaling_group['blue-fleet'].tag[1].propagate_at_launch = false; }, expected: ['error aws_autoscaling_group.blue-fleet'], message: /"Environment" does not propagate/ },
  { rule: 'asg-tag-propagation', name: 'no Project tag', change: (j) => { r(j).aws_autoscaling_group['blue-fleet'].tag.splice(2, 1); }, expected: ['error aws_autoscaling_group.blue-fleet'], message: /no Project tag/ },
  // network
  { rule: 'security-group-description', name: 'a quote in a description', change: (j) => { r(j).aws_security_group['app-sg'].description = "App's servers"; }, expected: ['error aws_security_group.app-sg'] },
  { rule: 'security-group-description', name: 'an inline rule without one', change: (j) => { r(j).aws_security_group['app-sg'].egress = [{ from_port: 443, to_port: 443, protocol: 'tcp', cidr_blocks: ['0.0.0.0/0'] }]; }, expected: ['error aws_security_group.app-sg'] },
  { rule: 'internet-ingress', name: 'SSH from the internet', change: (j) => { r(j).aws_vpc_security_group_ingress_rule['app-in-22'].cidr_ipv4 = '0.0.0.0/0'; }, expected: ['error aws_vpc_security_group_ingress_rule.app-in-22'], message: /SSH 22/ },
  { rule: 'internet-ingress', name: 'all traffic from anywhere over IPv6, inline', change: (j) => { r(j).aws_security_group['app-sg'].ingress = [{ protocol: '-1', from_port: 0, to_port: 0, ipv6_cidr_blocks: ['::/0'], description: 'all' }]; }, expected: ['error aws_security_group.app-sg'], message: /ports 0-65535 \(SSH 22, SQL Server 1433, MySQL 3306, RDP 3389, PostgreSQL 5432, Redis 6379\)/ },
  { rule: 'internet-ingress', name: 'PostgreSQL through aws_security_group_rule', change: (j) => { r(j).aws_security_group_rule = { db: { type: 'ingress', security_group_id: '${aws_security_group.app-sg.id}', from_port: 5432, to_port: 5432, protocol: 'tcp', cidr_blocks: ['0.0.0.0/0'], description: 'db' } }; }, expected: ['error aws_security_group_rule.db'] },
  { rule: 'internet-ingress', name: '443 open on a group no load balancer uses', change: (j) => { r(j).aws_vpc_security_group_ingress_rule['alb-in-443'].security_group_id = '${aws_security_group.app-sg.id}'; }, expected: ['error aws_vpc_security_group_ingress_rule.alb-in-443'], message: /which no load balancer/ },
  { rule: 'internet-ingress', name: '443 open on a group from another stack', change: (j) => { r(j).aws_vpc_security_group_ingress_rule['alb-in-443'].security_group_id = 'sg-0123456789abcdef0'; }, expected: ['undecided aws_vpc_security_group_ingress_rule.alb-in-443'] },
  { rule: 'internet-ingress', name: 'a source from a variable', change: (j) => { r(j).aws_vpc_security_group_ingress_rule['app-in-22'].cidr_ipv4 = '${var.ssh_cidr}'; }, expected: ['undecided aws_vpc_security_group_ingress_rule.app-in-22'] },
  { rule: 'default-security-group', name: 'rules left in the default group', change: (j) => { r(j).aws_default_security_group['default-sg'].ingress = [{ protocol: '-1', from_port: 0, to_port: 0, self: true }]; }, expected: ['error aws_default_security_group.default-sg'] },
  { rule: 'default-security-group', name: 'the default group left to AWS', change: (j) => { delete r(j).aws_default_security_group; }, expected: ['error aws_vpc.vpc'] },
  { rule: 'vpc-flow-logs', name: 'no flow log', change: (j) => { delete r(j).aws_flow_log; }, expected: ['error aws_vpc.vpc'] },
  // load balancer
  { rule: 'https-listeners', name: 'an old TLS policy', change: (j) => { r(j).aws_lb_listener.https.ssl_policy = 'ELBSecurityPolicy-2016-08'; }, expected: ['error aws_lb_listener.https'] },
  { rule: 'https-listeners', name: 'HTTP serving beside HTTPS', change: (j) => { r(j).aws_lb_listener.http.default_action = [{ type: 'forward', target_group_arn: 'x' }]; }, expected: ['error aws_lb_listener.http'] },
  { rule: 'https-only-outside-dev', name: 'HTTP only in production', change: (j) => { delete r(j).aws_lb_listener.https; r(j).aws_lb_listener.http.default_action = [{ type: 'fixed-response' }]; }, expected: ['error aws_lb_listener.http'] },
  { rule: 'https-only-outside-dev', name: 'HTTP only in development', change: (j) => { delete r(j).aws_lb_listener.https; r(j).aws_lb_listener.http.default_action = [{ type: 'fixed-response' }]; }, expected: ['warning aws_lb_listener.http'], context: { isDev: true } },
  { rule: 'load-balancer-access-logs', name: 'logs off', change: (j) => { r(j).aws_lb.alb.access_logs.enabled = false; }, expected: ['error aws_lb.alb'] },
  { rule: 'load-balancer-access-logs', name: 'logs switched by a variable', change: (j) => { r(j).aws_lb.alb.access_logs.enabled = '${var.logs}'; }, expected: ['undecided aws_lb.alb'] },
  { rule: 'load-balancer-invalid-headers', name: 'invalid headers passed on', change: (j) => { delete r(j).aws_lb.alb.drop_invalid_header_fields; }, expected: ['error aws_lb.alb'] },
  // IAM
  { rule: 'iam-wildcard-actions', name: 'service:* in a role policy document', change: (j) => { policyDoc(j, 'rotation-permissions').statement[0].actions = ['secretsmanager:*']; }, expected: ['error data.aws_iam_policy_document.rotation-permissions'], message: /allows secretsmanager:\*/ },
  { rule: 'iam-wildcard-actions', name: 'kms:* in a JSON key policy', change: (j) => { r(j).aws_kms_key.key.policy = jsonPolicy({ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::123456789012:root' }, Action: 'kms:*', Resource: '*' }); }, expected: ['error aws_kms_key.key'], message: /^policy: a statement allows kms:\*/ },
  { rule: 'iam-wildcard-actions', name: 'NotAction in an inline role policy', change: (j) => { r(j).aws_iam_role['rotation-role'].inline_policy = [{ name: 'x', policy: jsonPolicy({ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' }) }]; }, expected: ['error aws_iam_role.rotation-role'], message: /NotAction/ },
  { rule: 'iam-wildcard-actions', name: 'an endpoint policy open without a condition', change: (j) => { delete policyDoc(j, 'endpoint-policy').statement[0].condition; }, expected: ['error data.aws_iam_policy_document.endpoint-policy'] },
  { rule: 'iam-wildcard-actions', name: 'a policy from jsonencode', change: (j) => { r(j).aws_iam_role_policy['rotation-policy'].policy = '${jsonencode({Statement = [{Effect = "Allow", Action = "*", Resource = "*"}]})}'; }, expected: ['undecided aws_iam_role_policy.rotation-policy'] },
  { rule: 'iam-named-resources', name: 'GetSecretValue on *', change: (j) => { policyDoc(j, 'rotation-permissions').statement[0].resources = ['*']; }, expected: ['error data.aws_iam_policy_document.rotation-permissions'], message: /grants secretsmanager:GetSecretValue, secretsmanager:PutSecretValue on "\*"/ },
  { rule: 'iam-named-resources', name: '* in a JSON role policy', change: (j) => { r(j).aws_iam_role_policy['rotation-policy'].policy = jsonPolicy({ Sid: 'Logs', Effect: 'Allow', Action: ['logs:PutLogEvents'], Resource: '*' }); }, expected: ['error aws_iam_role_policy.rotation-policy'], message: /statement Logs grants logs:PutLogEvents/ },
  { rule: 'iam-named-resources', name: 'NotResource', change: (j) => { r(j).aws_iam_role_policy['rotation-policy'].policy = jsonPolicy({ Effect: 'Allow', Action: 's3:GetObject', NotResource: 'arn:aws:s3:::private/*' }); }, expected: ['error aws_iam_role_policy.rotation-policy'] },
  { rule: 'iam-public-principals', name: 'a trust policy for anyone', change: (j) => { const s = policyDoc(j, 'lambda-trust').statement[0]; s.principals = [{ type: 'AWS', identifiers: ['*'] }]; delete s.condition; }, expected: ['error data.aws_iam_policy_document.lambda-trust'] },
  { rule: 'iam-public-principals', name: 'a key policy for anyone', change: (j) => { r(j).aws_kms_key.key.policy = jsonPolicy({ Effect: 'Allow', Principal: '*', Action: 'kms:Decrypt', Resource: '*' }); }, expected: ['error aws_kms_key.key'] },
  { rule: 'iam-admin-policies', name: 'AdministratorAccess attached', change: (j) => { r(j).aws_iam_role_policy_attachment = { admin: { role: '${aws_iam_role.rotation-role.name}', policy_arn: 'arn:aws:iam::aws:policy/AdministratorAccess' } }; }, expected: ['error aws_iam_role_policy_attachment.admin'] },
  { rule: 'iam-admin-policies', name: 'PowerUserAccess through managed_policy_arns', change: (j) => { r(j).aws_iam_role['rotation-role'].managed_policy_arns = ['arn:aws:iam::aws:policy/PowerUserAccess']; }, expected: ['error aws_iam_role.rotation-role'] },
  // database
  { rule: 'db-storage-encrypted', name: 'unencrypted storage', change: (j) => { delete r(j).aws_db_instance.db.storage_encrypted; }, expected: ['error aws_db_instance.db'] },
  { rule: 'db-storage-encrypted', name: 'encryption from a variable', change: (j) => { r(j).aws_db_instance.db.storage_encrypted = '${var.encrypted}'; }, expected: ['undecided aws_db_instance.db'] },
  { rule: 'db-not-public', name: 'a public instance', change: (j) => { r(j).aws_db_instance.db.publicly_accessible = true; }, expected: ['error aws_db_instance.db'] },
  { rule: 'db-log-exports', name: 'the upgrade log not exported', change: (j) => { r(j).aws_db_instance.db.enabled_cloudwatch_logs_exports = ['postgresql']; }, expected: ['error aws_db_instance.db'], message: /lacks upgrade/ },
  { rule: 'db-backup-retention', name: 'one day of backups', change: (j) => { r(j).aws_db_instance.db.backup_retention_period = 1; }, expected: ['error aws_db_instance.db'] },
  { rule: 'db-backup-retention', name: 'no retention set', change: (j) => { delete r(j).aws_db_instance.db.backup_retention_period; }, expected: ['error aws_db_instance.db'] },
  { rule: 'db-multi-az', name: 'single-AZ in production', change: (j) => { r(j).aws_db_instance.db.multi_az = false; }, expected: ['error aws_db_instance.db'] },
  { rule: 'db-deletion-protection', name: 'unprotected in production', change: (j) => { delete r(j).aws_db_instance.db.deletion_protection; }, expected: ['error aws_db_instance.db'] },
  { rule: 'db-tls-required', name: 'rds.force_ssl 0', change: (j) => { r(j).aws_db_parameter_group.parameters.parameter.push({ name: 'rds.force_ssl', value: '0' }); }, expected: ['error aws_db_parameter_group.parameters'] },
  { rule: 'db-tls-required', name: 'PostgreSQL 14 relying on the default', change: (j) => { r(j).aws_db_parameter_group.parameters.family = 'postgres14'; }, expected: ['error aws_db_parameter_group.parameters'], message: /postgres14 does not require TLS by default/ },
  { rule: 'db-tls-required', name: 'PostgreSQL 14 on the default group', change: (j) => { delete r(j).aws_db_instance.db.parameter_group_name; r(j).aws_db_instance.db.engine_version = '14.7'; }, expected: ['error aws_db_instance.db'] },
  { rule: 'db-tls-required', name: 'a family from a variable', change: (j) => { r(j).aws_db_parameter_group.parameters.family = '${var.family}'; }, expected: ['undecided aws_db_parameter_group.parameters'] },
  { rule: 'db-log-statement', name: 'DDL logged', change: (j) => { r(j).aws_db_parameter_group.parameters.parameter.push({ name: 'log_statement', value: 'ddl' }); }, expected: ['error aws_db_parameter_group.parameters'] },
  // secrets
  { rule: 'secret-rotation', name: 'a database secret without rotation', change: (j) => { delete r(j).aws_secretsmanager_secret_rotation; }, expected: ['error aws_secretsmanager_secret.secret'], message: /database secret has no rotation/ },
  { rule: 'secret-rotation', name: 'rotation every 120 days', change: (j) => { r(j).aws_secretsmanager_secret_rotation['rotation-schedule'].rotation_rules.automatically_after_days = 120; }, expected: ['error aws_secretsmanager_secret_rotation.rotation-schedule'] },
  { rule: 'secret-rotation', name: 'a period from a variable', change: (j) => { r(j).aws_secretsmanager_secret_rotation['rotation-schedule'].rotation_rules.automatically_after_days = '${var.days}'; }, expected: ['undecided aws_secretsmanager_secret_rotation.rotation-schedule'] },
  { rule: 'secret-rotation-permission', name: 'no source_arn', change: (j) => { delete r(j).aws_lambda_permission['rotation-permission'].source_arn; }, expected: ['error aws_lambda_permission.rotation-permission'] },
  { rule: 'secret-kms-key', name: "AWS's default key", change: (j) => { delete r(j).aws_secretsmanager_secret.secret.kms_key_id; }, expected: ['error aws_secretsmanager_secret.secret'] },
  { rule: 'secret-kms-key', name: 'the AWS-managed alias', change: (j) => { r(j).aws_secretsmanager_secret.secret.kms_key_id = 'alias/aws/secretsmanager'; }, expected: ['error aws_secretsmanager_secret.secret'] },
  // compute
  { rule: 'imdsv2-required', name: 'IMDSv1 allowed', change: (j) => { r(j).aws_launch_template.blue.metadata_options.http_tokens = 'optional'; }, expected: ['error aws_launch_template.blue'] },
  { rule: 'imdsv2-required', name: 'no metadata options on an instance', change: (j) => { r(j).aws_instance = { bastion: { ami: 'ami-1', instance_type: 't4g.nano', root_block_device: { encrypted: true } } }; }, expected: ['error aws_instance.bastion'] },
  { rule: 'ebs-encrypted', name: 'an unencrypted root volume', change: (j) => { r(j).aws_launch_template.blue.block_device_mappings[0].ebs.encrypted = 'false'; }, expected: ['error aws_launch_template.blue'], message: /block device \/dev\/xvda is not encrypted/ },
  { rule: 'ebs-encrypted', name: 'volumes left to the AMI', change: (j) => { delete r(j).aws_launch_template.blue.block_device_mappings; }, expected: ['error aws_launch_template.blue'] },
  { rule: 'ebs-encrypted', name: 'an unencrypted volume', change: (j) => { r(j).aws_ebs_volume = { data: { availability_zone: 'us-east-1a', size: 10 } }; }, expected: ['error aws_ebs_volume.data'] },
  { rule: 'user-data-secrets', name: 'a password in the boot script', change: (j) => { r(j).aws_launch_template.blue.user_data = b64(`${BOOT_SCRIPT}\nexport DB_PASSWORD="hunter2-secret"\n`); }, expected: ['error aws_launch_template.blue'], message: /user_data line 7 sets DB_PASSWORD to a literal/ },
  { rule: 'user-data-secrets', name: 'a password in gzipped cloud-config', change: (j) => { r(j).aws_launch_template.blue.user_data = gzipSync('#cloud-config\nusers:\n  - name: ops\n    password: hunter2-secret\n').toString('base64'); }, expected: ['error aws_launch_template.blue'], message: /line 4 sets password/ },
  { rule: 'user-data-secrets', name: 'an access key id and a private key', change: (j) => { r(j).aws_launch_template.blue.user_data = b64('aws configure set aws_access_key_id AKIAIOSFODNN7EXAMPLE\ncat > /k <<EOF\n-----BEGIN RSA PRIVATE KEY-----\nEOF\n'); }, expected: ['error aws_launch_template.blue', 'error aws_launch_template.blue'] },
  { rule: 'user-data-secrets', name: 'user data rendered at plan time', change: (j) => { r(j).aws_launch_template.blue.user_data = '${base64encode(templatefile("boot.sh", {}))}'; }, expected: ['undecided aws_launch_template.blue'] },
  { rule: 'user-data-secrets', name: 'a generated password in the script template it encodes', change: (j) => { j.locals = { boot: "#!/bin/bash\nreadonly DB_SECRET_ARN='${aws_secretsmanager_secret.secret.arn}'\necho '${random_password.master.result}' > /etc/pw\n" }; r(j).aws_launch_template.blue.user_data = '${base64encode(local.boot)}'; }, expected: ['error aws_launch_template.blue'], message: /takes a value from random_password\.master/ },
  { rule: 'user-data-secrets', name: 'a password Terraform interpolates into the template', change: (j) => { j.locals = { boot: "DB_PASSWORD='${var.db_password}'\nROOT=$${ROOT:-}\n" }; r(j).aws_launch_template.blue.user_data = '${base64encode(local.boot)}'; }, expected: ['undecided aws_launch_template.blue'], message: /line 1 sets DB_PASSWORD to a value Terraform interpolates/ },
  { rule: 'lambda-environment-secrets', name: 'a literal password', change: (j) => { r(j).aws_lambda_function.rotation.environment.variables.DB_PASSWORD = 'hunter2-secret'; }, expected: ['error aws_lambda_function.rotation'], message: /DB_PASSWORD has a literal value/ },
  { rule: 'lambda-environment-secrets', name: 'a generated password copied in', change: (j) => { r(j).aws_lambda_function.rotation.environment.variables.MASTER = '${random_password.master.result}'; }, expected: ['error aws_lambda_function.rotation'], message: /random_password.master, secret material/ },
  { rule: 'lambda-environment-secrets', name: 'a token from a variable', change: (j) => { r(j).aws_lambda_function.rotation.environment.variables.API_TOKEN = '${var.token}'; }, expected: ['undecided aws_lambda_function.rotation'] },
  { rule: 'lambda-runtime-supported', name: 'a runtime past its end of support', change: (j) => { r(j).aws_lambda_function.rotation.runtime = 'nodejs18.x'; }, expected: ['error aws_lambda_function.rotation'], message: /reached its end of support on 2025-09-01/ },
  { rule: 'lambda-runtime-supported', name: 'a runtime months from its end of support', change: () => undefined, expected: ['warning aws_lambda_function.rotation'], message: /2027-04-30, in 120 days/, context: { today: new Date('2026-12-31T00:00:00Z') } },
  { rule: 'log-group-retention', name: 'logs kept forever', change: (j) => { delete r(j).aws_cloudwatch_log_group['rotation-logs'].retention_in_days; }, expected: ['error aws_cloudwatch_log_group.rotation-logs'] },
  // outputs
  { rule: 'layer-outputs', name: 'a contract output missing', change: (j) => { delete j.output; }, expected: ['error output.DBSecretArn'] },
  { rule: 'layer-outputs', name: 'a placeholder layer', change: (j) => { delete j.output; delete j.resource; delete j.data; }, expected: ['warning output'] },
  // suppressions
  { rule: 'suppressions', name: 'a suppression without a reason', change: (j) => { j['//'] = { policySuppressions: [{ rule: 'db-multi-az', reason: ' ', path: 'fixture/db' }] }; }, expected: ['error //.policySuppressions(fixture/db)'], message: /without a reason/ },
  { rule: 'suppressions', name: 'a suppression of no rule', change: (j) => { j['//'] = { policySuppressions: [{ rule: 'db-multiaz', reason: 'a long enough reason', path: 'fixture/db' }] }; }, expected: ['error //.policySuppressions(fixture/db)'], message: /"db-multiaz", which is no rule/ },
];

describe('the compliant fixture', () => {
  it('passes every rule, with nothing skipped', () => {
    const report = checkStack(base.json, base.context);
    expect(report.findings).toEqual([]);
    expect(report.skipped).toEqual([]);
  });

  it('has a case that breaks each rule', () => {
    expect(ALL_RULES.map((rule) => rule.id).filter((id) => !CASES.some((testCase) => testCase.rule === id))).toEqual([]);
  });
});

describe.each(CASES)('rule $rule', ({ rule, name, change, expected, message, context }) => {
  it(`finds ${name}`, () => {
    const json = structuredClone(base.json);
    change(json);
    const found = findings(json, rule, context);
    expect(found.map((finding) => `${finding.severity} ${finding.address}`)).toEqual(expected);
    if (message) expect(found.map((finding) => finding.message)).toContainEqual(expect.stringMatching(message));
    // A secret value never reaches a report.
    for (const finding of found) expect(finding.message).not.toMatch(/hunter2|AKIAIOSFODNN7EXAMPLE/);
  });
});

describe('rules that pass other compliant shapes', () => {
  const passes = (rule: string, change: (json: Json) => void, context: Partial<PolicyContext> = {}) => {
    const json = structuredClone(base.json);
    change(json);
    return findings(json, rule, context);
  };

  it('accept a rotation on a schedule expression', () => {
    expect(passes('secret-rotation', (j) => { r(j).aws_secretsmanager_secret_rotation['rotation-schedule'].rotation_rules = { schedule_expression: 'rate(30 days)' }; })).toEqual([]);
  });

  it('accept rds.force_ssl set to 1 on an old major, and log_statement none', () => {
    expect(passes('db-tls-required', (j) => { const g = r(j).aws_db_parameter_group.parameters; g.family = 'postgres14'; g.parameter.push({ name: 'rds.force_ssl', value: '1' }); })).toEqual([]);
    expect(passes('db-log-statement', (j) => { r(j).aws_db_parameter_group.parameters.parameter.push({ name: 'log_statement', value: 'none' }); })).toEqual([]);
  });

  it('relax Multi-AZ, deletion protection and HTTP-only in development only', () => {
    const singleAz = (j: Json) => { r(j).aws_db_instance.db.multi_az = false; r(j).aws_db_instance.db.deletion_protection = false; };
    expect(passes('db-multi-az', singleAz, { isDev: true })).toEqual([]);
    expect(passes('db-deletion-protection', singleAz, { isDev: true })).toEqual([]);
    expect(passes('db-multi-az', singleAz, { isDev: undefined }).map((finding) => finding.severity)).toEqual(['error']);
  });

  it('accept EBS encryption by default for the account instead of per volume', () => {
    expect(passes('ebs-encrypted', (j) => { delete r(j).aws_launch_template.blue.block_device_mappings; r(j).aws_ebs_encryption_by_default = { on: { enabled: true } }; })).toEqual([]);
  });

  it('accept secret ARNs, references and harmless names in Lambda environments and user data', () => {
    expect(passes('lambda-environment-secrets', (j) => {
      Object.assign(r(j).aws_lambda_function.rotation.environment.variables, { DB_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:1:secret:x', SECRET_ID: '${aws_secretsmanager_secret.secret.id}', TOKEN_TTL: '300' });
    })).toEqual([]);
    expect(passes('user-data-secrets', (j) => { r(j).aws_launch_template.blue.user_data = b64('#cloud-config\nwrite_files:\n  - path: /etc/app.env\n    content: |\n      DB_SECRET_ARN=arn:aws:secretsmanager:us-east-1:1:secret:x\n'); })).toEqual([]);
  });

  it('read user data from the template it encodes, taking ARNs and shell expansions for what they are', () => {
    expect(passes('user-data-secrets', (j) => {
      j.locals = { boot: "#!/bin/bash\nreadonly DB_SECRET_ARN='${data.terraform_remote_state.data.outputs.DBSecretArn}'\nreadonly ROOT=$${ROOT:-}\nDB_PASSWORD_FILE=/run/app/db\n" };
      r(j).aws_launch_template.blue.user_data = '${base64encode(local.boot)}';
    })).toEqual([]);
  });

  it('accept internet ingress on a load balancer group of any listener shape, and ignore network load balancers for headers', () => {
    expect(passes('load-balancer-invalid-headers', (j) => { r(j).aws_lb.nlb = { load_balancer_type: 'network', access_logs: { enabled: true } }; })).toEqual([]);
  });

  it('accept the suffix with underscores in names AWS allows no hyphen in, and nothing else', () => {
    const plan = (name: string) => passes('name-suffix', (j) => { r(j).aws_backup_restore_testing_plan = { weekly: { name } }; })
      .filter((finding) => finding.address === 'aws_backup_restore_testing_plan.weekly');
    expect(plan('shop_restore_test_prod')).toEqual([]);
    expect(passes('name-suffix', (j) => { r(j).aws_backup_restore_testing_plan = { weekly: { name: 'shop_restore_test_stage_2' } }; }, { environmentSuffix: 'stage-2' })
      .filter((finding) => finding.address === 'aws_backup_restore_testing_plan.weekly')).toEqual([]);
    expect(plan('shop_restore_test_production').map((finding) => finding.severity)).toEqual(['error']);
  });
});
