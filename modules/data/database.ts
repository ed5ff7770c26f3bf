/**
 * The RDS PostgreSQL instance: encrypted with the layer's key, private (the network layer's database
 * subnets and security group), Multi-AZ, TLS on the current RDS CA, its logs exported to log groups made
 * here first with a retention period, enhanced monitoring and Performance Insights, backups, automatic
 * minor upgrades, and outside dev deletion protection and a final snapshot.
 *
 * The master password starts as a `random_password`; the rotation function changes it soon after the
 * first apply and every rotation period, so Terraform ignores it after creation (see README, "Credentials").
 */
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { DbInstance } from '@cdktf/provider-aws/lib/db-instance';
import { DbSubnetGroup } from '@cdktf/provider-aws/lib/db-subnet-group';
import { Password } from '@cdktf/provider-random/lib/password';
import { Token } from 'cdktf';
import { Construct } from 'constructs';
import { ServiceRole } from '../core/iam';
import { Naming } from '../core/naming';
import { PostgresParameterGroup } from './parameter-group';

/** Logs RDS exports to CloudWatch (seed fix 6): the server's log, and the log of major and minor upgrades. */
export const EXPORTED_LOGS = ['postgresql', 'upgrade'];
/** The CA RDS signs new server certificates with (RSA 2048, valid to 2061); the rotation function trusts it. */
export const RDS_CA = 'rds-ca-rsa2048-g1';
/** Characters RDS refuses in a master password (`/ @ " '` and space), and `:` and `\`, which break connection strings. */
export const PASSWORD_EXCLUDED_CHARACTERS = ' :/@"\'\\';
export const PASSWORD_LENGTH = 32;
/** random_password's own list of special characters, less the excluded ones. */
const PASSWORD_SPECIALS = [...'!@#$%&*()-_=+[]{}<>:?'].filter((character) => !PASSWORD_EXCLUDED_CHARACTERS.includes(character)).join('');

export interface PostgresDatabaseProps {
  readonly naming: Naming;
  /** The instance identifier, which also names its log groups (see `logGroupNames`). */
  readonly identifier: string;
  /** `17`, or major.minor such as `17.6`. */
  readonly engineVersion: string;
  readonly majorVersion: number;
  readonly instanceClass: string;
  readonly allocatedStorageGib: number;
  readonly maxAllocatedStorageGib: number;
  readonly multiAz: boolean;
  readonly subnetIds: string[];
  readonly securityGroupIds: string[];
  /** ARN of the customer-managed key for storage, Performance Insights and the log groups. */
  readonly kmsKeyArn: string;
  readonly backupRetentionDays: number;
  readonly backupWindow: string;
  readonly maintenanceWindow: string;
  /** Also decides whether a final snapshot is taken and automated backups outlive the instance. */
  readonly deletionProtection: boolean;
  readonly databaseName: string;
  readonly logRetentionDays: number;
  /** The master user, which rotation keeps. @default 'postgres' */
  readonly username?: string;
  /** Seconds between enhanced monitoring samples. @default 60 */
  readonly monitoringIntervalSeconds?: number;
}

export class PostgresDatabase extends Construct {
  readonly instance: DbInstance;
  readonly username: string;
  /** The first password, as a Terraform reference: only ever handed to the secret's first version. */
  readonly initialPassword: string;
  readonly logGroups: CloudwatchLogGroup[];
  /** Also where a restore (AWS Backup's restore test, the runbook) puts a copy of the instance. */
  readonly subnetGroup: DbSubnetGroup;

