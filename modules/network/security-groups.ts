/**
 * Every security group of the platform, in the network layer so that no layer needs another's
 * resources to open a port: load balancer, app servers, database, rotation function, VPC endpoints.
 * Each rule is its own resource with a description, and sources are groups wherever one exists.
 */
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { VpcSecurityGroupEgressRule } from '@cdktf/provider-aws/lib/vpc-security-group-egress-rule';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { Construct } from 'constructs';
import { APP_PORT, DATABASE_PORT } from '../core/config';
import { Naming } from '../core/naming';

const HTTP_PORT = 80;
const HTTPS_PORT = 443;
const SSH_PORT = 22;
const ANYWHERE = '0.0.0.0/0';

export interface PlatformSecurityGroupsProps {
  readonly naming: Naming;
  readonly vpcId: string;
  readonly vpcCidr: string;
  /** The only range that reaches SSH on the app servers (seed fix 5). */
  readonly sshIngressCidr: string;
}

/** Where a rule's traffic comes from or goes to: a CIDR range or another security group. */
type Peer = { readonly cidr: string } | { readonly group: SecurityGroup };

export class PlatformSecurityGroups extends Construct {
  readonly alb: SecurityGroup;
  readonly app: SecurityGroup;
  readonly database: SecurityGroup;
  readonly rotation: SecurityGroup;
  readonly endpoint: SecurityGroup;
  private readonly props: PlatformSecurityGroupsProps;

  constructor(scope: Construct, id: string, props: PlatformSecurityGroupsProps) {
    super(scope, id);
    this.props = props;
    this.alb = this.group('alb', 'Internet-facing load balancer');
    this.app = this.group('app', 'Java app servers behind the load balancer');
    this.database = this.group('database', 'PostgreSQL database');
    this.rotation = this.group('rotation', 'Secret rotation function');
    this.endpoint = this.group('endpoints', 'VPC interface endpoints');

    // Seed fix 4: HTTPS as well as HTTP from the internet.
    this.ingress(this.alb, HTTP_PORT, { cidr: ANYWHERE }, 'HTTP from the internet (redirected to HTTPS when a certificate is set)');
    this.ingress(this.alb, HTTPS_PORT, { cidr: ANYWHERE }, 'HTTPS from the internet');
    this.egress(this.alb, APP_PORT, { group: this.app }, 'Requests and health checks to the app servers');

    this.ingress(this.app, APP_PORT, { group: this.alb }, 'App traffic from the load balancer only');
    // Seed fix 5: SSH for troubleshooting, from the configured range only.
    this.ingress(this.app, SSH_PORT, { cidr: props.sshIngressCidr }, 'SSH for troubleshooting from SSH_INGRESS_CIDR');
    this.egress(this.app, DATABASE_PORT, { group: this.database }, 'PostgreSQL');
    this.egress(this.app, HTTPS_PORT, { cidr: ANYWHERE }, 'HTTPS to AWS APIs and package repositories (through NAT or VPC endpoints)');

    this.ingress(this.database, DATABASE_PORT, { group: this.app }, 'PostgreSQL from the app servers');
    this.ingress(this.database, DATABASE_PORT, { group: this.rotation }, 'PostgreSQL from the secret rotation function');

    this.egress(this.rotation, DATABASE_PORT, { group: this.database }, 'PostgreSQL, to change the password');
    this.egress(this.rotation, HTTPS_PORT, { group: this.endpoint }, 'Secrets Manager through its VPC endpoint');

    this.ingress(this.endpoint, HTTPS_PORT, { cidr: props.vpcCidr }, 'HTTPS from inside the VPC');
  }

  private group(role: string, purpose: string): SecurityGroup {
    const name = this.props.naming.name(`${role}-sg`);
    // No inline rules, so Terraform also removes the allow-all egress AWS gives a new group.
    return new SecurityGroup(this, role, {
      name,
      // AWS cannot change a description: editing one replaces the group, which other layers' resources hold on to.
      description: `${purpose} (${name})`,
      vpcId: this.props.vpcId,
      // The ALB and app groups reference each other; their rules must go before either group can.
      revokeRulesOnDelete: true,
      tags: { Name: name },
    });
  }

  private ingress(group: SecurityGroup, port: number, source: Peer, description: string): void {
    const id = this.ruleId(group, 'in', port, source);
    new VpcSecurityGroupIngressRule(this, id, { securityGroupId: group.id, ...this.rule(id, port, source, description) });
  }

  private egress(group: SecurityGroup, port: number, destination: Peer, description: string): void {
    const id = this.ruleId(group, 'out', port, destination);
    new VpcSecurityGroupEgressRule(this, id, { securityGroupId: group.id, ...this.rule(id, port, destination, description) });
  }

  /** e.g. `alb-out-8080-app`: group, direction, port and peer. */
  private ruleId(group: SecurityGroup, direction: 'in' | 'out', port: number, peer: Peer): string {
    return `${group.node.id}-${direction}-${port}-${'cidr' in peer ? 'cidr' : peer.group.node.id}`;
  }

  private rule(id: string, port: number, peer: Peer, description: string) {
    return {
      ipProtocol: 'tcp',
      fromPort: port,
      toPort: port,
      description,
      ...('cidr' in peer ? { cidrIpv4: peer.cidr } : { referencedSecurityGroupId: peer.group.id }),
      tags: this.props.naming.nameTag(id),
    };
  }
}
