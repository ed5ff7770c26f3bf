/**
 * What every S3 bucket of the platform has, whatever it holds: no public access, no ACLs, TLS only. Each
 * adds to the bucket's own construct, under the id given, so the bucket's Terraform addresses stay its own.
 */
import { DataAwsIamPolicyDocumentStatement } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { Construct } from 'constructs';

/** All four public access settings on: no public ACL or policy can be set, and none set earlier applies. */
export function blockPublicAccess(scope: Construct, id: string, bucket: string): S3BucketPublicAccessBlock {
  return new S3BucketPublicAccessBlock(scope, id, {
    bucket, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true,
  });
}

/** ACLs disabled: the bucket owner owns every object, whoever writes it. */
export function enforceBucketOwner(scope: Construct, id: string, bucket: string): S3BucketOwnershipControls {
  return new S3BucketOwnershipControls(scope, id, { bucket, rule: { objectOwnership: 'BucketOwnerEnforced' } });
}

/** The bucket policy statement that refuses every request to the bucket and its objects made without TLS. */
export function denyInsecureTransport(bucketArn: string): DataAwsIamPolicyDocumentStatement {
  return {
    sid: 'DenyInsecureTransport',
    effect: 'Deny',
    principals: [{ type: '*', identifiers: ['*'] }],
    actions: ['s3:*'],
    resources: [bucketArn, `${bucketArn}/*`],
    condition: [{ test: 'Bool', variable: 'aws:SecureTransport', values: ['false'] }],
  };
}
