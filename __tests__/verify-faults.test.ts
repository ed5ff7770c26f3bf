/**
 * verify against endpoints that misbehave: an AWS endpoint that accepts connections and never answers (the
 * call fails within its timeout, after a bounded number of attempts), one that refuses them, and the HTTPS
 * health check against a real TLS server with a certificate for the application's domain.
 */
import { execFileSync } from 'child_process';
import { mkdtempSync, readFileSync, rmSync } from 'fs';
import { createServer as createHttpsServer, Server as HttpsServer } from 'https';
import { createServer, Server, Socket } from 'net';
import { tmpdir } from 'os';
import { join } from 'path';
import { runChecks } from '../cli/verify/check';
import { createAwsClients, destroyAwsClients } from '../cli/verify/clients';
import { databaseInstance } from '../cli/verify/checks/database';
import { loadBalancerHttps } from '../cli/verify/checks/load-balancer';
import { loadConfig } from '../modules/core/config';
import { healthyOutputs } from './support/verify-environment';

const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'not-a-real-key' };
const config = loadConfig({ env: {} });

/** Accepts TCP connections and never answers, as an endpoint behind a packet-dropping firewall looks. */
async function blackHole(): Promise<{ server: Server; port: number; connections: () => number; close: () => Promise<void> }> {
  const sockets: Socket[] = [];
  const server = createServer((socket) => { sockets.push(socket); socket.on('error', () => undefined); });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    server,
    port: (server.address() as { port: number }).port,
    connections: () => sockets.length,
    close: async () => { for (const socket of sockets) socket.destroy(); await new Promise((resolve) => server.close(resolve)); },
  };
}

describe('AWS endpoints that do not answer', () => {
  it('a check fails with TimeoutError after maxAttempts attempts, within their timeouts', async () => {
    const endpoint = await blackHole();
    const clients = createAwsClients('us-east-1', { endpoint: `http://127.0.0.1:${endpoint.port}`, credentials, requestTimeoutMs: 300, connectionTimeoutMs: 300, maxAttempts: 2 });
    try {
      const started = Date.now();
      const [result] = await runChecks([databaseInstance], { config, clients, outputs: healthyOutputs() });
      const elapsed = Date.now() - started;
      expect(result).toMatchObject({ status: 'fail', detail: expect.stringMatching(/^TimeoutError/) });
      expect(endpoint.connections()).toBe(2);
      // Two attempts of 300 ms and the standard mode's backoff between them (under a second).
      expect(elapsed).toBeLessThan(3000);
    } finally {
      destroyAwsClients(clients);
      await endpoint.close();
    }
  });

  it('a refused connection fails the check at once, naming the error', async () => {
    const closed = await blackHole();
    const port = closed.port;
    await closed.close();
    const clients = createAwsClients('us-east-1', { endpoint: `http://127.0.0.1:${port}`, credentials, maxAttempts: 2 });
    try {
      const started = Date.now();
      const [result] = await runChecks([databaseInstance], { config, clients, outputs: healthyOutputs() });
      expect(result).toMatchObject({ status: 'fail', detail: expect.stringContaining('ECONNREFUSED') });
      expect(Date.now() - started).toBeLessThan(3000);
    } finally {
      destroyAwsClients(clients);
    }
  });

  it('every client is made with a timeout and bounded retries', async () => {
    const clients = createAwsClients('us-east-1', { credentials });
    try {
      for (const client of Object.values(clients)) {
        expect(await client.config.maxAttempts()).toBe(3);
        const retryMode = client.config.retryMode as unknown;
        expect(typeof retryMode === 'function' ? await retryMode() : retryMode).toBe('standard');
        const handler = client.config.requestHandler as unknown as { configProvider: Promise<Record<string, unknown>> };
        expect(await handler.configProvider).toMatchObject({ requestTimeout: 10000, connectionTimeout: 3000, throwOnRequestTimeout: true });
      }
    } finally {
      destroyAwsClients(clients);
    }
  });
});

describe('HTTPS health through the load balancer', () => {
  let directory: string;
  let server: HttpsServer;
  let port: number;
  let ca: string;

  beforeAll(async () => {
    directory = mkdtempSync(join(tmpdir(), 'verify-tls-'));
    const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: directory, stdio: 'pipe' });
    openssl('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-noenc', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=verify test CA');
    openssl('req', '-x509', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-noenc',
      '-keyout', 'server.key', '-out', 'server.pem', '-days', '2', '-subj', '/CN=app.example.com', '-addext', 'subjectAltName=DNS:app.example.com');
    ca = readFileSync(join(directory, 'ca.pem'), 'utf8');
    server = createHttpsServer({ key: readFileSync(join(directory, 'server.key')), cert: readFileSync(join(directory, 'server.pem')) }, (request, response) => {
      response.writeHead(request.url === '/health' && request.headers.host === 'app.example.com' ? 200 : 404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as { port: number }).port;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    rmSync(directory, { recursive: true, force: true });
  });

  const withCertificate = loadConfig({ env: { CERTIFICATE_ARN: 'arn:aws:acm:us-east-1:123456789012:certificate/00000000-0000-0000-0000-000000000000' } });
  const clients = {} as never;
  const check = (host: string, trust?: string) =>
    runChecks([loadBalancerHttps], { config: withCertificate, clients, outputs: healthyOutputs(), probe: { host, httpsPort: port, ca: trust, timeoutMs: 2000 } });

  it('passes when the load balancer answers 200 for the certificate\'s name, verified against its CA', async () => {
    expect((await check('app.example.com', ca))[0]).toMatchObject({ status: 'pass', detail: 'https://app.example.com/health (via 127.0.0.1) answered 200' });
  });

  it('fails a certificate that does not name the host', async () => {
    expect((await check('other.example.com', ca))[0]).toMatchObject({ status: 'fail', detail: expect.stringContaining('ERR_TLS_CERT_ALTNAME_INVALID') });
  });

  it('fails a certificate from an untrusted CA', async () => {
    expect((await check('app.example.com'))[0]).toMatchObject({ status: 'fail', detail: expect.stringMatching(/UNABLE_TO_VERIFY_LEAF_SIGNATURE|unable to verify/) });
  });
});
