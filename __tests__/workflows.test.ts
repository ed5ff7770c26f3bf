/**
 * The GitHub Actions workflows the platform's users run, parsed and checked so they cannot rot unseen:
 * triggers, permissions, job and step order, the commands (which must exist as npm scripts), concurrency,
 * pinned actions, and no long-lived AWS keys anywhere.
 */
import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import { Testing } from 'cdktf';
import { parse } from 'yaml';
import { buildPlatform } from '../main';
import { SETTINGS } from '../modules/core/config';
import { policyDocument, resourcesOf } from './support/synth';

const ROOT = join(__dirname, '..');
const GITHUB = join(ROOT, '.github');
const read = (path: string) => readFileSync(join(GITHUB, path), 'utf8');
const workflow = (name: string) => parse(read(`workflows/${name}`));
const pullRequest = workflow('pull-request.yml');
const deploy = workflow('deploy.yml');
const stage = workflow('deploy-stage.yml');
const setup = parse(read('actions/setup/action.yml'));
const scripts: Record<string, string> = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).scripts;

type Step = { name?: string; uses?: string; run?: string; if?: string; with?: Record<string, unknown> };
const steps = (job: { steps: Step[] }) => job.steps;
const indexOf = (job: { steps: Step[] }, predicate: (step: Step) => boolean) => {
  const index = job.steps.findIndex(predicate);
  expect(index).toBeGreaterThanOrEqual(0);
  return index;
};
const runs = (command: RegExp) => (step: Step) => command.test(step.run ?? '');
const uses = (action: string) => (step: Step) => step.uses?.startsWith(`${action}@`) === true;

/** Every file under .github, as text. */
function githubFiles(dir = GITHUB): Array<{ path: string; text: string }> {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => entry.isDirectory()
    ? githubFiles(join(dir, entry.name))
    : [{ path: join(dir, entry.name).slice(ROOT.length + 1), text: readFileSync(join(dir, entry.name), 'utf8') }]);
}

describe('pull requests', () => {
  const { verify, diff } = pullRequest.jobs;

  it('run on pull requests to main, one run per pull request at a time (a new push cancels the old run)', () => {
    expect(pullRequest.on).toEqual({ pull_request: { branches: ['main'] } });
    expect(pullRequest.concurrency).toEqual({ group: 'pull-request-${{ github.event.pull_request.number }}', 'cancel-in-progress': true });
  });

  it('grant nothing by default; verify may upload code scanning results, diff may get an OIDC token and comment', () => {
    expect(pullRequest.permissions).toEqual({});
    expect(verify.permissions).toEqual({ contents: 'read', 'security-events': 'write' });
    expect(diff.permissions).toEqual({ contents: 'read', 'id-token': 'write', 'pull-requests': 'write' });
  });

  it('install from the lockfile, type-check, test, synthesize, then check the policies and upload the SARIF even when the check fails', () => {
    expect(steps(verify)[0].uses).toMatch(/^actions\/checkout@/);
    expect(steps(verify)[1].uses).toBe('./.github/actions/setup');
    const order = [
      indexOf(verify, runs(/^npm run typecheck$/)),
      indexOf(verify, runs(/^npm test$/)),
      indexOf(verify, runs(/^npm run synth$/)),
      indexOf(verify, runs(/^npm run -s check -- cdktf\.out --format sarif > policy\.sarif$/)),
      indexOf(verify, uses('github/codeql-action/upload-sarif')),
    ];
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    const upload = steps(verify)[order[4]];
    expect(upload.if).toMatch(/^always\(\)/);
    expect(upload.with).toMatchObject({ sarif_file: 'policy.sarif' });
    expect(scripts.check).toBe('node scripts/build.mjs check && node dist/check.js');
  });

  it('diff network, data and app in that order, after verify, with the plan role from OIDC', () => {
    expect(diff.needs).toBe('verify');
    expect(diff.if).toBe('github.event.pull_request.head.repo.full_name == github.repository');
    const credentials = indexOf(diff, uses('aws-actions/configure-aws-credentials'));
    expect(steps(diff)[credentials].with).toEqual({ 'role-to-assume': '${{ vars.PLAN_ROLE_ARN }}', 'role-session-name': 'diff-${{ github.run_id }}', 'aws-region': '${{ vars.AWS_REGION }}' });
    const layers = ['network', 'data', 'app'].map((layer) => indexOf(diff, runs(new RegExp(`^npm run -s diff:${layer} -- -- --no-color 2>&1 \\| tee diff-${layer}\\.txt$`))));
    expect(layers[0]).toBeGreaterThan(credentials);
    expect([...layers].sort((a, b) => a - b)).toEqual(layers);
    for (const layer of ['network', 'data', 'app']) expect(scripts[`diff:${layer}`]).toBe(`tsx cli/layers.ts diff ${layer}`);
  });

  it('post every layer\'s diff as one comment that each run updates, even when a diff failed', () => {
    const write = steps(diff)[indexOf(diff, (step) => step.name === 'Write the comment')];
    expect(write.if).toBe('always()');
    for (const layer of ['network', 'data', 'app']) expect(write.run).toContain(layer);
    expect(write.run).toContain('diff-${layer}.txt');
    const comment = steps(diff)[indexOf(diff, uses('marocchino/sticky-pull-request-comment'))];
    expect(comment.if).toBe('always()');
    expect(comment.with).toEqual({ header: 'platform-diff', path: 'diff-comment.md' });
    expect(steps(diff).indexOf(comment)).toBe(steps(diff).length - 1);
  });

  it('give the diff job every platform setting, from the variable of the same name', () => {
    for (const { env } of Object.values(SETTINGS)) expect(diff.env[env]).toBe(`\${{ vars.${env} }}`);
  });

  it('give the diff job the settings the layers and the runner read', () => {
    expect(diff.env).toMatchObject({ AWS_REGION: '${{ vars.AWS_REGION }}', ENVIRONMENT_SUFFIX: '${{ vars.ENVIRONMENT_SUFFIX }}', STATE_BUCKET: '${{ vars.STATE_BUCKET }}' });
  });
});

