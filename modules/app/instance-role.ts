/**
 * The app servers' role and instance profile (seed fix 1). Session Manager through AmazonSSMManagedInstanceCore,
 * so nobody needs SSH; the database secret (read and describe, that secret only) and its key (decrypt only
 * through Secrets Manager, for that secret); the layer's log group; and the release objects, each by its
 * exact key.
 */
import { IamInstanceProfile } from '@cdktf/provider-aws/lib/iam-instance-profile';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { ownDnsSuffix, ownPartition } from '../core/account';
import { ReleaseArtifact } from '../core/config';
import { PolicyStatement, ServiceRole } from '../core/iam';
import { Naming } from '../core/naming';

export interface InstanceRoleProps {
  readonly naming: Naming;
  readonly region: string;
  /** The database credentials' secret. */
  readonly secretArn: string;
  /** The KMS key that encrypts the secret. */
  readonly secretKmsKeyArn: string;
  /** Log group the CloudWatch agent writes to. */
  readonly logGroupArn: string;
  /** Release objects the servers download at boot. @default none */
  readonly releases?: ReleaseArtifact[];
}

export class InstanceRole extends Construct {
  readonly role: IamRole;
  /** What gives the role its permissions: instances must not boot before these exist. */
  readonly permissions: ITerraformDependable[];
  readonly instanceProfile: IamInstanceProfile;

  constructor(scope: Construct, id: string, props: InstanceRoleProps) {
    super(scope, id);
    const { naming } = props;
    const releases = [...new Map((props.releases ?? []).map((release) => [release.uri, release])).values()];
    const statements: PolicyStatement[] = [
      {
        sid: 'ReadDatabaseSecret',
        actions: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
        resources: [props.secretArn],
      },
      {
        sid: 'DecryptDatabaseSecretThroughSecretsManager',
        actions: ['kms:Decrypt'],
        resources: [props.secretKmsKeyArn],
        conditions: [
          { test: 'StringEquals', variable: 'kms:ViaService', values: [`secretsmanager.${props.region}.${ownDnsSuffix(this)}`] },
          // Secrets Manager names the secret in the encryption context: this secret's data key only.
          { test: 'StringEquals', variable: 'kms:EncryptionContext:SecretARN', values: [props.secretArn] },
        ],
      },
      {
        sid: 'WriteAppLogs',
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
        // `:*` covers the group's streams, which PutLogEvents is authorised on.
        resources: [props.logGroupArn, `${props.logGroupArn}:*`],
      },
      ...(releases.length === 0 ? [] : [{
        sid: 'ReadReleases',
        actions: ['s3:GetObject'],
        resources: releases.map(({ bucket, key }) => `arn:${ownPartition(this)}:s3:::${bucket}/${key}`),
      }]),
    ];
    const name = naming.globalName('app');
    const serviceRole = new ServiceRole(this, 'role', {
      name,
      description: 'App servers: Session Manager, the database secret, their log group and their releases',
      servicePrincipal: 'ec2.amazonaws.com',
      sourceAccountCondition: false,
      awsManagedPolicies: ['AmazonSSMManagedInstanceCore'],
      statements,
    });
    this.role = serviceRole.role;
    this.permissions = serviceRole.permissions;
    this.instanceProfile = new IamInstanceProfile(this, 'instance-profile', {
      name,
      role: this.role.name,
      tags: { Name: name },
    });
  }
}
