/**
 * The load balancer answers the health path: over HTTP with 200 when there is no certificate; with one,
 * HTTP redirects to HTTPS and HTTPS answers 200. The certificate names the application's domain, not the
 * load balancer's DNS name, so HTTPS is checked only when `--host` says which name to ask for (sent as SNI
 * and Host, connecting to the load balancer's DNS name), with full certificate verification.
 */
import { get as httpGet } from 'http';
import { get as httpsGet } from 'https';
import { Check, fail, pass, skip } from '../check';

interface Answer {
  readonly status: number;
  readonly location?: string;
}

interface Request {
  readonly protocol: 'http' | 'https';
  readonly address: string;
  readonly port: number;
  readonly path: string;
  readonly host?: string;
  readonly ca?: string;
  readonly timeoutMs: number;
}

/** One GET, its body discarded; fails after `timeoutMs` without an answer. */
function fetchStatus(request: Request): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const options = {
      host: request.address,
      port: request.port,
      path: request.path,
      headers: request.host ? { Host: request.host } : {},
      timeout: request.timeoutMs,
      ...(request.protocol === 'https' ? { servername: request.host ?? request.address, ...(request.ca ? { ca: request.ca } : {}) } : {}),
    };
    const call = (request.protocol === 'https' ? httpsGet : httpGet)(options, (response) => {
      response.resume();
      resolve({ status: response.statusCode ?? 0, location: response.headers.location });
    });
    call.on('timeout', () => call.destroy(new Error(`no answer within ${request.timeoutMs} ms`)));
    call.on('error', reject);
  });
}

export const loadBalancerHttp: Check = {
  layer: 'network',
  name: 'load balancer answers HTTP',
  needs: [['network', 'AlbDnsName']],
  async run({ config, probe, output }) {
    const path = config.alb.healthCheckPath;
    const address = output('network', 'AlbDnsName');
    const answer = await fetchStatus({ protocol: 'http', address, port: probe.httpPort ?? 80, path, host: probe.host, timeoutMs: probe.timeoutMs ?? 5000 });
    const url = `http://${address}${path}`;
    if (!config.alb.certificateArn) {
      return answer.status === 200 ? pass(`${url} answered 200`) : fail(`${url} answered ${answer.status}, expected 200 (503 means no release is attached or no target is healthy)`);
    }
    const redirected = [301, 302, 307, 308].includes(answer.status) && answer.location?.startsWith('https://');
    return redirected ? pass(`${url} redirects to ${answer.location}`) : fail(`${url} answered ${answer.status}${answer.location ? ` to ${answer.location}` : ''}; with a certificate HTTP must redirect to HTTPS`);
  },
};

export const loadBalancerHttps: Check = {
  layer: 'network',
  name: 'load balancer answers HTTPS',
  needs: [['network', 'AlbDnsName']],
  async run({ config, probe, output }) {
    if (!config.alb.certificateArn) return skip('no CERTIFICATE_ARN is configured: the load balancer serves HTTP only');
    if (!probe.host) return skip('pass --host <the domain on the certificate>: the certificate does not name the load balancer\'s own DNS name');
    const path = config.alb.healthCheckPath;
    const address = output('network', 'AlbDnsName');
    const answer = await fetchStatus({ protocol: 'https', address, port: probe.httpsPort ?? 443, path, host: probe.host, ca: probe.ca, timeoutMs: probe.timeoutMs ?? 5000 });
    const url = `https://${probe.host}${path} (via ${address})`;
    return answer.status === 200 ? pass(`${url} answered 200`) : fail(`${url} answered ${answer.status}, expected 200`);
  },
};
