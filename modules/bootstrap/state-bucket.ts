/**
 * The S3 bucket that holds every layer's Terraform state: versioned (a bad apply can be rolled back to an
 * earlier state), encrypted by default with the state key (bucket keys on, so each object needs no KMS call),
 * private (public access blocked, ACLs disabled), reachable over TLS only, old versions expired after a
 * while, and optionally logging its accesses to another bucket.
 */
import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketLifecycleConfiguration } from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration';
import { S3BucketLoggingA } from '@cdktf/provider-aws/lib/s3-bucket-logging';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning';
import { Construct } from 'constructs';
import { Naming } from '../core/naming';
import { blockPublicAccess, denyInsecureTransport, enforceBucketOwner } from '../core/s3';

export interface StateBucketProps {
  readonly naming: Naming;
  /** The bucket's name (global across all accounts), already validated. */
  readonly bucketName: string;
  /** ARN of the KMS key objects are encrypted with by default. */
  readonly kmsKeyArn: string;
  /** Days a replaced or deleted state version is kept. */
  readonly noncurrentVersionDays: number;
  /** Newer noncurrent versions kept regardless of age, so a layer never loses its last few states. @default 10 */
  readonly noncurrentVersionsKept?: number;
  /** Bucket that receives this bucket's access logs (it must allow the S3 logging service). @default no access logs */
  readonly accessLogBucket?: string;
}

export class StateBucket extends Construct {
  readonly bucket: S3Bucket;
  /** Everything that must exist before Terraform may write state here. */
  readonly settings: Construct[] = [];

  constructor(scope: Construct, id: string, props: StateBucketProps) {
    super(scope, id);
    const { naming } = props;
    // Never force_destroy: deleting the bucket must not take every layer's state with it.
    this.bucket = new S3Bucket(this, 'bucket', { bucket: props.bucketName, forceDestroy: false, tags: naming.nameTag('terraform-state') });
    const bucket = this.bucket.id;

    const publicAccess = blockPublicAccess(this, 'public-access', bucket);
    const ownership = enforceBucketOwner(this, 'ownership', bucket);
    const versioning = new S3BucketVersioningA(this, 'versioning', { bucket, versioningConfiguration: { status: 'Enabled' } });
    const encryption = new S3BucketServerSideEncryptionConfigurationA(this, 'encryption', {
      bucket,
      rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'aws:kms', kmsMasterKeyId: props.kmsKeyArn }, bucketKeyEnabled: true }],
    });
    const lifecycle = new S3BucketLifecycleConfiguration(this, 'lifecycle', {
      bucket,
      rule: [{
        id: 'expire-old-state-versions',
        status: 'Enabled',
        filter: [{ prefix: '' }],
        noncurrentVersionExpiration: [{ noncurrentDays: props.noncurrentVersionDays, newerNoncurrentVersions: props.noncurrentVersionsKept ?? 10 }],
        abortIncompleteMultipartUpload: [{ daysAfterInitiation: 1 }],
      }],
      dependsOn: [versioning],
    });

    const tlsOnly = new DataAwsIamPolicyDocument(this, 'policy', { statement: [denyInsecureTransport(this.bucket.arn)] });
    // After the public access block, so S3 never sees the policy on a bucket that could still be made public.
    const policy = new S3BucketPolicy(this, 'bucket-policy', { bucket, policy: tlsOnly.json, dependsOn: [publicAccess] });
    this.settings.push(publicAccess, ownership, versioning, encryption, lifecycle, policy);

    if (props.accessLogBucket) {
      this.settings.push(new S3BucketLoggingA(this, 'access-logs', {
        bucket,
        targetBucket: props.accessLogBucket,
        targetPrefix: `${props.bucketName}/`,
      }));
    }
  }
}
