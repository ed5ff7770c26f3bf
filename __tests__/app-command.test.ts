/**
 * The app command in cdktf.json, run exactly as cdktf runs it: its string, through a shell, in a fresh
 * process. One node process, bundles rebuilt only when an input changed.
 */
import { execFileSync, spawnSync } from 'child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

const ROOT = join(__dirname, '..');
const APP = JSON.parse(readFileSync(join(ROOT, 'cdktf.json'), 'utf8')).app as string;
const STAMP = join(ROOT, 'dist', 'main.js.inputs.json');

function runApp(env: Record<string, string> = {}) {
  const outdir = mkdtempSync(join(tmpdir(), 'app-command-'));
  const result = spawnSync('/bin/sh', ['-c', APP], { cwd: ROOT, env: { PATH: process.env.PATH, CDKTF_OUTDIR: outdir, ...env }, encoding: 'utf8' });
  const stacks = (() => {
    try {
      return readdirSync(join(outdir, 'stacks')).sort();
    } catch {
      return [];
    }
  })();
  rmSync(outdir, { recursive: true, force: true });
  return { status: result.status, stderr: result.stderr, stacks };
}
const bundleTime = () => statSync(join(ROOT, 'dist', 'main.js')).mtimeMs;

beforeAll(() => {
  execFileSync('node', ['scripts/build.mjs'], { cwd: ROOT });
});

describe('the app command', () => {
  it('is one node process: no npm, no second command', () => {
    expect(APP).toBe('node scripts/app.mjs');
  });

  it('synthesizes the three layers, printing nothing but the policy warning that dev serves plain HTTP', () => {
    expect(runApp()).toEqual({ status: 0, stderr: expect.stringMatching(/^WARNING \[https-only-outside-dev\] network [^\n]+\n$/), stacks: ['app', 'data', 'network'] });
  });

  it('does not rebuild when no input changed', () => {
    const before = bundleTime();
    expect(runApp().status).toBe(0);
    expect(bundleTime()).toBe(before);
  });

  it('rebuilds when an input changed, and records every file the bundle read', () => {
    const stamp = JSON.parse(readFileSync(STAMP, 'utf8'));
    expect(Object.keys(stamp.inputs)).toEqual(expect.arrayContaining(['main.ts', 'stacks/network-stack.ts', 'modules/core/config.ts', 'package-lock.json', 'tsconfig.json']));
    expect(Object.keys(stamp.inputs).some((path) => path.includes('node_modules/cdktf/'))).toBe(true);
    writeFileSync(STAMP, JSON.stringify({ ...stamp, inputs: { ...stamp.inputs, 'main.ts': '1:1' } }));
    const before = bundleTime();
    expect(runApp().status).toBe(0);
    expect(bundleTime()).toBeGreaterThan(before);
    expect(JSON.parse(readFileSync(STAMP, 'utf8')).inputs['main.ts']).not.toBe('1:1');
  });

  it('builds the rotation function too, separately recorded', () => {
    const stamp = JSON.parse(readFileSync(join(ROOT, 'dist', 'rotation', 'index.js.inputs.json'), 'utf8'));
    expect(Object.keys(stamp.inputs)).toEqual(expect.arrayContaining(['lambda/rotation/index.ts']));
    expect(Object.keys(stamp.inputs).some((path) => path.startsWith('modules/') || path.includes('cdktf'))).toBe(false);
  });

  it('synthesizes the bootstrap stack alone with BOOTSTRAP=1', () => {
    expect(runApp({ BOOTSTRAP: '1', GITHUB_ORG: 'acme', GITHUB_REPO: 'platform' })).toEqual({ status: 0, stderr: '', stacks: ['bootstrap'] });
  });

  it('refuses bad settings with the message and exit code 1, no stack trace', () => {
    const { status, stderr } = runApp({ BOOTSTRAP: '1' });
    expect(status).toBe(1);
    expect(stderr).toBe('Invalid configuration:\n  - GITHUB_ORG is not set but the bootstrap needs it: the GitHub organisation or user that owns the repository, 1 to 39 letters, digits and single hyphens\n' +
      '  - GITHUB_REPO is not set but the bootstrap needs it: the repository name without the owner, 1 to 100 letters, digits, . _ and -\n');
  });
});
