/**
 * Layer 2, `data`: RDS PostgreSQL on the layer's KMS key, its credentials in Secrets Manager, and the
 * function that rotates them, all in the network layer's subnets and security groups (read through the
 * contract, never a literal). Publishes the endpoint, the secret and the key for the app layer. Alarms on the
 * database and the rotation (into the network layer's alerts topic), AWS Backup and a weekly restore test.
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
import { DatabaseBackup } from '../modules/data/backup';
import { DatabaseRestoreTest } from '../modules/data/restore-testing';
import { BackupAlerts } from '../modules/observability/backup-alerts';
import { DatabaseAlarms, databaseMaxConnections } from '../modules/observability/database-alarms';
import { RotationAlerts } from '../modules/observability/rotation-alerts';
import { layerTags } from '../modules/core/tagging';

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
    const rotationFunctionName = RotationFunction.functionName(naming);
    const key = new DataKey(this, 'key', {
      naming,
      region,
      services: ['rds', 'secretsmanager', 'backup'],
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

    const topicArn = network.AlertTopicArn;
    const thresholds = config.alerts.thresholds;
    const databaseAlarms = new DatabaseAlarms(this, 'database-alarms', {
      naming,
      instanceIdentifier: database.instance.identifier,
      topicArn,
      cpuPercent: thresholds.dbCpuPercent,
      allocatedStorageGib: settings.allocatedStorageGib,
      freeStoragePercent: thresholds.dbFreeStoragePercent,
      freeableMemoryMib: thresholds.dbFreeableMemoryMib,
      maxConnections: databaseMaxConnections(settings.instanceClass, thresholds.dbMaxConnections),
      connectionsPercent: thresholds.dbConnectionsPercent,
    });
    new RotationAlerts(this, 'rotation-alerts', {
      naming,
      secretArn: secret.secret.arn,
      functionName: rotation.function.functionName,
      functionTimeoutSeconds: rotation.function.timeout,
      topicArn,
    });

    const backup = new DatabaseBackup(this, 'backup', {
      naming,
      region,
      databaseArn: database.instance.arn,
      kmsKeyArn: key.key.arn,
      retentionDays: config.backup.retentionDays,
      ...(config.backup.copyRegion ? { copy: { region: config.backup.copyRegion, tags: layerTags(config, 'data') } } : {}),
      forceDestroy: !settings.deletionProtection,
      keyDeletionWindowDays: settings.deletionProtection ? 30 : 7,
    });
    new BackupAlerts(this, 'backup-alerts', { naming, vaultName: backup.vault.name, topicArn });
    new DatabaseRestoreTest(this, 'restore-test', {
      naming,
      vaultArn: backup.vault.arn,
      databaseArn: database.instance.arn,
      role: backup.role,
      subnetGroupName: database.subnetGroup.name,
      securityGroupIds: [network.DatabaseSecurityGroupId],
    });

    publishLayerOutputs(this, 'data', {
      RDSEndpoint: database.instance.endpoint,
      RDSAddress: database.instance.address,
      RDSPort: database.port,
      DBInstanceIdentifier: database.instance.identifier,
      DatabaseName: database.instance.dbName,
      DBSecretArn: secret.secret.arn,
      DataKmsKeyArn: key.key.arn,
      RotationFunctionArn: rotation.function.arn,
      RotationFunctionName: rotation.function.functionName,
      DatabaseAlarmNames: databaseAlarms.userImpactAlarmNames,
    });
  }
}
