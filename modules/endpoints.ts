/**
 * Interface VPC endpoints, so private workloads reach AWS APIs without the internet. Private DNS
 * makes the SDK's default endpoint resolve to them; the endpoint policy admits only this account's
 * principals, so the endpoint cannot carry credentials or data to another account.
 */
import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { DataAwsVpcEndpointService } from '@cdktf/provider-aws/lib/data-aws-vpc-endpoint-service';
import { VpcEndpoint } from '@cdktf/provider-aws/lib/vpc-endpoint';
import { Construct } from 'constructs';
import { awsAccount } from './iam';
import { Naming } from './naming';

export interface InterfaceEndpointProps {
  readonly naming: Naming;
  /** Service short name, e.g. `secretsmanager`. */
  readonly service: string;
  readonly vpcId: string;
  /** One subnet per AZ. */
  readonly subnetIds: string[];
  readonly securityGroupIds: string[];
}

export class InterfaceEndpoint extends Construct {
  readonly endpoint: VpcEndpoint;

  constructor(scope: Construct, id: string, props: InterfaceEndpointProps) {
    super(scope, id);
    // Looked up rather than spelled out: the service name differs by partition.
    const service = new DataAwsVpcEndpointService(this, 'service', { service: props.service, serviceType: 'Interface' });
    const policy = new DataAwsIamPolicyDocument(this, 'policy', {
      statement: [{
        sid: 'OwnAccountPrincipalsOnly',
        effect: 'Allow',
        principals: [{ type: '*', identifiers: ['*'] }],
        actions: [`${props.service}:*`],
        // The endpoint limits who may pass; each principal's IAM policy names the resources.
        resources: ['*'],
        condition: [{ test: 'StringEquals', variable: 'aws:PrincipalAccount', values: [awsAccount(this).accountId] }],
      }],
    });
    this.endpoint = new VpcEndpoint(this, 'endpoint', {
      vpcId: props.vpcId,
      serviceName: service.serviceName,
      vpcEndpointType: 'Interface',
      privateDnsEnabled: true,
      subnetIds: props.subnetIds,
      securityGroupIds: props.securityGroupIds,
      policy: policy.json,
      tags: props.naming.nameTag(`${props.service}-endpoint`),
    });
  }
}
