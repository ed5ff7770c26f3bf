/**
 * The latest Amazon Linux 2023 AMI, from the public SSM parameter AWS keeps current. A new AMI changes the
 * launch templates at the next apply, and instance refresh then rolls the fleets onto it.
 */
import { DataAwsSsmParameter } from '@cdktf/provider-aws/lib/data-aws-ssm-parameter';
import { Construct } from 'constructs';
import { CpuArchitecture } from '../core/config';

export interface LatestAmazonLinuxAmiProps {
  /** Processor architecture of the instance type that boots it. */
  readonly architecture: CpuArchitecture;
}

export class LatestAmazonLinuxAmi extends Construct {
  readonly imageId: string;

  constructor(scope: Construct, id: string, props: LatestAmazonLinuxAmiProps) {
    super(scope, id);
    const parameter = new DataAwsSsmParameter(this, 'parameter', {
      name: `/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-${props.architecture}`,
    });
    // An AMI id is no secret: the plain copy keeps plans readable (`value` is marked sensitive).
    this.imageId = parameter.insecureValue;
  }
}
