/** Outputs rule: a layer publishes every output of its contract, so the layers after it can read them. */
import type { Rule } from '../engine';
import { asObject } from '../terraform';

export const OUTPUT_RULES: readonly Rule[] = [
  {
    id: 'layer-outputs',
    family: 'outputs',
    severity: 'error',
    title: "A layer's stack exports every output of its contract",
    rationale: 'A later layer reads these outputs from remote state; a missing one breaks its plan, not this one.',
    fix: 'Publish the layer\'s outputs with publishLayerOutputs(stack, layer, values) (modules/core/contract.ts)',
    needs: ['expectedOutputs'],
    check: (stack, { expectedOutputs }) => {
      const outputs = asObject(stack.json.output) ?? {};
      const missing = expectedOutputs!.filter((name) => !(name in outputs));
      // A layer with no resources yet is a placeholder whose contract is declared ahead of it: a warning.
      if (stack.resources().length === 0 && missing.length > 0) {
        return [{ address: 'output', severity: 'warning', message: `the stack has no resources yet and exports none of ${missing.join(', ')}` }];
      }
      return missing.map((name) => ({ address: `output.${name}`, message: `the stack does not export ${name}, which its contract declares` }));
    },
  },
];
