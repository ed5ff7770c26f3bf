/**
 * VPC flow logs to a CloudWatch log group with a retention period, delivered by a role that may
 * write to that one log group and nothing else.
 */
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { FlowLog } from '@cdktf/provider-aws/lib/flow-log';
import { Fn } from 'cdktf';
import { Construct } from 'constructs';
import { NAME_LIMITS, Naming } from '../core/naming';
import { ServiceRole } from '../core/iam';

export interface VpcFlowLogsProps {
  readonly naming: Naming;
  readonly vpcId: string;
  /** Days CloudWatch keeps the records; one of the values CloudWatch accepts. */
  readonly retentionDays: number;
}

export class VpcFlowLogs extends Construct {
  readonly logGroup: CloudwatchLogGroup;

  constructor(scope: Construct, id: string, props: VpcFlowLogsProps) {
    super(scope, id);
    const { naming } = props;
    this.logGroup = new CloudwatchLogGroup(this, 'log-group', {
      name: `/aws/vpc/flow-logs/${naming.name('vpc', NAME_LIMITS.logGroup)}`,
      retentionInDays: props.retentionDays,
      tags: naming.nameTag('flow-logs'),
    });
    const roleName = naming.globalName('flow-logs');
    // `arn:<partition>:logs:<region>:<account>`, taken from the log group's own ARN.
    const logsArnPrefix = Fn.join(':', Fn.slice(Fn.split(':', this.logGroup.arn), 0, 5));
    // The permissions AWS documents for a flow log role, less CreateLogGroup: the group exists already.
    const delivery = new ServiceRole(this, 'delivery-role', {
      name: roleName,
      description: 'Delivers the VPC flow logs to their log group',
      servicePrincipal: 'vpc-flow-logs.amazonaws.com',
      statements: [
        {
          sid: 'WriteFlowLogStreams',
          actions: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
          // `:*` covers the group's streams, which PutLogEvents is authorised on.
          resources: [this.logGroup.arn, `${this.logGroup.arn}:*`],
        },
        {
          sid: 'ListLogGroups',
          actions: ['logs:DescribeLogGroups'],
          // A list action with no resource type in the Service Authorization Reference; IAM authorises it on
          // `arn:…:log-group::log-stream:` of the caller's own account and region (its AccessDenied errors
          // name that ARN), which this pattern covers without granting "*".
          resources: [`${logsArnPrefix}:log-group:*`],
        },
      ],
    });
    new FlowLog(this, 'flow-log', {
      vpcId: props.vpcId,
      // Rejected traffic shows probing and broken rules; accepted traffic shows who talks to whom.
      trafficType: 'ALL',
      logDestinationType: 'cloud-watch-logs',
      logDestination: this.logGroup.arn,
      iamRoleArn: delivery.role.arn,
      maxAggregationInterval: 60,
      tags: naming.nameTag('flow-log'),
      // Delivery starts at creation: it must not start before the role may write (else it reports an access error).
      dependsOn: delivery.permissions,
    });
  }
}
