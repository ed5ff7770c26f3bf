/**
 * Load balancer rules (seed fix 4 and the checklist): HTTPS with a modern TLS policy, HTTP only as a redirect
 * to it outside development, access logs, and malformed headers dropped before they reach the application.
 */
import type { Rule, RuleResult } from '../engine';
import { block, blocks, bool, couldNotDecide, Element, isExpression, StackView } from '../terraform';

/** TLS 1.3 policies with TLS 1.2 at the least (the TLS13-1-0 and -1-1 ones still accept old protocols). */
const TLS13_POLICY = /^ELBSecurityPolicy-TLS13-1-[23]-/;
const LOAD_BALANCER_TYPES = ['aws_lb', 'aws_alb'];

function loadBalancers(stack: StackView): Element[] {
  return LOAD_BALANCER_TYPES.flatMap((type) => stack.ofType(type));
}

function listeners(stack: StackView): Element[] {
  return ['aws_lb_listener', 'aws_alb_listener'].flatMap((type) => stack.ofType(type));
}

function isApplication(body: Record<string, unknown>): boolean {
  return body.load_balancer_type === undefined || body.load_balancer_type === 'application';
}

/** Whether an HTTP listener redirects to HTTPS; undefined when its actions are an expression. */
function redirectsToHttps(listener: Element): boolean | undefined {
  if (isExpression(listener.body.default_action)) return undefined;
  return blocks(listener.body.default_action).some((action) => action.type === 'redirect' && block(action.redirect)?.protocol === 'HTTPS');
}

export const LOAD_BALANCER_RULES: readonly Rule[] = [
  {
    id: 'https-listeners',
    family: 'load-balancer',
    severity: 'error',
    title: 'HTTPS listeners use a TLS 1.3 policy; beside one, HTTP listeners only redirect',
    rationale: 'TLS 1.0 and 1.1 are broken; plain HTTP beside HTTPS serves the same content unencrypted.',
    fix: 'Use ssl_policy ELBSecurityPolicy-TLS13-1-2-2021-06 (or newer) and make the HTTP listener redirect to HTTPS',
    references: { checkov: ['CKV_AWS_103', 'CKV2_AWS_20'], trivy: ['AVD-AWS-0047'] },
    check: (stack) => {
      const all = listeners(stack);
      const httpsLoadBalancers = new Set(all.filter(({ body }) => body.protocol === 'HTTPS').map(({ body }) => String(body.load_balancer_arn)));
      return all.flatMap((listener): RuleResult[] => {
        const { address, body } = listener;
        if (body.protocol === 'HTTPS') {
          if (isExpression(body.ssl_policy)) return [{ address, severity: 'undecided', message: couldNotDecide('ssl_policy', body.ssl_policy) }];
          return TLS13_POLICY.test(String(body.ssl_policy)) ? [] : [{ address, message: `HTTPS listener uses ${JSON.stringify(body.ssl_policy ?? 'the default policy')}, not a TLS 1.3 policy that refuses TLS 1.0 and 1.1` }];
        }
        if (body.protocol !== 'HTTP' || !httpsLoadBalancers.has(String(body.load_balancer_arn))) return [];
        const redirects = redirectsToHttps(listener);
        if (redirects === undefined) return [{ address, severity: 'undecided', message: couldNotDecide('default_action', String(body.default_action)) }];
        return redirects ? [] : [{ address, message: 'HTTP listener beside an HTTPS one must redirect to HTTPS' }];
      });
    },
  },
  {
    id: 'https-only-outside-dev',
    family: 'load-balancer',
    severity: 'error',
    title: 'Outside development, a load balancer serves HTTPS; HTTP only redirects to it',
    rationale: 'Credentials and sessions must not cross the internet in plain text; development may go without a certificate (a warning there).',
    fix: 'Set CERTIFICATE_ARN to an ACM certificate in the region: HTTPS serves, HTTP redirects',
    references: { checkov: ['CKV_AWS_2'], trivy: ['AVD-AWS-0054'] },
    check: (stack, { isDev }) => {
      const all = listeners(stack);
      return all
        .filter((listener) => listener.body.protocol === 'HTTP' && redirectsToHttps(listener) !== true)
        .filter((listener) => !all.some(({ body }) => body.protocol === 'HTTPS' && body.load_balancer_arn === listener.body.load_balancer_arn))
        .map((listener): RuleResult => (redirectsToHttps(listener) === undefined
          ? { address: listener.address, severity: 'undecided', message: couldNotDecide('default_action of an HTTP listener with no HTTPS one beside it', String(listener.body.default_action)) }
          : {
            address: listener.address,
            severity: isDev ? 'warning' : 'error',
            message: `the load balancer serves plain HTTP with no HTTPS listener${isDev ? ' (allowed in development only)' : ''}`,
          }));
    },
  },
  {
    id: 'load-balancer-access-logs',
    family: 'load-balancer',
    severity: 'error',
    title: 'Every load balancer writes access logs',
    rationale: 'Who called what, and when, is the first question after an incident.',
    fix: 'Set access_logs { enabled = true, bucket = ... } on the load balancer',
    references: { checkov: ['CKV_AWS_91'], cdkNag: ['AwsSolutions-ELB2'] },
    check: (stack) => loadBalancers(stack).flatMap(({ address, body }): RuleResult[] => {
      const enabled = bool(block(body.access_logs)?.enabled);
      if (typeof enabled === 'object') return [{ address, severity: 'undecided', message: couldNotDecide('access_logs.enabled', enabled.expression) }];
      return enabled === true ? [] : [{ address, message: 'load balancer does not write access logs' }];
    }),
  },
  {
    id: 'load-balancer-invalid-headers',
    family: 'load-balancer',
    severity: 'error',
    title: 'Application load balancers drop invalid HTTP header fields',
    rationale: 'Malformed headers are how request smuggling and desync attacks reach the application.',
    fix: 'Set drop_invalid_header_fields = true',
    references: { checkov: ['CKV_AWS_131'], trivy: ['AVD-AWS-0052'] },
    check: (stack) => loadBalancers(stack).filter(({ body }) => isApplication(body)).flatMap(({ address, body }): RuleResult[] => {
      const drops = bool(body.drop_invalid_header_fields);
      if (typeof drops === 'object') return [{ address, severity: 'undecided', message: couldNotDecide('drop_invalid_header_fields', drops.expression) }];
      return drops === true ? [] : [{ address, message: 'the load balancer passes invalid header fields to its targets' }];
    }),
  },
];
