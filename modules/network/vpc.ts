/**
 * The VPC: three tiers of subnets in each AZ, the gateways and routes between them, and a default
 * security group stripped of every rule (so nothing lands in it by accident and gets traffic).
 *
 * Layout: the VPC is cut into 16 equal blocks; tier t in AZ a takes block 4t + a, so a third AZ or a
 * wider VPC never renumbers an existing subnet. Public subnets route to the internet gateway; private
 * subnets to a NAT gateway (their AZ's own, or the single shared one); database subnets nowhere.
 *
 * Zones are chosen so that the choice never moves: the configured names, or else the region's first zones
 * in name order whatever their state. A state filter would drop an impaired zone from the list, shift the
 * rest, and make the next plan replace the subnets under the NAT gateways, load balancer and database.
 */
import { DataAwsAvailabilityZones } from '@cdktf/provider-aws/lib/data-aws-availability-zones';
import { DefaultSecurityGroup } from '@cdktf/provider-aws/lib/default-security-group';
import { Eip } from '@cdktf/provider-aws/lib/eip';
import { InternetGateway } from '@cdktf/provider-aws/lib/internet-gateway';
import { NatGateway } from '@cdktf/provider-aws/lib/nat-gateway';
import { Route } from '@cdktf/provider-aws/lib/route';
import { RouteTable } from '@cdktf/provider-aws/lib/route-table';
import { RouteTableAssociation } from '@cdktf/provider-aws/lib/route-table-association';
import { Subnet } from '@cdktf/provider-aws/lib/subnet';
import { Vpc } from '@cdktf/provider-aws/lib/vpc';
import { Fn, ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { formatCidr, parseCidr, subnetCidr } from '../core/cidr';
import { NatGatewayMode } from '../core/config';
import { Naming } from '../core/naming';

export const SUBNET_TIERS = ['public', 'private', 'database'] as const;
export type SubnetTier = (typeof SUBNET_TIERS)[number];

/** Extra prefix bits of a subnet over the VPC, and the blocks each tier reserves (room for a 4th AZ). */
const SUBNET_NEW_BITS = 4;
const BLOCKS_PER_TIER = 4;

export interface VpcNetworkProps {
  readonly naming: Naming;
  /** IPv4 CIDR, already validated by config (/16 to /23). */
  readonly cidr: string;
  readonly azCount: number;
  /**
   * Zone names, one per subnet of each tier, in order; exactly `azCount` of them.
   * @default the region's first `azCount` zones without opt-in, in name order, whatever their state
   */
  readonly availabilityZones?: readonly string[];
  /** @default 'one-per-az' */
  readonly natGateways?: NatGatewayMode;
}

export class VpcNetwork extends Construct {
  readonly vpc: Vpc;
  readonly subnetIds: Readonly<Record<SubnetTier, string[]>>;
  /** The private subnets' route tables, one per AZ. */
  readonly privateRouteTableIds: string[];
  /** The zone name of each subnet of a tier, by position: the configured names, or resolved at plan time. */
  readonly availabilityZones: string[];
  /**
   * What an internet-facing load balancer needs before AWS creates it: the gateway attached, and the
   * public subnets routed to it.
   */
  readonly internetAccess: ITerraformDependable[];
  private readonly naming: Naming;

  constructor(scope: Construct, id: string, props: VpcNetworkProps) {
    super(scope, id);
    const { naming, azCount } = props;
    this.naming = naming;
    const vpcCidr = parseCidr(props.cidr);
    if (typeof vpcCidr === 'string') throw new Error(`VPC CIDR ${props.cidr} ${vpcCidr}`);

    const configured = props.availabilityZones;
    if (configured && (configured.length !== azCount || new Set(configured).size !== azCount)) {
      throw new Error(`VpcNetwork: availabilityZones must be ${azCount} different zones, one per subnet of a tier; got ${configured.join(', ')}`);
    }
    // Only regular AZs (Local and Wavelength Zones need an opt-in and lack NAT gateways), in any state.
    const zones = new DataAwsAvailabilityZones(this, 'zones', {
      filter: [{ name: 'opt-in-status', values: ['opt-in-not-required'] }],
      lifecycle: {
        postcondition: [configured
          ? {
            condition: `\${length(setsubtract(${JSON.stringify(configured)}, self.names)) == 0}`,
            errorMessage: `AVAILABILITY_ZONES lists ${configured.join(', ')}, but not all of them are zones of this account in the region without opt-in; list zones from aws ec2 describe-availability-zones.`,
          }
          // element() wraps around: without this, a third subnet would silently share the first one's AZ.
          : {
            condition: `\${length(self.names) >= ${azCount}}`,
            errorMessage: `The VPC spans ${azCount} Availability Zones, but this region offers fewer without opt-in; lower AZ_COUNT.`,
          }],
      },
    });
    // sort(): the order is ours, whatever order the provider lists the zones in.
    this.availabilityZones = configured
      ? [...configured]
      : Array.from({ length: azCount }, (_, az) => Fn.element(Fn.sort(zones.names), az));

    this.vpc = new Vpc(this, 'vpc', {
      cidrBlock: props.cidr,
      enableDnsSupport: true,
      enableDnsHostnames: true,
      tags: naming.nameTag('vpc'),
    });
    new DefaultSecurityGroup(this, 'default-security-group', {
      vpcId: this.vpc.id,
      ingress: [],
      egress: [],
      tags: naming.nameTag('default-sg-unused'),
    });

    const subnets = Object.fromEntries(SUBNET_TIERS.map((tier, tierIndex) => [tier,
      this.availabilityZones.map((availabilityZone, az) => new Subnet(this, `${tier}-${az + 1}`, {
        vpcId: this.vpc.id,
        availabilityZone,
        cidrBlock: formatCidr(subnetCidr(vpcCidr, SUBNET_NEW_BITS, tierIndex * BLOCKS_PER_TIER + az)),
        // Nothing here needs a public IP of its own: the ALB and NAT gateways bring theirs.
        mapPublicIpOnLaunch: false,
        tags: { ...naming.nameTag(`${tier}-${az + 1}`), Tier: tier },
      }))])) as Record<SubnetTier, Subnet[]>;
    this.subnetIds = {
      public: subnets.public.map((subnet) => subnet.id),
      private: subnets.private.map((subnet) => subnet.id),
      database: subnets.database.map((subnet) => subnet.id),
    };

    const internetGateway = new InternetGateway(this, 'internet-gateway', { vpcId: this.vpc.id, tags: naming.nameTag('igw') });
    const publicRoutes = this.routeTable('public', subnets.public);
    const internetRoute = new Route(this, 'public-internet-route', {
      routeTableId: publicRoutes.id,
      destinationCidrBlock: '0.0.0.0/0',
      gatewayId: internetGateway.id,
    });
    this.internetAccess = [internetGateway, internetRoute, ...publicRoutes.associations];

    const natCount = props.natGateways === 'single' ? 1 : azCount;
    const natGateways = subnets.public.slice(0, natCount).map((subnet, az) => {
      const address = new Eip(this, `nat-eip-${az + 1}`, { domain: 'vpc', tags: naming.nameTag(`nat-eip-${az + 1}`) });
      return new NatGateway(this, `nat-${az + 1}`, {
        allocationId: address.allocationId,
        subnetId: subnet.id,
        tags: naming.nameTag(`nat-${az + 1}`),
        dependsOn: [internetGateway],
      });
    });
    this.privateRouteTableIds = subnets.private.map((subnet, az) => {
      const routes = this.routeTable(`private-${az + 1}`, [subnet]);
      new Route(this, `private-${az + 1}-nat-route`, {
        routeTableId: routes.id,
        destinationCidrBlock: '0.0.0.0/0',
        natGatewayId: natGateways[az % natCount].id,
      });
      return routes.id;
    });
    this.routeTable('database', subnets.database);
  }

  private routeTable(name: string, subnets: Subnet[]): { id: string; associations: RouteTableAssociation[] } {
    const table = new RouteTable(this, `${name}-routes`, { vpcId: this.vpc.id, tags: this.naming.nameTag(`${name}-rt`) });
    const associations = subnets.map((subnet, index) =>
      new RouteTableAssociation(this, `${name}-routes-${index + 1}`, { routeTableId: table.id, subnetId: subnet.id }));
    return { id: table.id, associations };
  }
}
