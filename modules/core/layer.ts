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
import { checkStack, contextToJson, errorsOf, formatFinding, PolicyContext, POLICY_CONTEXT_KEY, PolicyError, StackReport, SynthesizedStack } from '../policy/policy';
import { CONTRACT } from './contract';
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

  /** The last policy check of this stack: findings, suppressed findings and suppressions. */
  policyReport?: StackReport;

  /**
   * Synthesizes, then refuses to hand Terraform a configuration with a policy error; warnings print. The
   * context the rules ran with is recorded in the JSON, so `npm run check` over cdktf.out checks the same way.
   */
  override toTerraform(): any {
    const synthesized = super.toTerraform();
    const context: PolicyContext = {
      environmentSuffix: this.config.environmentSuffix,
      requiredTags: REQUIRED_TAGS,
      taggableTypes: taggableResourceTypes(this),
      isDev: this.config.environmentSuffix === 'dev',
      expectedOutputs: Object.keys(CONTRACT[this.layer]),
    };
    synthesized['//'] = { ...synthesized['//'], [POLICY_CONTEXT_KEY]: contextToJson(context) };
    this.policyReport = checkStack(synthesized as SynthesizedStack, context, this.node.id);
    for (const finding of this.policyReport.findings.filter(({ severity }) => severity !== 'error')) warnOnce(formatFinding(this.node.id, finding));
    const errors = errorsOf(this.policyReport);
    if (errors.length > 0) throw new PolicyError(this.node.id, errors);
    return synthesized;
  }

  /** `cdktf synth --hcl` takes this path instead; the policies are checked on the same configuration. */
  override toHclTerraform(): { [key: string]: any } {
    this.toTerraform();
    return super.toHclTerraform();
  }
}

const warned = new Set<string>();
/** Prints a policy warning once per process: tests synthesize the same stack many times. */
function warnOnce(line: string): void {
  if (warned.has(line)) return;
  warned.add(line);
  process.stderr.write(`${line}\n`);
}