  constructor(scope: Construct, id: string, props: PostgresDatabaseProps) {
    super(scope, id);
    const { naming } = props;
    this.username = props.username ?? 'postgres';

    this.subnetGroup = new DbSubnetGroup(this, 'subnet-group', {
      name: naming.name('database'),
      description: `Database subnets of ${naming.environmentSuffix}, one per AZ, without a route out`,
      subnetIds: props.subnetIds,
      tags: naming.nameTag('database'),
    });
    const parameterGroup = new PostgresParameterGroup(this, 'parameters', { naming, majorVersion: props.majorVersion });
    // Made before the instance: RDS would otherwise create them itself, with no retention and no key.
    const logGroupNames = PostgresDatabase.logGroupNames(props.identifier);
    this.logGroups = EXPORTED_LOGS.map((log, index) => new CloudwatchLogGroup(this, `log-${log}`, {
      name: logGroupNames[index],
      retentionInDays: props.logRetentionDays,
      kmsKeyId: props.kmsKeyArn,
      tags: naming.nameTag(`postgres-${log}-log`),
    }));
    const monitoring = new ServiceRole(this, 'monitoring-role', {
      name: naming.globalName('rds-monitoring'),
      description: 'Publishes RDS enhanced monitoring metrics to CloudWatch Logs',
      servicePrincipal: 'monitoring.rds.amazonaws.com',
      statements: [],
      awsManagedPolicies: ['service-role/AmazonRDSEnhancedMonitoringRole'],
    });
    const password = new Password(this, 'initial-password', {
      length: PASSWORD_LENGTH,
      special: true,
      overrideSpecial: PASSWORD_SPECIALS,
      minLower: 1,
      minUpper: 1,
      minNumeric: 1,
      minSpecial: 1,
    });
    this.initialPassword = password.result;

    this.instance = new DbInstance(this, 'instance', {
      identifier: props.identifier,
      engine: 'postgres',
      engineVersion: props.engineVersion,
      autoMinorVersionUpgrade: true,
      allowMajorVersionUpgrade: false,
      instanceClass: props.instanceClass,
      storageType: 'gp3',
      allocatedStorage: props.allocatedStorageGib,
      maxAllocatedStorage: props.maxAllocatedStorageGib,
      storageEncrypted: true,
      kmsKeyId: props.kmsKeyArn,
      multiAz: props.multiAz,
      dbSubnetGroupName: this.subnetGroup.name,
      vpcSecurityGroupIds: props.securityGroupIds,
      publiclyAccessible: false,
      networkType: 'IPV4',
      port: 5432,
      caCertIdentifier: RDS_CA,
      parameterGroupName: parameterGroup.parameterGroup.name,
      dbName: props.databaseName,
      username: this.username,
      password: password.result,
      enabledCloudwatchLogsExports: EXPORTED_LOGS,
      backupRetentionPeriod: props.backupRetentionDays,
      backupWindow: props.backupWindow,
      maintenanceWindow: props.maintenanceWindow,
      copyTagsToSnapshot: true,
      deletionProtection: props.deletionProtection,
      skipFinalSnapshot: !props.deletionProtection,
      ...(props.deletionProtection ? { finalSnapshotIdentifier: naming.name('postgres-final', 255) } : {}),
      deleteAutomatedBackups: !props.deletionProtection,
      performanceInsightsEnabled: true,
      performanceInsightsKmsKeyId: props.kmsKeyArn,
      performanceInsightsRetentionPeriod: 7,
      monitoringInterval: props.monitoringIntervalSeconds ?? 60,
      monitoringRoleArn: monitoring.role.arn,
      // Rotation owns the password after the first apply; Terraform must not set it back.
      lifecycle: { ignoreChanges: ['password'] },
      // Log groups first, or RDS makes its own without retention; the monitoring role must have its policy attached.
      dependsOn: [...this.logGroups, ...monitoring.permissions],
      tags: naming.nameTag('postgres'),
    });
  }

  /** `/aws/rds/instance/<identifier>/<log>` for each exported log: where RDS publishes it. */
  static logGroupNames(identifier: string): string[] {
    return EXPORTED_LOGS.map((log) => `/aws/rds/instance/${identifier}/${log}`);
  }

  /** The port as a string, for outputs and the secret. */
  get port(): string {
    return Token.asString(this.instance.port);
  }
}
