/** Synthesizes the platform the way main.ts does, for assertions on the JSON Terraform would read. */
import { Testing } from 'cdktf';
import { buildPlatform } from '../../main';
import { Layer, LAYERS } from '../../modules/core/config';
import { LayerStack } from '../../modules/core/layer';

export type Env = Record<string, string>;
/** A synthesized stack: cdk.tf.json without cdktf's metadata. */
export type StackJson = Record<string, any>;

export interface SynthesizedLayer {
  readonly stack: LayerStack;
  /** What Testing.synth returns, for cdktf's matchers. */
  readonly text: string;
  readonly json: StackJson;
}

const synthesized = new Map<string, Record<Layer, SynthesizedLayer>>();

/**
 * Builds all three layers from `env` (and optional cdktf.json context); each is synthesized when first read. A
 * synthesis takes about half a second, so each configuration is synthesized once per test file; the JSON is
 * frozen, so no test can change what another reads.
 */
export function synthPlatform(env: Env = {}, context: Record<string, unknown> = {}): Record<Layer, SynthesizedLayer> {
  const key = JSON.stringify([env, context]);
  const known = synthesized.get(key);
  if (known) return known;
  const app = Testing.app({ context });
  buildPlatform(app, env);
  // Each layer is synthesized when a test first reads it: many tests read one layer only.
  const layers = {} as Record<Layer, SynthesizedLayer>;
  for (const layer of LAYERS) {
    let synthesizedLayer: SynthesizedLayer | undefined;
    Object.defineProperty(layers, layer, {
      enumerable: true,
      get: () => {
        if (!synthesizedLayer) {
          const stack = app.node.findChild(layer) as LayerStack;
          const text = Testing.synth(stack);
          synthesizedLayer = { stack, text, json: deepFreeze(JSON.parse(text)) };
        }
        return synthesizedLayer;
      },
    });
  }
  synthesized.set(key, layers);
  return layers;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

export function synthNetwork(env: Env = {}): SynthesizedLayer {
  return synthPlatform(env).network;
}

/** Every resource of `type`, keyed by its Terraform name. */
export function resourcesOf(json: StackJson, type: string): Record<string, Record<string, any>> {
  return json.resource?.[type] ?? {};
}

/** The one resource of `type` whose Name tag is `name`. */
export function resourceNamed(json: StackJson, type: string, name: string): Record<string, any> {
  const matches = Object.values(resourcesOf(json, type)).filter((body) => body.tags?.Name === name);
  if (matches.length !== 1) throw new Error(`expected one ${type} named ${name}, found ${matches.length}`);
  return matches[0];
}

/** The Terraform address (`type.name`) of the resource of `type` whose Name tag is `name`. */
export function addressOf(json: StackJson, type: string, name: string): string {
  const entry = Object.entries(resourcesOf(json, type)).find(([, body]) => body.tags?.Name === name);
  if (!entry) throw new Error(`no ${type} named ${name}`);
  return `${type}.${entry[0]}`;
}

/** A Terraform reference to an attribute, as cdktf synthesizes it: `${type.name.attribute}`. */
export function ref(address: string, attribute: string): string {
  return `\${${address}.${attribute}}`;
}

/** The aws_iam_policy_document a `policy` attribute such as `${data.aws_iam_policy_document.x.json}` refers to. */
export function policyDocument(json: StackJson, policyReference: string): { statement: Array<Record<string, any>> } {
  const name = /^\$\{data\.aws_iam_policy_document\.([^.]+)\.json\}$/.exec(policyReference)?.[1];
  const document = name && json.data?.aws_iam_policy_document?.[name];
  if (!document) throw new Error(`${policyReference} does not refer to a policy document`);
  return document;
}
