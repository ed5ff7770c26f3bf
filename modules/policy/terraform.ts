/**
 * Reading Terraform JSON as cdktf writes it: snake_case attributes, nested blocks as an object or a list of
 * one, references and functions as `${...}` strings, and a `//` key of cdktf metadata on each element. Every
 * reader here treats unknown shapes as absent rather than failing: the CLI meets files it did not make.
 */

type Body = Record<string, unknown>;

/** The parts of a synthesized cdk.tf.json the rules read. */
export interface SynthesizedStack {
  readonly '//'?: Body;
  readonly provider?: Record<string, unknown>;
  readonly resource?: Record<string, Record<string, unknown>>;
  readonly data?: Record<string, Record<string, unknown>>;
  readonly output?: Record<string, unknown>;
  readonly locals?: Record<string, unknown>;
}

export interface Element {
  /** `aws_vpc.main`, or `data.aws_iam_policy_document.x`. */
  readonly address: string;
  readonly type: string;
  readonly name: string;
  readonly body: Body;
}

/** One synthesized stack with the lookups every rule needs, built once. */
export class StackView {
  readonly name: string;
  private readonly byType = new Map<string, Element[]>();
  private readonly byAddress = new Map<string, Element>();

  constructor(readonly json: SynthesizedStack, stackName?: string) {
    const metadata = asObject(asObject(json['//'])?.metadata);
    this.name = stackName ?? (typeof metadata?.stackName === 'string' ? metadata.stackName : 'stack');
    for (const [kind, prefix] of [[json.resource, ''], [json.data, 'data.']] as const) {
      for (const [type, instances] of Object.entries(asObject(kind) ?? {})) {
        for (const [name, body] of Object.entries(asObject(instances) ?? {})) {
          const element = { address: `${prefix}${type}.${name}`, type: `${prefix}${type}`, name, body: asObject(body) ?? {} };
          this.byAddress.set(element.address, element);
          this.byType.set(element.type, [...(this.byType.get(element.type) ?? []), element]);
        }
      }
    }
  }

  /** Resources of `type` (data sources: `data.<type>`). */
  ofType(type: string): Element[] {
    return this.byType.get(type) ?? [];
  }

  /** Every resource (not data source). */
  resources(): Element[] {
    return [...this.byAddress.values()].filter((element) => !element.address.startsWith('data.'));
  }

  get(address: string): Element | undefined {
    return this.byAddress.get(address);
  }

  /** The element a value such as `${aws_security_group.alb.id}` refers to, when it is exactly one reference into this stack. */
  referenced(value: unknown): Element | undefined {
    const address = referenceAddress(value);
    return address === undefined ? undefined : this.byAddress.get(address);
  }

  /** The construct path cdktf recorded for an element (`network/vpc/vpc`), if any. */
  pathOf(address: string): string | undefined {
    const path = asObject(asObject(this.byAddress.get(address)?.body['//'])?.metadata)?.path;
    return typeof path === 'string' ? path : undefined;
  }
}

/** `${type.name.attribute}` or `${data.type.name.attribute}` → `type.name` / `data.type.name`. */
const REFERENCE = /^\$\{((?:data\.)?[a-zA-Z0-9_-]+\.[a-zA-Z0-9_-]+)(?:\[[^\]]*\])?(?:\.[a-zA-Z0-9_.*[\]-]+)?\}$/;

export function referenceAddress(value: unknown): string | undefined {
  return typeof value === 'string' ? REFERENCE.exec(value)?.[1] : undefined;
}

/** Whether any string inside `value` refers to the element at `address`. */
export function refersTo(value: unknown, address: string): boolean {
  const pattern = new RegExp(`\\b${address.replace(/[.]/g, '\\.')}\\b`);
  return strings(value).some((text) => isExpression(text) && pattern.test(text));
}

/** A value Terraform computes at plan time: it holds an interpolation (`$${` is a literal `${`). */
export function isExpression(value: unknown): value is string {
  return typeof value === 'string' && /(^|[^$])\$\{/.test(value);
}

/** Every string inside a JSON value. */
export function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value !== null && typeof value === 'object') return Object.values(value).flatMap(strings);
  return [];
}

export function asObject(value: unknown): Body | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Body) : undefined;
}

/** A nested block, written either as an object or as a list of one. */
export function block(value: unknown): Body | undefined {
  return asObject(Array.isArray(value) ? value[0] : value);
}

/** A repeated block (or an attribute list of objects), whichever shape it was written in. */
export function blocks(value: unknown): Body[] {
  if (Array.isArray(value)) return value.map(asObject).filter((item): item is Body => item !== undefined);
  const single = asObject(value);
  return single ? [single] : [];
}

/** A list attribute; a single string counts as a list of one. */
export function list(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  return value === undefined || value === null ? [] : [value];
}

/**
 * A boolean attribute: true/false (also written as strings, as some bindings type them), `undefined` when
 * absent, or the expression itself when Terraform decides at plan time.
 */
export function bool(value: unknown): boolean | undefined | { expression: string } {
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  if (isExpression(value)) return { expression: value };
  return undefined;
}

/** A number attribute: the number, `undefined` when absent or not numeric, or the expression. */
export function num(value: unknown): number | undefined | { expression: string } {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value.trim())) return Number(value);
  if (isExpression(value)) return { expression: value };
  return undefined;
}

/** The message of an undecided result: which attribute, and the expression it could not read. */
export function couldNotDecide(attribute: string, expression: string): string {
  return `could not decide: ${attribute} is ${JSON.stringify(expression)}, known only at plan time`;
}
