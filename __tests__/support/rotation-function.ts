// The built rotation function (dist/rotation/index.js), loaded as Lambda would load it, with every log line it
// writes and every error it throws kept in a transcript, so tests can check that no secret value ever shows.

import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { format, inspect } from 'node:util';
// Only the type: the tests run the built bundle, never the sources.
import type { RotationEvent } from '../../lambda/rotation';

const ROOT = join(__dirname, '..', '..');
export const BUNDLE = join(ROOT, 'dist', 'rotation', 'index.js');
const SOURCES = join(ROOT, 'lambda', 'rotation');
const LOCKFILE = join(ROOT, 'package-lock.json');

export const STEPS = ['createSecret', 'setSecret', 'testSecret', 'finishSecret'] as const;

type Environment = Record<string, string | undefined>;

/** The event Secrets Manager sends for one step. */
export function rotationEvent(secretId: string, token: string, step: string): RotationEvent {
  return { SecretId: secretId, ClientRequestToken: token, Step: step };
}

export class RotationFunction {
  private transcript: string[] = [];

  private constructor(private readonly handler: (event: RotationEvent) => Promise<unknown>) {}

  /** Builds the bundle if it is missing or older than its sources, then loads it; the SDK client reads `env` now. */
  static load(env: Environment): RotationFunction {
    buildBundleIfStale();
    setEnvironment(env);
    const { handler } = require(BUNDLE) as { handler: (event: RotationEvent) => Promise<unknown> };
    return new RotationFunction(handler);
  }

  /** Invokes the handler, with `env` set for this invocation only (undefined removes a variable). */
  async invoke(event: RotationEvent, env: Environment = {}): Promise<unknown> {
    const restoreEnvironment = setEnvironment(env);
    const consoleSpies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((method) =>
      jest.spyOn(console, method).mockImplementation((...args: unknown[]) => {
        this.transcript.push(format(...args));
      }),
    );
    try {
      return await this.handler(event);
    } catch (error) {
      // As the Lambda runtime would log it, with every property and cause.
      this.transcript.push(inspect(error, { depth: 10 }));
      throw error;
    } finally {
      for (const spy of consoleSpies) spy.mockRestore();
      restoreEnvironment();
    }
  }

  /** Runs the four steps in order, as Secrets Manager does. */
  async rotate(secretId: string, token: string, env: Environment = {}): Promise<void> {
    for (const step of STEPS) await this.invoke(rotationEvent(secretId, token, step), env);
  }

  /** The log lines and errors so far. */
  get lines(): readonly string[] {
    return this.transcript;
  }

  /** The log lines and errors since the last call. */
  takeTranscript(): string[] {
    const lines = this.transcript;
    this.transcript = [];
    return lines;
  }
}

function setEnvironment(env: Environment): () => void {
  const saved = Object.keys(env).map((name) => [name, process.env[name]] as const);
  const assign = ([name, value]: readonly [string, string | undefined]) => {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  };
  Object.entries(env).forEach(assign);
  return () => saved.forEach(assign);
}

/** Builds dist/rotation/index.js if it is missing or older than its sources. */
export function buildBundleIfStale(): void {
  if (!isBundleFresh()) execFileSync('npm', ['run', 'build:lambda'], { cwd: ROOT, stdio: 'pipe' });
}

function isBundleFresh(): boolean {
  if (!existsSync(BUNDLE)) return false;
  const sources = [
    LOCKFILE,
    ...readdirSync(SOURCES, { recursive: true, encoding: 'utf8' }).map((f) => join(SOURCES, f)),
  ];
  const built = statSync(BUNDLE).mtimeMs;
  return sources.every((file) => statSync(file).mtimeMs <= built);
}
