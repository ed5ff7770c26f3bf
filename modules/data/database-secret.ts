/**
 * The database credentials in Secrets Manager, on the layer's key, with a first version that holds exactly
 * the JSON the rotation function reads, pointing at the instance. `addRotationSingleUser` wires a rotation
 * function to it (in the spirit of AWS CDK's `DatabaseSecret.addRotationSingleUser`).
 *
 * After the first rotation AWSCURRENT is a version Terraform did not write, so the first version's value
 * and stages are ignored after creation: Terraform never moves AWSCURRENT back to the dead password.
 */
import { LambdaPermission } from '@cdktf/provider-aws/lib/lambda-permission';
import { SecretsmanagerSecret } from '@cdktf/provider-aws/lib/secretsmanager-secret';
import { SecretsmanagerSecretRotation } from '@cdktf/provider-aws/lib/secretsmanager-secret-rotation';
import { SecretsmanagerSecretVersion } from '@cdktf/provider-aws/lib/secretsmanager-secret-version';
import { Fn, TerraformLocal } from 'cdktf';
import { Construct } from 'constructs';
import { ownAccountId } from '../core/account';
import { Naming } from '../core/naming';
import { PostgresDatabase } from './database';
import { RotationFunction } from './rotation-function';

export interface DatabaseSecretProps {
  readonly naming: Naming;
  readonly database: PostgresDatabase;
  readonly databaseName: string;
  readonly kmsKeyArn: string;
  /** Days a deleted secret can be restored; 0 deletes it at once. */
  readonly recoveryWindowDays: number;
}

export interface SingleUserRotationOptions {
  /** Days between rotations. */
  readonly automaticallyAfterDays: number;
  /** Rotate as soon as the rotation is configured, so the first password (in Terraform state) dies at once. @default true */
  readonly rotateImmediately?: boolean;
}

export class DatabaseSecret extends Construct {
  readonly secret: SecretsmanagerSecret;
  readonly firstVersion: SecretsmanagerSecretVersion;

  constructor(scope: Construct, id: string, props: DatabaseSecretProps) {
    super(scope, id);
    const { naming, database } = props;
    const name = naming.name('db-credentials', 512);
    this.secret = new SecretsmanagerSecret(this, 'secret', {
      name,
      description: `Credentials of the ${naming.environmentSuffix} PostgreSQL master user; rotated, read AWSCURRENT`,
      kmsKeyId: props.kmsKeyArn,
      recoveryWindowInDays: props.recoveryWindowDays,
      tags: { Name: name },
    });
    // A local, so each field is one plain reference that plan tools can follow.
    const firstCredentials = new TerraformLocal(this, 'first-credentials', {
      engine: 'postgres',
      host: database.instance.address,
      port: database.instance.port,
      username: database.username,
      password: database.initialPassword,
      dbname: props.databaseName,
    });
    this.firstVersion = new SecretsmanagerSecretVersion(this, 'first-version', {
      secretId: this.secret.id,
      secretString: Fn.jsonencode(firstCredentials.expression),
      lifecycle: { ignoreChanges: ['secret_string', 'version_stages'] },
    });
  }

  /** Lets Secrets Manager invoke `rotation` for this secret only, and rotates on a schedule. */
  addRotationSingleUser(rotation: RotationFunction, options: SingleUserRotationOptions): SecretsmanagerSecretRotation {
    const permission = new LambdaPermission(this, 'rotation-permission', {
      statementId: 'RotatedBySecretsManager',
      action: 'lambda:InvokeFunction',
      functionName: rotation.function.functionName,
      principal: 'secretsmanager.amazonaws.com',
      sourceArn: this.secret.arn,
      sourceAccount: ownAccountId(this),
    });
    return new SecretsmanagerSecretRotation(this, 'rotation', {
      secretId: this.secret.id,
      rotationLambdaArn: rotation.function.arn,
      rotationRules: { automaticallyAfterDays: options.automaticallyAfterDays },
      rotateImmediately: options.rotateImmediately ?? true,
      // Secrets Manager invokes the function at once: it must be allowed to, and AWSCURRENT must exist.
      dependsOn: [permission, this.firstVersion],
    });
  }
}
