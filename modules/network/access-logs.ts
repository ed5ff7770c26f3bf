/**
 * The S3 bucket a load balancer writes its access logs to: private (public access blocked, bucket owner
 * owns every object), encrypted with S3-managed keys (the only encryption ALB log delivery supports),
 * TLS-only, expiring logs after the retention period, and writable by Elastic Load Balancing's log
 * delivery for this account's logs only.
 */
import { DataAwsElbServiceAccount } from '@cdktf/provider-aws/lib/data-aws-elb-service-account';
import { DataAwsIamPolicyDocument, DataAwsIamPolicyDocumentStatementPrincipals } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketLifecycleConfiguration } from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { Construct } from 'constructs';
import { ownAccountId } from '../core/account';
import { NAME_LIMITS, Naming } from '../core/naming';
import { blockPublicAccess, denyInsecureTransport, enforceBucketOwner } from '../core/s3';

/**
 * Regions that opened before August 2022 deliver load balancer logs from a regional Elastic Load Balancing
 * account; later ones from the log delivery service principal. (The provider's aws_elb_service_account
 * knows exactly these.)
 */
const REGIONS_WITH_ELB_ACCOUNT = new Set([
  'af-south-1', 'ap-east-1', 'ap-northeast-1', 'ap-northeast-2', 'ap-northeast-3', 'ap-south-1', 'ap-southeast-1',
  'ap-southeast-2', 'ap-southeast-3', 'ca-central-1', 'cn-north-1', 'cn-northwest-1', 'eu-central-1', 'eu-north-1',
  'eu-south-1', 'eu-west-1', 'eu-west-2', 'eu-west-3', 'me-south-1', 'sa-east-1', 'us-east-1', 'us-east-2',
  'us-gov-east-1', 'us-gov-west-1', 'us-west-1', 'us-west-2',
]);
const LOG_DELIVERY_SERVICE = 'logdelivery.elasticloadbalancing.amazonaws.com';

export interface AccessLogBucketProps {
  readonly naming: Naming;
  /** Region of the load balancer; decides who delivers its logs. */
  readonly region: string;
  /** Days before a log object expires. */
  readonly retentionDays: number;
  /** Key prefix the load balancer writes under. @default 'alb' */
  readonly prefix?: string;
  /** Let `terraform destroy` delete a bucket that still holds logs. @default false */
  readonly forceDestroy?: boolean;
}

export class AccessLogBucket extends Construct {
  readonly bucket: S3Bucket;
  readonly prefix: string;
  /** The bucket policy; a load balancer must wait for it, or AWS refuses to enable logging. */
  readonly policy: S3BucketPolicy;

  constructor(scope: Construct, id: string, props: AccessLogBucketProps) {
    super(scope, id);
    const { naming } = props;
    this.prefix = props.prefix ?? 'alb';

    // A prefix rather than a name: bucket names are global, Terraform appends a unique part.
    this.bucket = new S3Bucket(this, 'bucket', {
      bucketPrefix: `${naming.name('alb-logs', NAME_LIMITS.s3BucketPrefix - 1)}-`,
      forceDestroy: props.forceDestroy ?? false,
      tags: naming.nameTag('alb-logs'),
    });
    const bucket = this.bucket.id;
    blockPublicAccess(this, 'public-access-block', bucket);
    enforceBucketOwner(this, 'ownership', bucket);
    new S3BucketServerSideEncryptionConfigurationA(this, 'encryption', {
      bucket, rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'AES256' } }],
    });
    new S3BucketLifecycleConfiguration(this, 'expiry', {
      bucket,
      rule: [{
        id: 'expire-access-logs',
        status: 'Enabled',
        filter: [{ prefix: `${this.prefix}/` }],
        expiration: [{ days: props.retentionDays }],
        abortIncompleteMultipartUpload: [{ daysAfterInitiation: 1 }],
      }],
    });

    const delivery: DataAwsIamPolicyDocumentStatementPrincipals = REGIONS_WITH_ELB_ACCOUNT.has(props.region)
      ? { type: 'AWS', identifiers: [new DataAwsElbServiceAccount(this, 'elb-account').arn] }
      : { type: 'Service', identifiers: [LOG_DELIVERY_SERVICE] };
    const document = new DataAwsIamPolicyDocument(this, 'policy-document', {
      statement: [
        denyInsecureTransport(this.bucket.arn),
        {
          sid: 'LoadBalancerLogDelivery',
          effect: 'Allow',
          principals: [delivery],
          actions: ['s3:PutObject'],
          resources: [`${this.bucket.arn}/${this.prefix}/AWSLogs/${ownAccountId(this)}/*`],
        },
      ],
    });
    this.policy = new S3BucketPolicy(this, 'policy', { bucket, policy: document.json });
  }
}
