/**
 * Compute rules (seed fixes 2 and 9 and the checklist): instances require IMDSv2 and encrypt their volumes,
 * no secret is written into user data or a function's environment, functions run on a supported runtime, and
 * every log group expires its logs.
 */
import { gunzipSync } from 'zlib';
import type { Rule, RuleResult } from '../engine';
import { asObject, block, blocks, bool, couldNotDecide, Element, isExpression, num, StackView } from '../terraform';

/**
 * When AWS Lambda ends support for each managed runtime (creating and then updating functions is blocked some
 * weeks later). Source: the "Supported runtimes" and "Deprecated runtimes" tables of
 * https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html, as collected by tflint-ruleset-aws
 * (rules/lambda_deprecated_runtime/deprecated_runtimes.json, updated 2026-07-31). Runtimes not listed have no
 * announced date.
 */
const RUNTIME_END_OF_SUPPORT: Readonly<Record<string, string>> = {
  nodejs: '2016-08-30', 'nodejs4.3': '2020-03-05', 'nodejs4.3-edge': '2020-03-05', 'nodejs6.10': '2019-08-12', 'nodejs8.10': '2020-03-06',
  'nodejs10.x': '2021-07-30', 'nodejs12.x': '2023-03-31', 'nodejs14.x': '2023-12-04', 'nodejs16.x': '2024-06-12', 'nodejs18.x': '2025-09-01',
  'nodejs20.x': '2026-04-30', 'nodejs22.x': '2027-04-30', 'nodejs24.x': '2028-04-30',
  'python2.7': '2021-07-15', 'python3.6': '2022-07-18', 'python3.7': '2023-12-04', 'python3.8': '2024-10-14', 'python3.9': '2025-12-15',
  'python3.10': '2026-10-31', 'python3.11': '2027-06-30', 'python3.12': '2028-10-31', 'python3.13': '2029-06-30', 'python3.14': '2029-06-30',
  java8: '2024-01-08', 'java8.al2': '2027-06-30', java11: '2027-06-30', java17: '2027-06-30', java21: '2029-06-30', java25: '2029-06-30',
  'dotnetcore1.0': '2019-06-27', 'dotnetcore2.0': '2019-05-30', 'dotnetcore2.1': '2022-01-05', 'dotnetcore3.1': '2023-04-03',
  'dotnet5.0': '2022-05-10', dotnet6: '2024-12-20', dotnet7: '2024-05-14', dotnet8: '2026-11-10', dotnet9: '2026-11-10', dotnet10: '2028-11-14',
  'go1.x': '2024-01-08', provided: '2024-01-08', 'provided.al2': '2026-07-31', 'provided.al2023': '2029-06-30',
  'ruby2.5': '2021-07-30', 'ruby2.7': '2023-12-07', 'ruby3.2': '2026-03-31', 'ruby3.3': '2027-03-31', 'ruby3.4': '2028-03-31', 'ruby4.0': '2029-03-31',
};
/** How long before its end of support a runtime draws a warning: AWS's own notice period. */
const RUNTIME_WARNING_DAYS = 180;
const DAY_MS = 24 * 60 * 60 * 1000;

/** Names of settings that hold a secret: the last word is password, secret, token, or a key that is one. */
const SECRET_NAME = /(?:^|[^A-Za-z])(?:PASSWORD|PASSWD|PASSPHRASE|SECRET|TOKEN|API_?KEY|APIKEY|PRIVATE_?KEY|SECRET_?KEY|ACCESS_?KEY)$|(?:password|passwd|passphrase|secret|token|apiKey|privateKey|secretKey|accessKey)$/i;
/** Values that are secrets whatever their name. */
const SECRET_VALUES: ReadonlyArray<readonly [RegExp, string]> = [
  [/-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----/, 'a PEM private key'],
  [/\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/, 'an AWS access key id'],
];
/** References whose value is secret material: putting them into a setting writes the secret in plain text. */
const SECRET_ATTRIBUTES = /^(?:data\.)?(?:random_password\.[^.]+\.result|aws_secretsmanager_secret_version\.[^.]+\.secret_string|aws_iam_access_key\.[^.]+\.secret|aws_ssm_parameter\.[^.]+\.value)/;

/**
 * What makes a literal value harmless even under a secret-looking name: nothing, or where the secret lives (an
 * ARN, a file path, a `$` expansion, a CloudFormation-style dynamic reference).
 */
