/**
 * `npm run -s check`: the policies over a cdktf output folder, this project's or any other's. Exit 1 on an
 * error, 0 otherwise, 2 on input it cannot read; text, JSON and SARIF 2.1.0 reports; never a crash on shapes
 * other projects produce (the hand-written fixtures under fixtures/field).
 */
import { spawnSync } from 'child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { App } from 'cdktf';
import { runCheck } from '../cli/check';
import { buildPlatform } from '../main';
import { ALL_RULES } from '../modules/policy/policy';
import { Env } from './support/synth';

const ROOT = join(__dirname, '..');
const FIELD = join(__dirname, 'fixtures', 'field');
const PRODUCTION: Env = {
  ENVIRONMENT_SUFFIX: 'prod', AZ_COUNT: '3', STATE_BUCKET: 'some-bucket',
  CERTIFICATE_ARN: 'arn:aws:acm:us-east-1:123456789012:certificate/12345678-1234-1234-1234-123456789012',
};

const scratch = mkdtempSync(join(tmpdir(), 'policy-cli-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Synthesizes the platform into a cdktf output folder, as `cdktf synth` does. */
function synthesize(name: string, env: Env): string {
  const outdir = join(scratch, name);
  const app = new App({ outdir, stackTraces: false });
  buildPlatform(app, env);
  app.synth();
  return outdir;
}

const check = (...args: string[]) => runCheck(args, ROOT);

describe('the check command over this project', () => {
  const production = synthesize('production', PRODUCTION);

  it('passes the production output: every stack listed, a summary line, exit 0', () => {
    const { status, stdout, stderr } = check(production);
    expect({ status, stderr }).toEqual({ status: 0, stderr: '' });
    expect(stdout).toMatch(/^app \(.*stacks\/app\/cdk\.tf\.json\): 0 errors, 0 warnings, 0 undecided, 0 suppressed$/m);
    expect(stdout).toMatch(/^network \(.*stacks\/network\/cdk\.tf\.json\): 0 errors, 0 warnings, 0 undecided, 0 suppressed$/m);
    // The data layer may carry a warning (see policy.test.ts), which does not fail the check.
    expect(stdout.trimEnd().split('\n').pop()).toMatch(/^Summary: 3 stacks, 0 errors, \d+ warnings?, 0 undecided, 0 suppressed: passed$/);
    // Each layer recorded its context, so no rule was left out.
    expect(stdout).not.toMatch(/not checked/);
  });

  // The production output with one HTTPS listener on an old TLS policy.
  const broken = join(scratch, 'broken');
  mkdirSync(join(broken, 'stacks', 'network'), { recursive: true });
  const json = JSON.parse(readFileSync(join(production, 'stacks', 'network', 'cdk.tf.json'), 'utf8'));
  Object.values<any>(json.resource.aws_lb_listener).find((body) => body.protocol === 'HTTPS').ssl_policy = 'ELBSecurityPolicy-2016-08';
  writeFileSync(join(broken, 'stacks', 'network', 'cdk.tf.json'), JSON.stringify(json, null, 2));

  it('fails with exit 1 when a stack has an error, and names it', () => {
    const { status, stdout } = check(broken);
    expect(status).toBe(1);
    expect(stdout).toMatch(/ERROR {6}\[https-listeners\] aws_lb_listener\.load-balancer_https_[0-9A-F]+\n {13}HTTPS listener uses "ELBSecurityPolicy-2016-08"/);
    expect(stdout.trimEnd().split('\n').pop()).toBe('Summary: 1 stack, 1 error, 0 warnings, 0 undecided, 0 suppressed: FAILED');
  });

  it('reports JSON with every stack, its findings, suppressions and a summary', () => {
    const { status, stdout } = check(production, '--format', 'json');
    const report = JSON.parse(stdout);
    expect(status).toBe(0);
    const findings = report.stacks.flatMap((stack: any) => stack.findings);
    // Production complies with every rule: no error, no warning, nothing undecided.
    expect(findings).toEqual([]);
    expect(report.summary).toEqual({ stacks: 3, errors: 0, warnings: 0, undecided: 0, suppressed: 0 });
    expect(report.stacks.map((stack: any) => stack.stack)).toEqual(['app', 'data', 'network']);
    for (const stack of report.stacks) expect(stack).toEqual(expect.objectContaining({ file: expect.stringMatching(/cdk\.tf\.json$/), suppressed: [], suppressions: [], skipped: [] }));
  });

  it('reports SARIF 2.1.0: every rule in the driver, each finding with a logical and a physical location', () => {
    const { status, stdout } = check(broken, '--format=sarif');
    const sarif = JSON.parse(stdout);
    expect(status).toBe(1);
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.runs).toHaveLength(1);
    const { driver } = sarif.runs[0].tool;
    expect(driver.rules.map((rule: any) => rule.id)).toEqual(ALL_RULES.map((rule) => rule.id));
    for (const rule of driver.rules) {
      expect(rule.shortDescription.text).toEqual(expect.any(String));
      expect(rule.help.text).toMatch(/ Fix: /);
      expect(['error', 'warning']).toContain(rule.defaultConfiguration.level);
    }
    expect(driver.rules.find((rule: any) => rule.id === 'db-storage-encrypted').properties).toEqual({ family: 'database', checkov: ['CKV_AWS_16'], cdkNag: ['AwsSolutions-RDS2'], trivy: ['AVD-AWS-0080'] });
    const [result] = sarif.runs[0].results;
    expect(result).toMatchObject({ ruleId: 'https-listeners', level: 'error', message: { text: expect.stringMatching(/Fix: /) } });
    expect(driver.rules[result.ruleIndex].id).toBe('https-listeners');
    const [location] = result.locations;
    expect(location.logicalLocations[0].fullyQualifiedName).toMatch(/^network\.aws_lb_listener\.load-balancer_https_/);
    expect(location.physicalLocation.artifactLocation.uri).toMatch(/stacks\/network\/cdk\.tf\.json$/);
    // The region points at the listener's own line in the file.
    const lines = readFileSync(join(broken, 'stacks', 'network', 'cdk.tf.json'), 'utf8').split('\n');
    expect(lines[location.physicalLocation.region.startLine - 1]).toMatch(/"load-balancer_https_[0-9A-F]+": \{/);
  });
});

describe('the check command over cdktf output it did not make', () => {
  const fixtures = readdirSync(FIELD, { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort();

  it('has fixtures of every shape', () => {
    expect(fixtures).toEqual(['data-only', 'escape-hatches', 'jsonencode-policies', 'modules', 'unknown-types']);
  });

  it.each(fixtures)('never crashes on %s, in any format', (fixture) => {
    for (const format of ['text', 'json', 'sarif']) {
      const { status, stderr } = check(join(FIELD, fixture), '--format', format);
      expect({ format, stderr, decided: status === 0 || status === 1 }).toEqual({ format, stderr: '', decided: true });
    }
  });

  it('finds what it can decide and says what it cannot', () => {
    const findings = (fixture: string) => JSON.parse(check(join(FIELD, fixture), '--format', 'json').stdout).stacks
      .flatMap((stack: any) => stack.findings.map((finding: any) => `${finding.severity} ${finding.rule} ${finding.address}`));
    expect(findings('escape-hatches')).toEqual(expect.arrayContaining([
      'error user-data-secrets aws_instance.app',
      'undecided internet-ingress aws_security_group.web',
      'undecided load-balancer-access-logs aws_lb.front',
      'error log-group-retention aws_cloudwatch_log_group.app',
    ]));
    expect(findings('jsonencode-policies')).toEqual(expect.arrayContaining([
      'undecided iam-public-principals aws_iam_role.ci',
      'undecided iam-wildcard-actions aws_iam_policy.encoded',
      'error iam-wildcard-actions data.aws_iam_policy_document.broad',
      'error iam-admin-policies aws_iam_role_policy_attachment.admin',
      'undecided iam-named-resources data.aws_iam_policy_document.dynamic',
      'undecided iam-named-resources aws_iam_policy.broken',
    ]));
    expect(findings('modules')).toEqual(expect.arrayContaining([
      'undecided internet-ingress aws_security_group_rule.db',
      'undecided secret-rotation aws_secretsmanager_secret_rotation.db',
      'error db-tls-required aws_db_instance.pg',
    ]));
    expect(findings('data-only')).toEqual([]);
    // A secret found is named, never printed.
    expect(check(join(FIELD, 'escape-hatches')).stdout).not.toMatch(/hunter2/);
  });

  it('lists the rules it could not run without the context a layer records', () => {
    expect(check(join(FIELD, 'data-only')).stdout).toMatch(/not checked: default-tags \(needs requiredTags\), name-tag \(needs environmentSuffix, taggableTypes\), name-suffix \(needs environmentSuffix\), layer-outputs \(needs expectedOutputs\)/);
  });
});

describe('the check command on input it cannot read', () => {
  it.each([
    ['a folder that does not exist', ['no-such-folder'], /^check: cannot read .*no-such-folder: no such folder/],
    ['a folder without stacks', ['__tests__'], /^check: cannot read .*__tests__: it holds no stacks\/<stack>\/cdk\.tf\.json/],
    ['an unknown format', [join(FIELD, 'data-only'), '--format', 'xml'], /^check: --format "xml" is not allowed: use one of text, json, sarif\nusage: /],
    ['two folders', ['a', 'b'], /^check: unexpected argument "b"/],
  ])('exits 2 on %s, saying why', (_, args, message) => {
    const { status, stdout, stderr } = check(...args);
    expect({ status, stdout }).toEqual({ status: 2, stdout: '' });
    expect(stderr).toMatch(message);
  });

  it('prints its usage on --help, and exits 0', () => {
    expect(check('--help')).toEqual({ status: 0, stdout: expect.stringMatching(/^usage: npm run -s check -- \[DIR\] \[--format text\|json\|sarif\]/), stderr: '' });
  });

  it('exits 2 on a cdk.tf.json that is not JSON, naming the file', () => {
    const folder = join(scratch, 'not-json');
    mkdirSync(join(folder, 'stacks', 'x'), { recursive: true });
    writeFileSync(join(folder, 'stacks', 'x', 'cdk.tf.json'), '{ "resource": ');
    expect(check(folder)).toEqual({ status: 2, stdout: '', stderr: expect.stringMatching(/^check: cannot read .*stacks\/x\/cdk\.tf\.json: not valid JSON/) });
    writeFileSync(join(folder, 'stacks', 'x', 'cdk.tf.json'), '[1, 2]');
    expect(check(folder).stderr).toMatch(/a cdk\.tf\.json holds a JSON object/);
  });
});

describe('the command as a process', () => {
  it('exits 1 on errors through npm, which passes the folder on and rebuilds the bundle when a source is newer', () => {
    expect(spawnSync('npm', ['run', '-s', 'check', '--', join(FIELD, 'escape-hatches')], { cwd: ROOT }).status).toBe(1);
  });

  it.each([
    ['0 on a clean folder', join(FIELD, 'data-only'), 0],
    ['1 on errors', join(FIELD, 'escape-hatches'), 1],
    ['2 on unreadable input', join(scratch, 'no-such-folder'), 2],
  ])('exits %s with node directly', (_, folder, expected) => {
    expect(spawnSync(process.execPath, ['dist/check.js', folder], { cwd: ROOT }).status).toBe(expected);
  });
});
