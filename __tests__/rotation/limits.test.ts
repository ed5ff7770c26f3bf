// The worst case of one invocation, from which the data layer sets the Lambda timeout, and the server-side timeouts.
// That each step does no more work than STEP_WORK counts is checked against a real rotation in rotation.test.ts.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  DEFAULT_DB_TIMEOUT_MS,
  rotationWorstCaseMs,
  SECRETS_MANAGER_LIMITS,
  secretsManagerCallWorstCaseMs,
  serverTimeoutsMs,
} from '../../lambda/rotation/limits';

const ROOT = join(__dirname, '..', '..');

describe('secretsManagerCallWorstCaseMs', () => {
  it('is three attempts of 2 s and two retries after the longest throttling wait and Retry-After allowance', () => {
    expect(SECRETS_MANAGER_LIMITS).toEqual({ connectionTimeoutMs: 1000, requestTimeoutMs: 2000, maxAttempts: 3 });
    expect(secretsManagerCallWorstCaseMs()).toBe(3 * 2000 + (1000 + 5000) + (2000 + 5000));
  });
});

describe('rotationWorstCaseMs', () => {
  it('is setSecret with the default DB_TIMEOUT_MS: 4 Secrets Manager calls and 3 sessions of 3 limits each', () => {
    expect(DEFAULT_DB_TIMEOUT_MS).toBe(5000);
    expect(rotationWorstCaseMs(5000)).toBe(4 * 19_000 + 3 * 3 * 5000);
    expect(rotationWorstCaseMs(5000)).toBe(121_000);
    expect(rotationWorstCaseMs()).toBe(121_000);
  });

  it('is createSecret, with its 5 calls, when the database limit is short', () => {
    expect(rotationWorstCaseMs(1000)).toBe(5 * 19_000);
  });

  it('grows by 9 limits for each millisecond of DB_TIMEOUT_MS once setSecret dominates', () => {
    expect(rotationWorstCaseMs(10_001) - rotationWorstCaseMs(10_000)).toBe(9);
  });

  it.each([0, -1, 2.5, Number.NaN])('refuses %p', (value) => {
    expect(() => rotationWorstCaseMs(value)).toThrow('dbTimeoutMs must be a positive integer');
  });

  it('lives in a file that imports nothing, so infrastructure code can use it at synth time', () => {
    const source = readFileSync(join(ROOT, 'lambda', 'rotation', 'limits.ts'), 'utf8');
    expect(source).not.toMatch(/^\s*import\s|require\(/m);
  });

  it('is what README.md states beside the default of DB_TIMEOUT_MS', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const row = readme.split('\n').find((line) => line.startsWith('| `DB_TIMEOUT_MS` |'));
    expect(row).toContain(`| \`DB_TIMEOUT_MS\` | \`${DEFAULT_DB_TIMEOUT_MS}\` |`);
    const worstCase = `\`rotationWorstCaseMs(${DEFAULT_DB_TIMEOUT_MS})\` in \`limits.ts\`: ${rotationWorstCaseMs() / 1000} s`;
    expect(row).toContain(worstCase);
  });
});

describe('serverTimeoutsMs', () => {
  it('cancels a lock wait, then any statement, before the client gives up at DB_TIMEOUT_MS', () => {
    expect(serverTimeoutsMs(5000)).toEqual({ statementTimeoutMs: 4000, lockTimeoutMs: 3500 });
    expect(serverTimeoutsMs(2000)).toEqual({ statementTimeoutMs: 1600, lockTimeoutMs: 1400 });
  });

  it('never gives 0, which PostgreSQL reads as no limit', () => {
    expect(serverTimeoutsMs(1)).toEqual({ statementTimeoutMs: 1, lockTimeoutMs: 1 });
  });
});
