/**
 * What every layer shares: its own state backend, an AWS provider whose default_tags tag everything,
 * suffix-aware naming, and the platform policies, checked on the JSON each synthesis produces.
 */
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { useLayerBackend } from './backend';
import { Config, Layer } from './config';
import { Naming } from './naming';
import { StackReport } from '../policy/policy';
import { CONTRACT } from './contract';
import { enforcePolicies } from './policy-check';
import { layerTags } from './tagging';

export abstract class LayerStack extends TerraformStack {
  readonly naming: Naming;

  protected constructor(scope: Construct, readonly layer: Layer, readonly config: Config) {
    super(scope, layer);
    this.naming = new Naming(config.project, config.environmentSuffix, config.region);
    useLayerBackend(this, config, layer);
    new AwsProvider(this, 'aws', {
      region: config.region,
      defaultTags: [{ tags: layerTags(config, layer) }],
    });
  }

  /** The last policy check of this stack: findings, suppressed findings and suppressions. */
  policyReport?: StackReport;

  /** Synthesizes, then refuses to hand Terraform a configuration with a policy error (see policy-check.ts). */
  override toTerraform(): any {
    const synthesized = super.toTerraform();
    this.policyReport = enforcePolicies(this, synthesized, this.config, Object.keys(CONTRACT[this.layer]));
    return synthesized;
  }

  /** `cdktf synth --hcl` takes this path instead; the policies are checked on the same configuration. */
  override toHclTerraform(): { [key: string]: any } {
    this.toTerraform();
    return super.toHclTerraform();
  }
}
