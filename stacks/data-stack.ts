/**
 * Layer 2, `data`: RDS PostgreSQL on the layer's KMS key, its credentials in Secrets Manager, and the
 * function that rotates them, all in the network layer's subnets and security groups (read through the
 * contract, never a literal). Publishes the endpoint, the secret and the key for the app layer.
 */
import { RandomProvider } from '@cdktf/provider-random/lib/provider';
import { Construct } from 'constructs';
import { resolve } from 'path';
import { Config } from '../modules/core/config';
import { publishLayerOutputs, readLayerOutputs } from '../modules/core/contract';
import { LayerStack } from '../modules/core/layer';
import { PASSWORD_EXCLUDED_CHARACTERS, PASSWORD_LENGTH, PostgresDatabase } from '../modules/data/database';
import { DatabaseSecret } from '../modules/data/database-secret';
import { DataKey } from '../modules/data/kms-key';
import { RotationFunction } from '../modules/data/rotation-function';

/** Where `npm run build` puts the rotation function, from the repository root (where cdktf runs the app). */
const ROTATION_BUNDLE = 'dist/rotation/index.js';

export class DataStack extends LayerStack {
  constructor(scope: Construct, config: Config) {
    super(scope, 'data', config);
    new RandomProvider(this, 'random');
    const { naming } = this;
    const { database: settings, region } = config;
    const logRetentionDays = config.network.logRetentionDays;
    const network = readLayerOutputs(this, config, 'network');

    const identifier = naming.name('postgres', 63);
    const rotationFunctionName = naming.name('secret-rotation', 64);
    const key = new DataKey(this, 'key', {
      naming,
      region,
      services: ['rds', 'secretsmanager'],
      logGroupNames: [...PostgresDatabase.logGroupNames(identifier), RotationFunction.logGroupName(rotationFunctionName)],
      deletionWindowDays: settings.deletionProtection ? 30 : 7,
    });
    const database = new PostgresDatabase(this, 'database', {
      naming,
      identifier,
      engineVersion: settings.engineVersion,
      majorVersion: settings.majorVersion,
      instanceClass: settings.instanceClass,
      allocatedStorageGib: settings.allocatedStorageGib,
      maxAllocatedStorageGib: settings.maxAllocatedStorageGib,
      multiAz: settings.multiAz,
      subnetIds: network.DatabaseSubnetIds,
      securityGroupIds: [network.DatabaseSecurityGroupId],
      kmsKeyArn: key.key.arn,
      backupRetentionDays: settings.backupRetentionDays,
      backupWindow: settings.backupWindow,
      maintenanceWindow: settings.maintenanceWindow,
      deletionProtection: settings.deletionProtection,
      databaseName: settings.databaseName,
      logRetentionDays,
    });
    const secret = new DatabaseSecret(this, 'credentials', {
      naming,
      database,
      databaseName: settings.databaseName,
      kmsKeyArn: key.key.arn,
      recoveryWindowDays: settings.secretRecoveryDays,
    });
    const rotation = new RotationFunction(this, 'rotation', {
      naming,
      region,
      functionName: rotationFunctionName,
      bundlePath: resolve(ROTATION_BUNDLE),
      secretArn: secret.secret.arn,
      kmsKeyArn: key.key.arn,
      subnetIds: network.PrivateSubnetIds,
      securityGroupIds: [network.RotationSecurityGroupId],
      logRetentionDays,
      password: { length: PASSWORD_LENGTH, excludeCharacters: PASSWORD_EXCLUDED_CHARACTERS },
    });
    secret.addRotationSingleUser(rotation, { automaticallyAfterDays: settings.rotationDays });

    publishLayerOutputs(this, 'data', {
      RDSEndpoint: database.instance.endpoint,
      RDSAddress: database.instance.address,
      RDSPort: database.port,
      DBInstanceIdentifier: database.instance.identifier,
      DBSecretArn: secret.secret.arn,
      DataKmsKeyArn: key.key.arn,
      RotationFunctionArn: rotation.function.arn,
    });
  }
}
