/**
 * The internet-facing Application Load Balancer (access logs on), its blue and green target groups, and listeners
 * whose default action needs nothing from the app layer: until a release attaches its weighted
 * blue/green rule, they answer 503. With a certificate, HTTPS (TLS 1.3 policy) serves and HTTP
 * redirects to it; without one, HTTP serves alone and synthesis warns.
 */
import { Lb } from '@cdktf/provider-aws/lib/lb';
import { LbListener, LbListenerDefaultAction } from '@cdktf/provider-aws/lib/lb-listener';
import { LbTargetGroup } from '@cdktf/provider-aws/lib/lb-target-group';
import { Annotations, ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { AccessLogBucket } from './access-logs';
import { AppColor } from '../core/config';
import { NAME_LIMITS, Naming } from '../core/naming';

/** Negotiates TLS 1.3 and 1.2 only: AWS's recommended policy for internet-facing listeners. */
const SSL_POLICY = 'ELBSecurityPolicy-TLS13-1-2-2021-06';

export interface HealthCheckOptions {
  /** @default '/health' */
  readonly path?: string;
  /** Seconds between checks. @default 15 */
  readonly intervalSeconds?: number;
  /** @default 5 */
  readonly timeoutSeconds?: number;
  /** @default 3 */
  readonly healthyThreshold?: number;
  /** @default 3 */
  readonly unhealthyThreshold?: number;
  /** HTTP codes that count as healthy. @default '200-399' */
  readonly matcher?: string;
}

export interface LoadBalancerProps {
  readonly naming: Naming;
  readonly vpcId: string;
  /** Public subnets, one per AZ. */
  readonly subnetIds: string[];
  /**
   * The internet gateway and the public routes (VpcNetwork.internetAccess). AWS refuses an internet-facing
   * load balancer in a VPC whose gateway is not attached yet, and nothing else orders it after them.
   */
  readonly internetAccess: ITerraformDependable[];
  readonly securityGroupIds: string[];
  /** Where the load balancer writes its access logs. */
  readonly accessLogs: AccessLogBucket;
  /** Port the targets listen on. */
  readonly targetPort: number;
  /** ACM certificate for HTTPS. @default none: HTTP only, with a synth-time warning */
  readonly certificateArn?: string;
  /** @default true */
  readonly deletionProtection?: boolean;
  readonly healthCheck?: HealthCheckOptions;
}

/** Seconds a deregistering target keeps draining: short, so a blue/green switch is quick. */
const DEREGISTRATION_DELAY_SECONDS = 30;

/** Answer while no release has attached its forwarding rule. */
const NO_RELEASE_RESPONSE: LbListenerDefaultAction = {
  type: 'fixed-response',
  fixedResponse: { contentType: 'text/plain', statusCode: '503', messageBody: 'No release is attached to this load balancer yet.' },
};

export class LoadBalancer extends Construct {
  readonly loadBalancer: Lb;
  readonly targetGroups: Readonly<Record<AppColor, LbTargetGroup>>;
  readonly httpListener: LbListener;
  readonly httpsListener?: LbListener;
  /** The listener that serves the application: HTTPS when there is a certificate, else HTTP. */
  readonly trafficListener: LbListener;

  constructor(scope: Construct, id: string, props: LoadBalancerProps) {
    super(scope, id);
    const { naming } = props;
    const name = naming.name('alb', NAME_LIMITS.loadBalancer);
    this.loadBalancer = new Lb(this, 'alb', {
      name,
      loadBalancerType: 'application',
      internal: false,
      subnets: props.subnetIds,
      securityGroups: props.securityGroupIds,
      dropInvalidHeaderFields: true,
      enableDeletionProtection: props.deletionProtection ?? true,
      accessLogs: { enabled: true, bucket: props.accessLogs.bucket.id, prefix: props.accessLogs.prefix },
      tags: { Name: name },
      // AWS checks the bucket policy when logging is switched on.
      dependsOn: [props.accessLogs.policy, ...props.internetAccess],
    });

    const health = props.healthCheck ?? {};
    const targetGroup = (color: AppColor) => {
      const groupName = naming.name(color, NAME_LIMITS.targetGroup);
      return new LbTargetGroup(this, color, {
        name: groupName,
        vpcId: props.vpcId,
        port: props.targetPort,
        protocol: 'HTTP',
        targetType: 'instance',
        deregistrationDelay: String(DEREGISTRATION_DELAY_SECONDS),
        healthCheck: {
          enabled: true,
          protocol: 'HTTP',
          port: 'traffic-port',
          path: health.path ?? '/health',
          interval: health.intervalSeconds ?? 15,
          timeout: health.timeoutSeconds ?? 5,
          healthyThreshold: health.healthyThreshold ?? 3,
          unhealthyThreshold: health.unhealthyThreshold ?? 3,
          matcher: health.matcher ?? '200-399',
        },
        tags: { Name: groupName },
      });
    };
    this.targetGroups = { blue: targetGroup('blue'), green: targetGroup('green') };

    const listener = (protocol: 'HTTP' | 'HTTPS', defaultAction: LbListenerDefaultAction, tls?: { certificateArn: string; sslPolicy: string }) =>
      new LbListener(this, protocol.toLowerCase(), {
        loadBalancerArn: this.loadBalancer.arn,
        protocol,
        port: protocol === 'HTTPS' ? 443 : 80,
        ...tls,
        defaultAction: [defaultAction],
        tags: naming.nameTag(`${protocol.toLowerCase()}-listener`),
      });

    if (props.certificateArn) {
      this.httpsListener = listener('HTTPS', NO_RELEASE_RESPONSE, {
        certificateArn: props.certificateArn,
        sslPolicy: SSL_POLICY,
      });
      this.httpListener = listener('HTTP', {
        type: 'redirect',
        redirect: { protocol: 'HTTPS', port: '443', statusCode: 'HTTP_301' },
      });
      this.trafficListener = this.httpsListener;
    } else {
      this.httpListener = listener('HTTP', NO_RELEASE_RESPONSE);
      this.trafficListener = this.httpListener;
      Annotations.of(this).addWarning(
        'No CERTIFICATE_ARN is set, so the load balancer serves plain HTTP only. Set CERTIFICATE_ARN to an ACM certificate in the same region to serve HTTPS and redirect HTTP to it.');
    }
  }
}
