/**
 * What a check is, what it sees, and how the runner turns it into one line: pass, fail with the reason, or
 * skipped with why. A check names the layer outputs it needs; when a layer's state lacks one, the check is
 * skipped (saying which), never run on a guess.
 */
import { Config, Layer } from '../../modules/core/config';
import { CONTRACT } from '../../modules/core/contract';
import { AwsClients } from './clients';
import { StateOutputs } from './state';

export type OutputName<L extends Layer> = keyof (typeof CONTRACT)[L] & string;
export type OutputRef = { [L in Layer]: readonly [L, OutputName<L>] }[Layer];

export type Status = 'pass' | 'fail' | 'skip';
export interface Verdict {
  readonly status: Status;
  readonly detail: string;
}
export const pass = (detail: string): Verdict => ({ status: 'pass', detail });
export const fail = (detail: string): Verdict => ({ status: 'fail', detail });
export const skip = (detail: string): Verdict => ({ status: 'skip', detail });
/** Pass when there are no problems, else fail listing them all. */
export const verdict = (problems: string[], passed: string): Verdict => (problems.length === 0 ? pass(passed) : fail(problems.join('; ')));

export interface LoadBalancerProbe {
  /** The name on the certificate, sent as SNI and Host for HTTPS (the ALB's own DNS name is not on it). */
  readonly host?: string;
  /** @default 80 */
  readonly httpPort?: number;
  /** @default 443 */
  readonly httpsPort?: number;
  /** Extra CA certificates to trust (PEM), for a private CA. */
  readonly ca?: string;
  /** @default 5000 */
  readonly timeoutMs?: number;
}

export interface CheckContext {
  readonly config: Config;
  readonly clients: AwsClients;
  readonly now: Date;
  readonly probe: LoadBalancerProbe;
  output<L extends Layer>(layer: L, name: OutputName<L>): string;
  list<L extends Layer>(layer: L, name: OutputName<L>): string[];
  /** One promise per key for the whole run, for answers several checks share. */
  shared<T>(key: string, load: () => Promise<T>): Promise<T>;
}

export interface Check {
  readonly layer: Layer;
  readonly name: string;
  readonly needs: readonly OutputRef[];
  run(context: CheckContext): Promise<Verdict>;
}

export interface CheckResult extends Verdict {
  readonly layer: Layer;
  readonly name: string;
}

export interface RunInput {
  readonly config: Config;
  readonly clients: AwsClients;
  /** Outputs per layer, or why they could not be read. */
  readonly outputs: Readonly<Record<Layer, StateOutputs | Error>>;
  readonly probe?: LoadBalancerProbe;
  readonly now?: Date;
}

/** Runs the checks concurrently; results in the checks' order. */
export async function runChecks(checks: readonly Check[], input: RunInput): Promise<CheckResult[]> {
  const cache = new Map<string, Promise<unknown>>();
  const value = (layer: Layer, name: string): unknown => (input.outputs[layer] as StateOutputs)[name];
  const context: CheckContext = {
    config: input.config,
    clients: input.clients,
    now: input.now ?? new Date(),
    probe: input.probe ?? {},
    output: (layer, name) => String(value(layer, name)),
    list: (layer, name) => value(layer, name) as string[],
    shared: <T>(key: string, load: () => Promise<T>) => {
      if (!cache.has(key)) cache.set(key, load());
      return cache.get(key) as Promise<T>;
    },
  };
  return Promise.all(checks.map(async (check): Promise<CheckResult> => {
    const result = (verdictOf: Verdict): CheckResult => ({ layer: check.layer, name: check.name, ...verdictOf });
    // Every check needs its own layer deployed, whichever outputs it reads.
    for (const [layer, name] of [[check.layer, undefined] as const, ...check.needs]) {
      const outputs = input.outputs[layer];
      if (outputs instanceof Error) return result(skip(`needs the ${layer} layer's outputs, which could not be read (see its state line)`));
      if (name === undefined) continue;
      const found = outputs[name];
      if (found === undefined || found === null || found === '') return result(skip(`the ${layer} layer's state has no ${name} output`));
    }
    try {
      return result(await check.run(context));
    } catch (error) {
      return result(fail(describeError(error)));
    }
  }));
}

/** An SDK or network error as one line: its name (TimeoutError, AccessDeniedException...) and message. */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as NodeJS.ErrnoException).code;
  return `${error.name}${code && code !== error.name ? ` ${code}` : ''}: ${error.message}`;
}
