// A Secrets Manager endpoint that accepts connections and never answers (as an endpoint behind a security group that
// drops the answers looks, or a VPC route that leads nowhere): each call is retried within bounds, then the invocation
// fails with an error that names the endpoint, long before any Lambda timeout.

import { randomUUID } from 'node:crypto';
import { SECRETS_MANAGER_LIMITS, secretsManagerCallWorstCaseMs } from '../../lambda/rotation/limits';
import { rotationEvent as event } from '../support/rotation-function';
import { useRotationSuite } from '../support/rotation-suite';

const suite = useRotationSuite({ withPostgres: false, secretsManagerBehindGate: true });
const { maxAttempts, requestTimeoutMs, connectionTimeoutMs } = SECRETS_MANAGER_LIMITS;

const anySecret = () => ({ engine: 'postgres', host: 'localhost', username: 'app', password: `p-${randomUUID()}` });

it('fails after the SDK retries, within the call bound, with a log line naming the endpoint', async () => {
  const { secretId, token } = suite.newRotation(anySecret());
  const endpoint = `http://127.0.0.1:${suite.secretsManagerGate.port}`;

  const started = Date.now();
  const error = await suite.rotation.invoke(event(secretId, token, 'createSecret')).catch((e: Error) => e);
  const took = Date.now() - started;

  const message =
    `Cannot reach Secrets Manager at ${endpoint}: DescribeSecret failed after ${maxAttempts} attempts ` +
    `(connection timeout ${connectionTimeoutMs} ms, request timeout ${requestTimeoutMs} ms): `;
  expect(error).toBeInstanceOf(Error);
  expect((error as Error).message).toMatch(new RegExp(`^${escapeRegExp(message)}.*requestTimeout`));
  expect(suite.rotation.lines[0]).toBe((error as Error).message);
  // Each attempt on a new connection, each given up after the request timeout.
  expect(suite.secretsManagerGate.connections).toBe(maxAttempts);
  expect(took).toBeGreaterThanOrEqual(maxAttempts * requestTimeoutMs - 50);
  expect(took).toBeLessThan(secretsManagerCallWorstCaseMs());
  expect(suite.secrets.requests).toEqual([]);
}, 30_000);

it('names the endpoint when nothing listens there', async () => {
  const { secretId, token } = suite.newRotation(anySecret());
  const endpoint = `http://127.0.0.1:${suite.secretsManagerGate.port}`;
  await suite.secretsManagerGate.stop();

  await expect(suite.rotation.invoke(event(secretId, token, 'createSecret'))).rejects.toThrow(
    `Cannot reach Secrets Manager at ${endpoint}: DescribeSecret failed after ${maxAttempts} attempts`,
  );
  expect(suite.rotation.lines.join('\n')).toContain('ECONNREFUSED');
});

it('completes the step when a retry is answered', async () => {
  const { secretId, token } = suite.newRotation(anySecret());
  const gate = suite.secretsManagerGate;
  // The first attempt's connection is held silent; the gate forwards the ones after it.
  const firstAttempt = new Promise<void>((resolve) => {
    const poll = setInterval(() => {
      if (gate.connections === 0) return;
      clearInterval(poll);
      resolve();
    }, 10);
  });

  const invocation = suite.rotation.invoke(event(secretId, token, 'createSecret'));
  await firstAttempt;
  gate.open();
  await invocation;

  // The silent one, then one kept alive for every call after it.
  expect(gate.connections).toBe(2);
  expect(suite.secrets.requestsFor('PutSecretValue')).toHaveLength(1);
  expect(suite.secrets.stages(secretId)[token]).toEqual(['AWSPENDING']);
}, 30_000);

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
