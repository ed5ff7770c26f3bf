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

  it('lets a later layer read every output the network layer wrote to state/<suffix>/', () => {
    const config = loadConfig({ env: {} });
    const app = new App({ outdir: join(root, 'cdktf.out'), stackTraces: false });
    const network = new TerraformStack(app, 'network');
    useLayerBackend(network, config, 'network');
    publishLayerOutputs(network, 'network', NETWORK_OUTPUTS);
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

    // The network layer's state is where the README says: state/<suffix>/ at the root, not in cdktf.out.
    expect(Object.keys(JSON.parse(readFileSync(join(root, 'state', 'dev', 'network.tfstate'), 'utf8')).outputs).sort())
      .toEqual(Object.keys(NETWORK_OUTPUTS).sort());
    const read = JSON.parse(terraform('data', 'output', '-json'));
    expect(Object.fromEntries(Object.entries(read).map(([name, output]) => [name, (output as { value: unknown }).value])))
      .toEqual(NETWORK_OUTPUTS);
  });
});
