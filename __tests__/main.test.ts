import { execFileSync, spawnSync } from 'child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'fs';
import { homedir, tmpdir } from 'os';
import { join } from 'path';
import { Testing } from 'cdktf';
import { buildPlatform } from '../main';
import { resourceNamed, synthPlatform } from './support/synth';

const ROOT = join(__dirname, '..');

/** Runs the built app (dist/main.js, what cdktf.json's app command runs) into a fresh output dir. */
function runApp(env: Record<string, string>) {
  const outdir = mkdtempSync(join(tmpdir(), 'platform-synth-'));
  const result = spawnSync(process.execPath, ['dist/main.js'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, CDKTF_OUTDIR: outdir, ...env },
    encoding: 'utf8',
  });
  return { ...result, outdir };
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

beforeAll(() => {
  execFileSync('npm', ['run', '--silent', 'build:app'], { cwd: ROOT, stdio: 'inherit' });
});

describe('the cdktf app', () => {
  it('builds exactly the three layers, in deploy order', () => {
    const app = Testing.app();
    buildPlatform(app, {});
    expect(app.node.children.map((child) => child.node.id)).toEqual(['network', 'data', 'app']);
  });

  it('takes settings from cdktf.json context (as the cdktf CLI passes it), the environment winning', () => {
    // Outside dev the load balancer must serve HTTPS (policy https-only-outside-dev).
    const certificateArn = 'arn:aws:acm:us-east-1:123456789012:certificate/12345678-1234-1234-1234-123456789012';
    const fromContext = synthPlatform({}, { environmentSuffix: 'qa', vpcCidr: '10.9.0.0/16', certificateArn }).network.json;
    expect(resourceNamed(fromContext, 'aws_vpc', 'migration-vpc-qa').cidr_block).toBe('10.9.0.0/16');
    const overridden = synthPlatform({ ENVIRONMENT_SUFFIX: 'uat' }, { environmentSuffix: 'qa', certificateArn }).network.json;
    expect(resourceNamed(overridden, 'aws_vpc', 'migration-vpc-uat').cidr_block).toBe('10.0.0.0/16');
  });

  it('synthesizes every layer without writing a path of this machine into any file', () => {
    const { status, stderr, outdir } = runApp({});
    try {
      // Policy warnings (dev serves plain HTTP) are all it may print.
      expect(stderr.split('\n').filter((line) => line !== '' && !line.startsWith('WARNING ['))).toEqual([]);
      expect(status).toBe(0);
      const files = filesUnder(outdir).map((path) => path.slice(outdir.length + 1)).sort();
      expect(files).toEqual(expect.arrayContaining(['manifest.json', 'stacks/app/cdk.tf.json', 'stacks/data/cdk.tf.json', 'stacks/network/cdk.tf.json']));
      for (const file of files) {
        const text = readFileSync(join(outdir, file), 'utf8');
        for (const machinePath of [ROOT, outdir, homedir(), tmpdir()]) expect({ file, leaks: text.includes(machinePath) }).toEqual({ file, leaks: false });
      }
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });

  it('refuses bad settings with one message naming each, and no stack trace', () => {
    const { status, stderr, outdir } = runApp({ VPC_CIDR: '10.0.0.0/33', ENVIRONMENT_SUFFIX: 'Prod!' });
    rmSync(outdir, { recursive: true, force: true });
    expect(status).toBe(1);
    expect(stderr).toMatch(/^Invalid configuration:\n {2}- ENVIRONMENT_SUFFIX "Prod!" is not allowed[^\n]*\n {2}- VPC_CIDR "10.0.0.0\/33" has a prefix length above 32[^\n]*\n$/);
  });
});
