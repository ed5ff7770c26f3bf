/**
 * VPC endpoints, so private workloads reach AWS without the internet or the NAT gateway's bill.
 *
 * Interface endpoints get private DNS, so the SDK's default endpoint resolves to them, and a data-perimeter
 * policy: only this account's principals, and only on this account's resources, may pass. They sit in the
 * zones where AWS offers the service (not every service is in every zone), one subnet per zone; clients in
 * the other zones reach them across zones.
 */
import { DataAwsIamPolicyDocument, DataAwsIamPolicyDocumentStatement } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { DataAwsVpcEndpointService } from '@cdktf/provider-aws/lib/data-aws-vpc-endpoint-service';
import { VpcEndpoint } from '@cdktf/provider-aws/lib/vpc-endpoint';
import { Fn, Op, ref, TerraformResourceLifecycle, Token } from 'cdktf';
import { Construct } from 'constructs';
import { ownAccountId } from '../core/account';
import { Naming } from '../core/naming';
import { ACTIONS_WITHOUT_RESOURCE_SCOPE } from '../policy/policy';

export interface InterfaceEndpointProps {
  readonly naming: Naming;
  /** Service short name, e.g. `secretsmanager`. */
  readonly service: string;
  readonly vpcId: string;
  /** One subnet per AZ. */
  readonly subnetIds: string[];
  /** The zone name of each subnet, by position (VpcNetwork.availabilityZones). */
  readonly availabilityZones: string[];
  readonly securityGroupIds: string[];
}

export class InterfaceEndpoint extends Construct {
  readonly endpoint: VpcEndpoint;

  constructor(scope: Construct, id: string, props: InterfaceEndpointProps) {
    super(scope, id);
    if (props.subnetIds.length !== props.availabilityZones.length) {
      throw new Error(`InterfaceEndpoint ${props.service}: ${props.subnetIds.length} subnets but ${props.availabilityZones.length} availabilityZones`);
    }
    const service = lookUpService(this, props.service, 'Interface', {
      // Checked at plan time, so a region or zone choice without the service stops the plan, not the apply.
      postcondition: [{
        condition: Op.gte(Fn.lengthOf(Fn.setintersection(Token.asList(ref('self.availability_zones')), [props.availabilityZones])), 1),
        errorMessage: `The ${props.service} endpoint service is offered in none of the VPC's Availability Zones; choose others with AVAILABILITY_ZONES.`,
      }],
    });
    const account = ownAccountId(this);
    const ownPrincipals = { test: 'StringEquals', variable: 'aws:PrincipalAccount', values: [account] };
    const statements: DataAwsIamPolicyDocumentStatement[] = [{
      sid: 'OwnAccountOnly',
      effect: 'Allow',
      principals: [{ type: '*', identifiers: ['*'] }],
      actions: [`${props.service}:*`],
      // The endpoint policy draws the perimeter; each principal's IAM policy names the resources.
      resources: ['*'],
      condition: [ownPrincipals, { test: 'StringEquals', variable: 'aws:ResourceAccount', values: [account] }],
    }];
    // Actions that act on no resource have no resource account to check; the policy module lists them.
    const actionsWithoutResource = [...ACTIONS_WITHOUT_RESOURCE_SCOPE].filter((action) => action.startsWith(`${props.service}:`));
    if (actionsWithoutResource.length > 0) {
      statements.push({
        sid: 'OwnAccountActionsWithoutResource',
        effect: 'Allow',
        principals: [{ type: '*', identifiers: ['*'] }],
        actions: actionsWithoutResource,
        resources: ['*'],
        condition: [ownPrincipals],
      });
    }
    this.endpoint = new VpcEndpoint(this, 'endpoint', {
      vpcId: props.vpcId,
      serviceName: service.serviceName,
      vpcEndpointType: 'Interface',
      privateDnsEnabled: true,
      // The subnets in the zones the service is offered in: AWS refuses the endpoint in any other.
      subnetIds: Fn.matchkeys(props.subnetIds, props.availabilityZones, service.availabilityZones),
      securityGroupIds: props.securityGroupIds,
      policy: new DataAwsIamPolicyDocument(this, 'policy', { statement: statements }).json,
      tags: props.naming.nameTag(`${props.service}-endpoint`),
    });
  }
}

export interface S3GatewayEndpointProps {
  readonly naming: Naming;
  readonly vpcId: string;
  /** Route tables whose subnets reach S3 through the endpoint instead of the NAT gateway. */
  readonly routeTableIds: string[];
}

/**
 * S3 through a gateway endpoint: free, and it keeps package downloads (the Amazon Linux repositories live
 * in S3) off the NAT gateway. No resource perimeter here: those repositories are in AWS's own accounts.
 */
export class S3GatewayEndpoint extends Construct {
  readonly endpoint: VpcEndpoint;

  constructor(scope: Construct, id: string, props: S3GatewayEndpointProps) {
    super(scope, id);
    this.endpoint = new VpcEndpoint(this, 'endpoint', {
      vpcId: props.vpcId,
      serviceName: lookUpService(this, 's3', 'Gateway').serviceName,
      vpcEndpointType: 'Gateway',
      routeTableIds: props.routeTableIds,
      tags: props.naming.nameTag('s3-endpoint'),
    });
  }
}

/** Looked up rather than spelled out: service names differ by partition, and zones by service. */
function lookUpService(scope: Construct, service: string, serviceType: 'Interface' | 'Gateway', lifecycle?: TerraformResourceLifecycle): DataAwsVpcEndpointService {
  return new DataAwsVpcEndpointService(scope, 'service', { service, serviceType, lifecycle });
}