describe('deployments', () => {
  it('run on pushes to main (and by hand), one run at a time, never cancelling one that is applying', () => {
    expect(deploy.on).toEqual({ push: { branches: ['main'] }, workflow_dispatch: null });
    expect(deploy.concurrency).toEqual({ group: 'deploy-${{ github.ref }}', 'cancel-in-progress': false });
    expect(deploy.permissions).toEqual({});
  });

  it('deploy the stages in order, prod only after dev succeeded, each through the stage workflow', () => {
    expect(Object.keys(deploy.jobs)).toEqual(['dev', 'prod']);
    expect(deploy.jobs.dev.needs).toBeUndefined();
    expect(deploy.jobs.prod.needs).toBe('dev');
    for (const [name, job] of Object.entries<any>(deploy.jobs)) {
      expect(job).toMatchObject({ uses: './.github/workflows/deploy-stage.yml', with: { environment: name }, permissions: { contents: 'read', 'id-token': 'write' } });
    }
  });

  const { layers } = stage.jobs;
  it('deploy with every platform setting from the stage\'s variable of the same name, so none goes back to its default', () => {
    for (const { env } of Object.values(SETTINGS)) expect(layers.env[env]).toBe(`\${{ vars.${env} }}`);
  });

  it('run a stage in its GitHub environment, never two of one environment at once', () => {
    expect(stage.on).toEqual({ workflow_call: { inputs: { environment: expect.objectContaining({ type: 'string', required: true }) } } });
    expect(layers.environment).toBe('${{ inputs.environment }}');
    expect(layers.concurrency).toEqual({ group: 'deploy-environment-${{ inputs.environment }}', 'cancel-in-progress': false });
    expect(layers.permissions).toEqual({ contents: 'read', 'id-token': 'write' });
    expect(stage.permissions).toEqual({});
  });

  it('deploy network, then data, then app with the stage\'s apply role, each step only after the one before it succeeded', () => {
    const credentials = indexOf(layers, uses('aws-actions/configure-aws-credentials'));
    expect(steps(layers)[credentials].with).toMatchObject({ 'role-to-assume': '${{ vars.APPLY_ROLE_ARN }}', 'aws-region': '${{ vars.AWS_REGION }}' });
    const order = ['network', 'data', 'app'].map((layer) => indexOf(layers, runs(new RegExp(`^npm run -s deploy:${layer} -- -- --auto-approve --no-color$`))));
    expect(order[0]).toBeGreaterThan(credentials);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    // A step without `if` runs only when every step before it succeeded.
    for (const index of order) expect(steps(layers)[index].if).toBeUndefined();
    for (const layer of ['network', 'data', 'app']) expect(scripts[`deploy:${layer}`]).toBe(`tsx cli/layers.ts deploy ${layer}`);
  });

  it('use the environment names the bootstrap\'s apply roles trust', () => {
    for (const environment of Object.keys(deploy.jobs)) {
      const app = Testing.app();
      buildPlatform(app, { BOOTSTRAP: '1', GITHUB_ORG: 'acme', GITHUB_REPO: 'platform', ENVIRONMENT_SUFFIX: environment });
      const json = JSON.parse(Testing.synth(app.node.findChild('bootstrap') as any));
      const role = Object.values(resourcesOf(json, 'aws_iam_role')).find((candidate) => candidate.name.startsWith('migration-github-apply-'))!;
      const trust = policyDocument(json, role.assume_role_policy).statement[0];
      expect(trust.condition.find((entry: any) => entry.variable.endsWith(':sub')).values).toEqual([`repo:acme/platform:environment:${environment}`]);
    }
  });
});

