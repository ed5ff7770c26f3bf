/**
 * The layer contract against a real Terraform: one stack publishes the network outputs into local state
 * through the platform's backend, another reads them through the platform's typed reader. Terraform's
 * built-in terraform_remote_state needs no provider download, so this runs offline. It needs the
 * `terraform` binary (1.10+) on PATH and says so when skipped.
 */
import { execFileSync, spawnSync } from 'child_process';
import { mkdtempSync, readFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { App, TerraformOutput, TerraformStack } from 'cdktf';
import { useLayerBackend } from '../modules/core/backend';
import { loadConfig } from '../modules/core/config';
import { LayerOutputs, publishLayerOutputs, readLayerOutputs } from '../modules/core/contract';

const terraformFound = spawnSync('terraform', ['version'], { encoding: 'utf8' }).status === 0;

const NETWORK_OUTPUTS: LayerOutputs<'network'> = {
  VpcId: 'vpc-0123', VpcCidr: '10.0.0.0/16',
  PublicSubnetIds: ['subnet-pub-a', 'subnet-pub-b'], PrivateSubnetIds: ['subnet-app-a', 'subnet-app-b'], DatabaseSubnetIds: ['subnet-db-a', 'subnet-db-b'],
  AlbSecurityGroupId: 'sg-alb', AppSecurityGroupId: 'sg-app', DatabaseSecurityGroupId: 'sg-db', RotationSecurityGroupId: 'sg-rot', EndpointSecurityGroupId: 'sg-vpce',
  SecretsManagerEndpointId: 'vpce-0123', S3EndpointId: 'vpce-s3', AlbArn: 'arn:alb', AlbDnsName: 'alb.example', AlbZoneId: 'Z123',
  HttpListenerArn: 'arn:http', HttpsListenerArn: '', TrafficListenerArn: 'arn:http',
  BlueTargetGroupArn: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/migration-blue-dev/1',
  GreenTargetGroupArn: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/migration-green-dev/2',
  AlertTopicArn: 'arn:aws:sns:us-east-1:123456789012:migration-alerts-dev', AlbArnSuffix: 'app/migration-alb-dev/0123',
  BlueTargetGroupArnSuffix: 'targetgroup/migration-blue-dev/1', GreenTargetGroupArnSuffix: 'targetgroup/migration-green-dev/2',
  LoadBalancerAlarmNames: ['migration-alb-5xx-rate-dev', 'migration-alb-p99-latency-dev'],
};

(terraformFound ? describe : describe.skip)('layer contract through real Terraform state (needs terraform on PATH)', () => {
  const root = mkdtempSync(join(tmpdir(), 'platform-state-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  /** Publishes `outputs` as the network layer of `region`, then applies a data layer that echoes what it reads. */
  function deployInRegion(region: string, outputs: LayerOutputs<'network'>): Record<string, unknown> {
    const config = loadConfig({ env: { AWS_REGION: region } });
    // As the README says: cdktf.out remembers the last backend (.terraform), so another environment starts without it.
    rmSync(join(root, 'cdktf.out'), { recursive: true, force: true });
    const app = new App({ outdir: join(root, 'cdktf.out'), stackTraces: false });
    const network = new TerraformStack(app, 'network');
    useLayerBackend(network, config, 'network');
    publishLayerOutputs(network, 'network', outputs);
    const consumer = new TerraformStack(app, 'data');
    useLayerBackend(consumer, config, 'data');
    for (const [name, value] of Object.entries(readLayerOutputs(consumer, config, 'network'))) {
      new TerraformOutput(consumer, name, { value, staticId: true });
    }
    app.synth();

    const terraform = (layer: string, ...args: string[]) => execFileSync('terraform', args, {
      cwd: join(root, 'cdktf.out', 'stacks', layer),
      env: { ...process.env, TF_IN_AUTOMATION: '1', CHECKPOINT_DISABLE: '1' },
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    for (const layer of ['network', 'data']) {
      terraform(layer, 'init', '-input=false', '-no-color');
      terraform(layer, 'apply', '-auto-approve', '-input=false', '-no-color');
    }
    return Object.fromEntries(Object.entries(JSON.parse(terraform('data', 'output', '-json')))
      .map(([name, output]) => [name, (output as { value: unknown }).value]));
  }
  const stateOutputs = (region: string, layer: string) =>
    JSON.parse(readFileSync(join(root, 'state', region, 'dev', `${layer}.tfstate`), 'utf8')).outputs;

  it('lets a later layer read every output the network layer wrote to state/<region>/<suffix>/', () => {
    expect(deployInRegion('us-east-1', NETWORK_OUTPUTS)).toEqual(NETWORK_OUTPUTS);
    // The network layer's state is where the README says: state/<region>/<suffix>/ at the root, not in cdktf.out.
    expect(Object.keys(stateOutputs('us-east-1', 'network')).sort()).toEqual(Object.keys(NETWORK_OUTPUTS).sort());
  });

  it('keeps the same environment in a second region apart: its own state, read by its own layers', () => {
    const drCopy = { ...NETWORK_OUTPUTS, VpcId: 'vpc-0dr', PrivateSubnetIds: ['subnet-dr-a', 'subnet-dr-b'] };
    expect(deployInRegion('us-west-2', drCopy)).toEqual(drCopy);
    // The first region's state is untouched.
    expect(stateOutputs('us-east-1', 'network').VpcId.value).toBe(NETWORK_OUTPUTS.VpcId);
    expect(stateOutputs('us-east-1', 'data').VpcId.value).toBe(NETWORK_OUTPUTS.VpcId);
    expect(stateOutputs('us-west-2', 'network').VpcId.value).toBe('vpc-0dr');
  });
});