function isPointer(value: string): boolean {
  const trimmed = value.trim().replace(/^["']|["']$/g, '');
  return trimmed === '' || /^arn:aws[a-z-]*:/.test(trimmed) || /^(?:\$|\/|file:|\{\{resolve:)/.test(trimmed);
}

/** Why a named setting looks like a secret, or undefined. Never returns the value. */
function secretSetting(name: string, value: unknown): { why: string; undecided?: true } | undefined {
  if (typeof value !== 'string') return undefined;
  if (isExpression(value)) {
    const reference = /\$\{([^}]*)\}/.exec(value)?.[1] ?? '';
    if (SECRET_ATTRIBUTES.test(reference)) return { why: `${name} takes its value from ${reference.split('.').slice(0, -1).join('.')}, secret material written in plain text` };
    return SECRET_NAME.test(name) ? { why: couldNotDecide(name, value), undecided: true } : undefined;
  }
  const pattern = SECRET_VALUES.find(([regex]) => regex.test(value));
  if (pattern) return { why: `${name} holds ${pattern[1]}` };
  return SECRET_NAME.test(name) && !isPointer(value) ? { why: `${name} has a literal value` } : undefined;
}

/** Stands for a value Terraform interpolates into a template; a secret-looking setting given one is undecided. */
const TERRAFORM_VALUE = '\u0000terraform\u0000';

/** Problems in lines of a script or cloud-config that assign a secret-looking setting, by line number; never values. */
function secretsInText(text: string): Array<{ problem: string; undecided?: true }> {
  const found: Array<{ problem: string; undecided?: true }> = [];
  text.split('\n').forEach((line, index) => {
    const where = `line ${index + 1}`;
    const pattern = SECRET_VALUES.find(([regex]) => regex.test(line));
    if (pattern) {
      found.push({ problem: `${where} holds ${pattern[1]}` });
      return;
    }
    // KEY=value (shell, env files), key: value (YAML), "key": "value" (JSON).
    const assignment = /^\s*(?:export\s+|readonly\s+|-\s+)?["']?([A-Za-z_][\w.-]*)["']?\s*(?:=|:)\s*(.*?)\s*,?\s*$/.exec(line);
    if (!assignment) return;
    const [, name, value] = assignment;
    if (!SECRET_NAME.test(name) || /^[|>{[]/.test(value) || /\$\(|`/.test(value)) return;
    if (value.includes(TERRAFORM_VALUE)) found.push({ problem: `could not decide: ${where} sets ${name} to a value Terraform interpolates`, undecided: true });
    else if (!isPointer(value)) found.push({ problem: `${where} sets ${name} to a literal` });
  });
  return found;
}

/**
 * A template Terraform renders (a `locals` string that user data encodes): interpolations of secret material
 * are reported; the others become TERRAFORM_VALUE; `$${` is a literal `${`.
 */
function renderedTemplate(template: string): { text: string; secretReferences: string[] } {
  const secretReferences: string[] = [];
  const text = template.replace(/(\$?)\$\{([^}]*)\}/g, (match, escaped: string, expression: string) => {
    if (escaped) return match.slice(1);
    const reference = /[a-z_][\w.-]*/i.exec(expression)?.[0] ?? '';
    if (SECRET_ATTRIBUTES.test(reference)) secretReferences.push(reference.split('.').slice(0, -1).join('.'));
    return TERRAFORM_VALUE;
  });
  return { text, secretReferences };
}

/** User data as text to scan: decoded from base64 (and gzip), or the `locals` template it encodes. */
function userDataText(stack: StackView, value: string, base64: boolean): { text: string; secretReferences: string[] } | { undecided: string } {
  if (isExpression(value)) {
    const local = (base64 ? /^\$\{base64encode\(local\.([\w-]+)\)\}$/ : /^\$\{local\.([\w-]+)\}$/).exec(value)?.[1];
    const template = local === undefined ? undefined : asObject(stack.json.locals)?.[local];
    return typeof template === 'string' ? renderedTemplate(template) : { undecided: value };
  }
  if (!base64) return { text: value, secretReferences: [] };
  const bytes = Buffer.from(value, 'base64');
  return { text: (bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes) : bytes).toString('utf8'), secretReferences: [] };
}

function userDataOf(stack: StackView): Array<{ address: string; attribute: string; value: unknown; base64: boolean }> {
  return [
    ...stack.ofType('aws_launch_template').map(({ address, body }) => ({ address, attribute: 'user_data', value: body.user_data, base64: true })),
    ...stack.ofType('aws_instance').flatMap(({ address, body }) => [
      { address, attribute: 'user_data', value: body.user_data, base64: false },
      { address, attribute: 'user_data_base64', value: body.user_data_base64, base64: true },
    ]),
  ].filter(({ value }) => value !== undefined && value !== null);
}

/** Every EBS volume an instance or launch template declares, with where it is declared. */
function volumes(element: Element): Array<{ where: string; encrypted: unknown }> {
  const { type, body } = element;
  if (type === 'aws_launch_template') {
    return blocks(body.block_device_mappings).filter((mapping) => block(mapping.ebs) !== undefined)
      .map((mapping) => ({ where: `block device ${String(mapping.device_name)}`, encrypted: block(mapping.ebs)?.encrypted }));
  }
  return [
    ...blocks(body.root_block_device).map((device) => ({ where: 'root_block_device', encrypted: device.encrypted })),
    ...blocks(body.ebs_block_device).map((device) => ({ where: `ebs_block_device ${String(device.device_name)}`, encrypted: device.encrypted })),
  ];
}

export const COMPUTE_RULES: readonly Rule[] = [
  {
    id: 'imdsv2-required',
    family: 'compute',
    severity: 'error',
    title: 'Instances and launch templates require IMDSv2',
    rationale: 'IMDSv1 answers any request that reaches it, so one SSRF bug hands out the instance role\'s credentials.',
    fix: 'Set metadata_options { http_tokens = "required", http_put_response_hop_limit = 1 }',
    references: { checkov: ['CKV_AWS_79'], trivy: ['AVD-AWS-0028', 'AVD-AWS-0130'] },
    check: (stack) => ['aws_launch_template', 'aws_instance'].flatMap((type) => stack.ofType(type)).flatMap(({ address, body }): RuleResult[] => {
      const tokens = block(body.metadata_options)?.http_tokens;
      if (isExpression(tokens)) return [{ address, severity: 'undecided', message: couldNotDecide('metadata_options.http_tokens', tokens) }];
      return tokens === 'required' ? [] : [{ address, message: `metadata_options.http_tokens is ${JSON.stringify(tokens ?? 'not set')}: IMDSv1 stays open` }];
    }),
  },
  {
    id: 'ebs-encrypted',
    family: 'compute',
    severity: 'error',
    title: 'Every EBS volume is encrypted',
    rationale: 'Volumes and their snapshots otherwise hold the data in the clear (checklist).',
    fix: 'Declare the root volume in block_device_mappings (launch templates) or root_block_device with encrypted = true, or turn on aws_ebs_encryption_by_default',
    references: { checkov: ['CKV_AWS_3', 'CKV_AWS_8'], cdkNag: ['AwsSolutions-EC26'], trivy: ['AVD-AWS-0008', 'AVD-AWS-0131'] },
    check: (stack) => {
      if (stack.ofType('aws_ebs_encryption_by_default').some(({ body }) => bool(body.enabled) !== false)) return [];
      const declared = ['aws_launch_template', 'aws_instance'].flatMap((type) => stack.ofType(type)).flatMap((element): RuleResult[] => {
        const list = volumes(element);
        if (list.length === 0) return [{ address: element.address, message: 'declares no volume, so encryption is left to the AMI and account defaults' }];
        return list.flatMap(({ where, encrypted }): RuleResult[] => {
          const value = bool(encrypted);
          if (typeof value === 'object') return [{ address: element.address, severity: 'undecided', message: couldNotDecide(`encrypted of ${where}`, value.expression) }];
          return value === true ? [] : [{ address: element.address, message: `${where} is not encrypted` }];
        });
      });
      const standalone = stack.ofType('aws_ebs_volume').flatMap(({ address, body }): RuleResult[] => {
        const value = bool(body.encrypted);
        if (typeof value === 'object') return [{ address, severity: 'undecided', message: couldNotDecide('encrypted', value.expression) }];
        return value === true ? [] : [{ address, message: 'the volume is not encrypted' }];
      });
      return [...declared, ...standalone];
    },
  },
  {
    id: 'user-data-secrets',
    family: 'compute',
    severity: 'error',
    title: 'User data holds no secret',
    rationale: 'User data is readable by anyone who may describe the instance and by every process on it through the metadata service (seed fix 2).',
    fix: 'Fetch secrets at boot with the instance role (Secrets Manager) into a root-only file; pass only the secret\'s ARN',
    references: { checkov: ['CKV_AWS_46'], trivy: ['AVD-AWS-0029', 'AVD-AWS-0129'] },
    check: (stack) => userDataOf(stack).flatMap(({ address, attribute, value, base64 }): RuleResult[] => {
      if (typeof value !== 'string') return [];
      let decoded: ReturnType<typeof userDataText>;
      try {
        decoded = userDataText(stack, value, base64);
      } catch {
        return [{ address, severity: 'undecided', message: `could not decide: ${attribute} is not base64 or gzip that decodes` }];
      }
      if ('undecided' in decoded) return [{ address, severity: 'undecided', message: couldNotDecide(attribute, decoded.undecided) }];
      return [
        ...decoded.secretReferences.map((reference) => ({ address, message: `${attribute} takes a value from ${reference}, secret material written in plain text` })),
        ...secretsInText(decoded.text).map(({ problem, undecided }): RuleResult => (undecided
          ? { address, severity: 'undecided', message: `${attribute}: ${problem}` }
          : { address, message: `${attribute} ${problem}` })),
      ];
    }),
  },
  {
    id: 'lambda-environment-secrets',
    family: 'compute',
    severity: 'error',
    title: 'Lambda environment variables hold no secret',
    rationale: 'Environment variables are shown to anyone who may read the function\'s configuration, and land in the Terraform state.',
    fix: 'Pass the secret\'s ARN and read the value from Secrets Manager at run time',
    references: { checkov: ['CKV_AWS_45'] },
    check: (stack) => stack.ofType('aws_lambda_function').flatMap(({ address, body }): RuleResult[] => {
      const variables = block(body.environment)?.variables;
      if (isExpression(variables)) return [{ address, severity: 'undecided', message: couldNotDecide('environment.variables', variables) }];
      return Object.entries(asObject(variables) ?? {}).flatMap(([name, value]): RuleResult[] => {
        const problem = secretSetting(name, value);
        if (!problem) return [];
        return [{ address, message: problem.undecided ? problem.why : `environment variable ${problem.why}`, ...(problem.undecided ? { severity: 'undecided' as const } : {}) }];
      });
    }),
  },
  {
    id: 'lambda-runtime-supported',
    family: 'compute',
    severity: 'error',
    title: 'Lambda functions run on a runtime AWS still supports',
    rationale: 'A deprecated runtime gets no security patches, and AWS soon blocks updating the function at all.',
    fix: 'Move to a current runtime (nodejs24.x, python3.13, java21, ...); warnings start 180 days before the end of support',
    references: { cdkNag: ['AwsSolutions-L1'] },
    check: (stack, context) => {
      const today = (context.today ?? new Date()).getTime();
      return stack.ofType('aws_lambda_function').flatMap(({ address, body }): RuleResult[] => {
        const runtime = body.runtime;
        if (isExpression(runtime)) return [{ address, severity: 'undecided', message: couldNotDecide('runtime', runtime) }];
        const end = typeof runtime === 'string' ? RUNTIME_END_OF_SUPPORT[runtime] : undefined;
        if (end === undefined) return [];
        const daysLeft = Math.ceil((Date.parse(`${end}T00:00:00Z`) - today) / DAY_MS);
        if (daysLeft <= 0) return [{ address, message: `runtime ${runtime} reached its end of support on ${end}` }];
        return daysLeft <= RUNTIME_WARNING_DAYS ? [{ address, severity: 'warning', message: `runtime ${runtime} reaches its end of support on ${end}, in ${daysLeft} days` }] : [];
      });
    },
  },
  {
    id: 'log-group-retention',
    family: 'compute',
    severity: 'error',
    title: 'Every CloudWatch log group has a retention period',
    rationale: 'Logs kept forever cost forever, and keep whatever leaked into them forever too.',
    fix: 'Set retention_in_days (LOG_RETENTION_DAYS) on the log group; create the log groups AWS services would otherwise create without one',
    references: { checkov: ['CKV_AWS_66'] },
    check: (stack) => stack.ofType('aws_cloudwatch_log_group').flatMap(({ address, body }): RuleResult[] => {
      const days = num(body.retention_in_days);
      if (typeof days === 'object') return [{ address, severity: 'undecided', message: couldNotDecide('retention_in_days', days.expression) }];
      return days !== undefined && days > 0 ? [] : [{ address, message: 'the log group keeps its logs forever: no retention_in_days' }];
    }),
  },
];