describe('every workflow', () => {
  it('sets up Node.js, Terraform 1.10+ (S3 lock files) and the locked dependencies the same way', () => {
    expect(setup.runs.using).toBe('composite');
    expect(setup.runs.steps.map((step: Step) => step.uses?.split('@')[0] ?? step.run)).toEqual(['actions/setup-node', 'hashicorp/setup-terraform', 'npm ci --no-audit --no-fund']);
    expect(setup.runs.steps[1].with.terraform_version).toMatch(/^1\.(1[0-9]|[2-9][0-9])\./);
  });

  it('pins every action to a full commit SHA, with the version in a comment', () => {
    const references = githubFiles().flatMap(({ path, text }) => text.split('\n').filter((line) => /^\s*(-\s+)?uses:/.test(line)).map((line) => ({ path, line: line.trim() })));
    expect(references.length).toBeGreaterThanOrEqual(10);
    for (const { path, line } of references) {
      const reference = /uses:\s*(\S+)/.exec(line)![1];
      if (reference.startsWith('./')) continue;
      expect({ path, line, pinned: /^[\w.-]+\/[\w./-]+@[0-9a-f]{40} # v\d+(\.\d+)*$/.test(line.replace(/^-\s+/, '').replace(/^uses:\s*/, '')) }).toEqual({ path, line, pinned: true });
    }
  });

  it('pins each action to the same commit everywhere', () => {
    const pins = new Map<string, Set<string>>();
    for (const { text } of githubFiles()) {
      for (const [, action, sha] of text.matchAll(/uses:\s*([\w.-]+\/[\w./-]+)@([0-9a-f]{40})/g)) pins.set(action, (pins.get(action) ?? new Set()).add(sha));
    }
    expect([...pins.entries()].filter(([, shas]) => shas.size > 1)).toEqual([]);
  });

  it('holds no AWS key names and uses no stored secrets: credentials come from OIDC only', () => {
    for (const { path, text } of githubFiles()) {
      expect({ path, keyNames: text.match(/AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY|AWS_SESSION_TOKEN|aws-access-key-id|aws-secret-access-key|aws-session-token/gi) ?? [] }).toEqual({ path, keyNames: [] });
      expect({ path, secrets: text.match(/secrets\.[A-Za-z_]+/g) ?? [] }).toEqual({ path, secrets: [] });
    }
  });

  it('checks out without leaving the token in the git config', () => {
    const checkouts = [pullRequest.jobs.verify, pullRequest.jobs.diff, stage.jobs.layers].map((job) => steps(job).find(uses('actions/checkout'))!);
    for (const checkout of checkouts) expect(checkout.with).toEqual({ 'persist-credentials': false });
  });
});
