/**
 * What every layer shares: its own state backend, an AWS provider whose default_tags tag everything,
 * suffix-aware naming, and the platform policies, checked on the JSON each synthesis produces.
 */
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { useLayerBackend } from './backend';
import { Config, Layer, REQUIRED_TAGS } from './config';
import { Naming } from './naming';
import { checkPolicies, PolicyError, SynthesizedStack } from '../policy/policy';
import { layerTags, taggableResourceTypes } from './tagging';

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

  /** Synthesizes, then refuses to hand Terraform a configuration that breaks a platform policy. */
  override toTerraform(): any {
    const synthesized = super.toTerraform();
    const findings = checkPolicies(synthesized as SynthesizedStack, {
      environmentSuffix: this.config.environmentSuffix,
      requiredTags: REQUIRED_TAGS,
      taggableTypes: taggableResourceTypes(this),
    });
    if (findings.length > 0) throw new PolicyError(this.node.id, findings);
    return synthesized;
  }

  /** `cdktf synth --hcl` takes this path instead; the policies are checked on the same configuration. */
  override toHclTerraform(): { [key: string]: any } {
    this.toTerraform();
    return super.toHclTerraform();
  }
}
