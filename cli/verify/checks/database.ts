/**
 * The database as the data layer promises it (DescribeDBInstances): available, encrypted with the layer's
 * key, not publicly accessible, Multi-AZ as configured, exporting its logs.
 */
import { DescribeDBInstancesCommand } from '@aws-sdk/client-rds';
import { EXPORTED_LOGS } from '../../../modules/data/database';
import { Check, verdict } from '../check';

export const databaseInstance: Check = {
  layer: 'data',
  name: 'database available, encrypted, private, exporting logs',
  needs: [['data', 'DBInstanceIdentifier'], ['data', 'DataKmsKeyArn']],
  async run({ clients, config, output }) {
    const identifier = output('data', 'DBInstanceIdentifier');
    const { DBInstances = [] } = await clients.rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: identifier }));
    const db = DBInstances[0];
    if (!db) return verdict([`no instance ${identifier}`], '');
    const problems: string[] = [];
    if (db.DBInstanceStatus !== 'available') problems.push(`status is ${db.DBInstanceStatus}`);
    if (db.StorageEncrypted !== true) problems.push('storage is not encrypted');
    else if (db.KmsKeyId !== output('data', 'DataKmsKeyArn')) problems.push(`encrypted with ${db.KmsKeyId}, not the data layer's key`);
    if (db.PubliclyAccessible !== false) problems.push('it is publicly accessible');
    if ((db.MultiAZ === true) !== config.database.multiAz) problems.push(`MultiAZ is ${db.MultiAZ}, DB_MULTI_AZ is ${config.database.multiAz}`);
    const missing = EXPORTED_LOGS.filter((log) => !(db.EnabledCloudwatchLogsExports ?? []).includes(log));
    if (missing.length > 0) problems.push(`does not export the ${missing.join(', ')} log to CloudWatch`);
    return verdict(problems, `${identifier} available, encrypted with the data layer's key, not public, ${db.MultiAZ ? 'Multi-AZ' : 'Single-AZ'}, exporting ${EXPORTED_LOGS.join(', ')}`);
  },
};
