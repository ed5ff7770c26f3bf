import { ConfigError } from '../modules/core/config';
import { Naming } from '../modules/core/naming';
import { load, problemsOf } from './support/config';


describe('configuration defaults', () => {
  it('needs no setting at all', () => {
    expect(load()).toEqual({
      project: 'migration',
      environmentSuffix: 'dev',
      region: 'us-east-1',
      tags: { Environment: 'dev', Project: 'migration', CostCenter: 'migration', Owner: 'platform-team', ManagedBy: 'cdktf' },
      state: { bucket: undefined, lockTable: undefined, kmsKeyId: undefined, region: 'us-east-1' },
      network: { vpcCidr: '10.0.0.0/16', azCount: 2, natGateways: 'one-per-az', sshIngressCidr: '10.0.0.0/16', logRetentionDays: 365 },
      alb: { certificateArn: undefined, healthCheckPath: '/health', deletionProtection: false },
      database: {
        engineVersion: '17', majorVersion: 17, instanceClass: 'db.t4g.medium', allocatedStorageGib: 20, maxAllocatedStorageGib: 100,
        multiAz: true, backupRetentionDays: 7, backupWindow: '03:00-04:00', maintenanceWindow: 'sun:04:30-sun:05:30',
        deletionProtection: false, databaseName: 'app', secretRecoveryDays: 0, rotationDays: 30,
      },
      app: {
        instanceType: 't4g.small', architecture: 'arm64', correttoVersion: 21,
        colors: {
          blue: { release: undefined, capacity: { desired: 2, min: 2, max: 4 }, weight: 100 },
          green: { release: undefined, capacity: { desired: 0, min: 0, max: 4 }, weight: 0 },
        },
      },
      alerts: {
        emails: [],
        httpsEndpoints: [],
        thresholds: { alb5xxPercent: 5, albP99Milliseconds: 2000, dbCpuPercent: 80, dbFreeStoragePercent: 5, dbFreeableMemoryMib: 256, dbConnectionsPercent: 80 },
      },
      backup: { retentionDays: 35 },
    });
  });

  it('lets SSH follow a custom VPC CIDR and protects the load balancer, the database and its secret outside dev', () => {
    const config = load({ VPC_CIDR: '172.20.0.0/18', ENVIRONMENT_SUFFIX: 'prod' });
    expect(config.network.sshIngressCidr).toBe('172.20.0.0/18');
    expect(config.alb.deletionProtection).toBe(true);
    expect(config.database).toMatchObject({ deletionProtection: true, multiAz: true, secretRecoveryDays: 30 });
    expect(config.tags.Environment).toBe('prod');
  });
});

describe('configuration sources', () => {
  it('reads every setting from the environment', () => {
    const config = load({
      PROJECT_NAME: 'shop', ENVIRONMENT_SUFFIX: 'stage-2', AWS_REGION: 'eu-central-1', VPC_CIDR: '10.8.0.0/20', AZ_COUNT: '3',
      AVAILABILITY_ZONES: 'eu-central-1b, eu-central-1a,eu-central-1c',
      NAT_GATEWAYS: 'single', SSH_INGRESS_CIDR: '10.8.0.0/24', HEALTH_CHECK_PATH: '/actuator/health', LOG_RETENTION_DAYS: '90',
      ALB_DELETION_PROTECTION: 'false', COST_CENTER: 'cc-1234', OWNER: 'team@example.com',
      CERTIFICATE_ARN: 'arn:aws:acm:eu-central-1:123456789012:certificate/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b',
      STATE_BUCKET: 'acme-terraform-state', STATE_LOCK_TABLE: 'terraform-locks', STATE_REGION: 'eu-west-1',
      DB_ENGINE_VERSION: '16.4', DB_INSTANCE_CLASS: 'db.r7g.large', DB_ALLOCATED_STORAGE: '100', DB_MAX_ALLOCATED_STORAGE: '500',
      DB_MULTI_AZ: 'true', DB_BACKUP_RETENTION_DAYS: '14', DB_BACKUP_WINDOW: '22:30-23:30', DB_MAINTENANCE_WINDOW: 'sat:23:45-sun:00:30',
      DB_DELETION_PROTECTION: 'true', DB_NAME: 'orders', DB_SECRET_RECOVERY_DAYS: '7', ROTATION_DAYS: '7',
      INSTANCE_TYPE: 'c7i.large', CORRETTO_VERSION: '25', BLUE_RELEASE: 's3://shop-releases/shop-1.0.jar', GREEN_RELEASE: 's3://shop-releases/shop-1.1.jar',
      BLUE_CAPACITY: '3/3/6', GREEN_CAPACITY: '1/1/6', BLUE_WEIGHT: '75', GREEN_WEIGHT: '25',
      ALERT_EMAILS: 'ops@example.com, dba@example.com', ALERT_HTTPS_ENDPOINTS: 'https://alerts.example.com/sns',
      ALARM_ALB_5XX_PERCENT: '2', ALARM_ALB_P99_MS: '800', ALARM_DB_CPU_PERCENT: '70', ALARM_DB_FREE_STORAGE_PERCENT: '15',
      ALARM_DB_FREEABLE_MEMORY_MIB: '512', ALARM_DB_CONNECTIONS_PERCENT: '90', ALARM_DB_MAX_CONNECTIONS: '1000',
      BACKUP_RETENTION_DAYS: '90', BACKUP_COPY_REGION: 'eu-west-1',
    });
    expect(config).toEqual({
      project: 'shop',
      environmentSuffix: 'stage-2',
      region: 'eu-central-1',
      tags: { Environment: 'stage-2', Project: 'shop', CostCenter: 'cc-1234', Owner: 'team@example.com', ManagedBy: 'cdktf' },
      state: { bucket: 'acme-terraform-state', lockTable: 'terraform-locks', kmsKeyId: undefined, region: 'eu-west-1' },
      network: {
        vpcCidr: '10.8.0.0/20', azCount: 3, availabilityZones: ['eu-central-1b', 'eu-central-1a', 'eu-central-1c'],
        natGateways: 'single', sshIngressCidr: '10.8.0.0/24', logRetentionDays: 90,
      },
      alb: {
        certificateArn: 'arn:aws:acm:eu-central-1:123456789012:certificate/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b',
        healthCheckPath: '/actuator/health',
        deletionProtection: false,
      },
      database: {
        engineVersion: '16.4', majorVersion: 16, instanceClass: 'db.r7g.large', allocatedStorageGib: 100, maxAllocatedStorageGib: 500,
        multiAz: true, backupRetentionDays: 14, backupWindow: '22:30-23:30', maintenanceWindow: 'sat:23:45-sun:00:30',
        deletionProtection: true, databaseName: 'orders', secretRecoveryDays: 7, rotationDays: 7,
      },
      app: {
        instanceType: 'c7i.large', architecture: 'x86_64', correttoVersion: 25,
        colors: {
          blue: { release: { uri: 's3://shop-releases/shop-1.0.jar', bucket: 'shop-releases', key: 'shop-1.0.jar' }, capacity: { desired: 3, min: 3, max: 6 }, weight: 75 },
          green: { release: { uri: 's3://shop-releases/shop-1.1.jar', bucket: 'shop-releases', key: 'shop-1.1.jar' }, capacity: { desired: 1, min: 1, max: 6 }, weight: 25 },
        },
      },
      alerts: {
        emails: ['ops@example.com', 'dba@example.com'],
        httpsEndpoints: ['https://alerts.example.com/sns'],
        thresholds: {
          alb5xxPercent: 2, albP99Milliseconds: 800, dbCpuPercent: 70, dbFreeStoragePercent: 15, dbFreeableMemoryMib: 512,
          dbConnectionsPercent: 90, dbMaxConnections: 1000,
        },
      },
      backup: { retentionDays: 90, copyRegion: 'eu-west-1' },
    });
  });

  it('falls back to cdktf.json context, and lets the environment win over it', () => {
    const context = { environmentSuffix: 'qa', vpcCidr: '10.50.0.0/16', azCount: 3 };
    const fromContext = load({}, context);
    expect(fromContext.environmentSuffix).toBe('qa');
    expect(fromContext.network.vpcCidr).toBe('10.50.0.0/16');
    expect(fromContext.network.azCount).toBe(3);
    expect(load({ ENVIRONMENT_SUFFIX: 'uat' }, context).environmentSuffix).toBe('uat');
  });

  it('takes the AZ count from AVAILABILITY_ZONES, in the order given, from the environment or a cdktf.json list', () => {
    expect(load({ AVAILABILITY_ZONES: 'us-east-1d,us-east-1a,us-east-1f' }).network).toMatchObject({ azCount: 3, availabilityZones: ['us-east-1d', 'us-east-1a', 'us-east-1f'] });
    expect(load({ AZ_COUNT: '2', AVAILABILITY_ZONES: 'us-east-1b,us-east-1c' }).network).toMatchObject({ azCount: 2, availabilityZones: ['us-east-1b', 'us-east-1c'] });
    expect(load({ AWS_REGION: 'eu-west-1' }, { availabilityZones: ['eu-west-1a', 'eu-west-1c'] }).network)
      .toMatchObject({ azCount: 2, availabilityZones: ['eu-west-1a', 'eu-west-1c'] });
    expect(load().network.availabilityZones).toBeUndefined();
  });

  it('treats blank values as unset', () => {
    expect(load({ ENVIRONMENT_SUFFIX: '  ', STATE_BUCKET: '' }).environmentSuffix).toBe('dev');
    expect(load({ STATE_BUCKET: '' }).state.bucket).toBeUndefined();
  });
});

describe('configuration errors name the setting, the value and what is allowed', () => {
  it.each([
    ['a malformed CIDR', { VPC_CIDR: '10.0.0/16' }, 'VPC_CIDR "10.0.0/16" is not an IPv4 CIDR of the form a.b.c.d/n'],
    ['an octet out of range', { VPC_CIDR: '10.300.0.0/16' }, 'VPC_CIDR "10.300.0.0/16" has an octet above 255'],
    ['host bits set', { VPC_CIDR: '10.0.1.0/16' }, 'VPC_CIDR "10.0.1.0/16" has host bits set (the network is 10.0.0.0/16)'],
    ['a CIDR too small for the subnets', { VPC_CIDR: '10.0.0.0/24' }, 'VPC_CIDR "10.0.0.0/24" is too small for the subnets: each of the nine subnets gets 1/16 of the VPC (a /28), but the load balancer needs /27 or larger; use a prefix from /16 to /23'],
    ['a CIDR larger than a VPC', { VPC_CIDR: '10.0.0.0/12' }, 'VPC_CIDR "10.0.0.0/12" is larger than AWS allows a VPC; use a prefix from /16 to /23'],
    ['an unknown region', { AWS_REGION: 'us-middle-1' }, 'AWS_REGION "us-middle-1" is not allowed: use one of us-east-1, us-east-2, us-west-1'],
    ['an unknown AZ count', { AZ_COUNT: '4' }, 'AZ_COUNT "4" is not allowed: use one of 2, 3'],
    ['an unknown NAT mode', { NAT_GATEWAYS: 'none' }, 'NAT_GATEWAYS "none" is not allowed: use one of one-per-az, single'],
    ['SSH open to the internet', { SSH_INGRESS_CIDR: '0.0.0.0/0' }, 'SSH_INGRESS_CIDR "0.0.0.0/0" would open SSH to the whole internet'],
    ['a malformed SSH range', { SSH_INGRESS_CIDR: 'office' }, 'SSH_INGRESS_CIDR "office" is not an IPv4 CIDR'],
    ['a suffix with capitals', { ENVIRONMENT_SUFFIX: 'Dev' }, 'ENVIRONMENT_SUFFIX "Dev" is not allowed: use 1 to 12 lowercase letters, digits and single hyphens'],
    ['a suffix with an underscore', { ENVIRONMENT_SUFFIX: 'pr_42' }, 'ENVIRONMENT_SUFFIX "pr_42" is not allowed'],
    ['a suffix ending in a hyphen', { ENVIRONMENT_SUFFIX: 'dev-' }, 'ENVIRONMENT_SUFFIX "dev-" is not allowed'],
    ['a suffix with a double hyphen', { ENVIRONMENT_SUFFIX: 'a--b' }, 'ENVIRONMENT_SUFFIX "a--b" is not allowed'],
    ['a suffix starting with a digit', { ENVIRONMENT_SUFFIX: '1dev' }, 'ENVIRONMENT_SUFFIX "1dev" is not allowed'],
    ['a suffix too long for AWS names', { ENVIRONMENT_SUFFIX: 'feature-branch-x' }, 'ENVIRONMENT_SUFFIX "feature-branch-x" is not allowed: use 1 to 12'],
    ['a project name with a dot', { PROJECT_NAME: 'my.app' }, 'PROJECT_NAME "my.app" is not allowed'],
    ['a retention CloudWatch rejects', { LOG_RETENTION_DAYS: '100' }, 'LOG_RETENTION_DAYS "100" is not a retention CloudWatch Logs accepts: use one of 1, 3, 5'],
    ['a certificate that is not an ACM ARN', { CERTIFICATE_ARN: 'arn:aws:iam::123456789012:server-certificate/x' }, 'CERTIFICATE_ARN "arn:aws:iam::123456789012:server-certificate/x" is not allowed: expected an ACM certificate ARN'],
    ['a certificate from another region', { CERTIFICATE_ARN: 'arn:aws:acm:eu-west-1:123456789012:certificate/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b' }, 'is in another region: a load balancer only takes certificates from its own region (us-east-1)'],
    ['a health check path without a slash', { HEALTH_CHECK_PATH: 'health' }, 'HEALTH_CHECK_PATH "health" is not allowed: a health check path starts with /'],
    ['a deletion protection flag that is not a boolean', { ALB_DELETION_PROTECTION: 'yes' }, 'ALB_DELETION_PROTECTION "yes" is not allowed: use true or false'],
    ['an invalid bucket name', { STATE_BUCKET: 'My_Bucket' }, 'STATE_BUCKET "My_Bucket" is not allowed: an S3 bucket name is 3 to 63 lowercase letters'],
    ['an invalid lock table name', { STATE_BUCKET: 'acme-state', STATE_LOCK_TABLE: 'x' }, 'STATE_LOCK_TABLE "x" is not allowed: a DynamoDB table name'],
    ['a lock table without a state bucket', { STATE_LOCK_TABLE: 'terraform-locks' }, 'STATE_LOCK_TABLE "terraform-locks" only applies to S3 state: set STATE_BUCKET too, or unset STATE_LOCK_TABLE'],
    ['a state region without a state bucket', { STATE_REGION: 'eu-west-1' }, 'STATE_REGION "eu-west-1" only applies to S3 state: set STATE_BUCKET too'],
    ['a state key that is not a KMS key ARN', { STATE_BUCKET: 'acme-state', STATE_KMS_KEY_ID: 'alias/state' }, 'STATE_KMS_KEY_ID "alias/state" is not allowed: use the ARN of the KMS key the bootstrap printed (StateKmsKeyArn)'],
    ['a state key without a state bucket', { STATE_KMS_KEY_ID: 'arn:aws:kms:us-east-1:123456789012:key/0123abcd-0123-0123-0123-0123456789ab' }, 'only applies to S3 state: set STATE_BUCKET too, or unset STATE_KMS_KEY_ID'],
    ['a project name starting with a digit (RDS identifiers start with a letter)', { PROJECT_NAME: '2shop' }, 'PROJECT_NAME "2shop" is not allowed: use 1 to 12'],
    ['the project name "internal"', { PROJECT_NAME: 'internal' }, 'PROJECT_NAME "internal" is not allowed: AWS refuses load balancer names that begin with "internal-"'],
    ['the project name "sg"', { PROJECT_NAME: 'sg' }, 'PROJECT_NAME "sg" is not allowed: AWS refuses security group names that begin with "sg-", and every name begins with "sg-"'],
    ['the project name "sthree"', { PROJECT_NAME: 'sthree' }, 'PROJECT_NAME "sthree" is not allowed: AWS refuses S3 bucket names that begin with "sthree-"'],
    ['the project name "amzn-s3-demo"', { PROJECT_NAME: 'amzn-s3-demo' }, 'PROJECT_NAME "amzn-s3-demo" is not allowed: AWS refuses S3 bucket names that begin with "amzn-s3-demo-"'],
    ['the suffix "s3alias"', { ENVIRONMENT_SUFFIX: 's3alias' }, 'ENVIRONMENT_SUFFIX "s3alias" is not allowed: AWS refuses S3 bucket names that end with "-s3alias", and names end with "-s3alias"'],
    ['a zone of another region', { AVAILABILITY_ZONES: 'us-east-1a,us-west-2b' }, 'AVAILABILITY_ZONES "us-east-1a,us-west-2b" names us-west-2b, not an Availability Zone of AWS_REGION us-east-1'],
    ['a Local Zone', { AVAILABILITY_ZONES: 'us-east-1a,us-east-1-bos-1a' }, 'names us-east-1-bos-1a, not an Availability Zone of AWS_REGION us-east-1 (a zone name is the region and one letter; Local and Wavelength Zones lack NAT gateways): use names such as us-east-1a,us-east-1b'],
    ['a zone twice', { AVAILABILITY_ZONES: 'us-east-1a,us-east-1b,us-east-1a' }, 'AVAILABILITY_ZONES "us-east-1a,us-east-1b,us-east-1a" lists us-east-1a more than once: every subnet of a tier needs a zone of its own'],
    ['zones that disagree with AZ_COUNT', { AZ_COUNT: '2', AVAILABILITY_ZONES: 'us-east-1a,us-east-1b,us-east-1c' }, 'AVAILABILITY_ZONES "us-east-1a,us-east-1b,us-east-1c" lists 3 zones, but AZ_COUNT is 2: list 2 zones, or leave AZ_COUNT unset'],
    ['a single zone', { AVAILABILITY_ZONES: 'us-east-1a' }, 'AVAILABILITY_ZONES "us-east-1a" lists 1 zone: list 2 or 3 zones of us-east-1'],
    ['zones of an unknown region, reported once', { AWS_REGION: 'mars-1', AVAILABILITY_ZONES: 'mars-1a,mars-1b' }, 'AWS_REGION "mars-1" is not allowed'],
    ['four zones', { AVAILABILITY_ZONES: 'us-east-1a,us-east-1b,us-east-1c,us-east-1d' }, 'lists 4 zones: list 2 or 3 zones of us-east-1'],
    ['a public VPC range', { VPC_CIDR: '52.0.0.0/16' }, 'VPC_CIDR "52.0.0.0/16" is not a private range: use a block inside 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16 (RFC 1918)'],
    ['the loopback range', { VPC_CIDR: '127.0.0.0/16' }, 'VPC_CIDR "127.0.0.0/16" is not a private range'],
    ['a range straddling 172.16.0.0/12', { VPC_CIDR: '172.0.0.0/11' }, 'VPC_CIDR "172.0.0.0/11" is not a private range'],
    ['an unknown state region', { STATE_BUCKET: 'acme-state', STATE_REGION: 'mars-1' }, 'STATE_REGION "mars-1" is not allowed'],
    ['a tag value with illegal characters', { OWNER: 'team<script>' }, 'OWNER "team<script>" is not allowed: a tag value is at most 256'],
    ['an engine version that is not a number', { DB_ENGINE_VERSION: 'latest' }, 'DB_ENGINE_VERSION "latest" is not allowed: use a PostgreSQL major version RDS supports, 14, 15, 16, 17, 18, alone (minor upgrades automatic) or as major.minor such as 17.6'],
    ['the seed\'s engine version, past standard support', { DB_ENGINE_VERSION: '13.7' }, 'DB_ENGINE_VERSION "13.7" is not allowed: use a PostgreSQL major version RDS supports'],
    ['an engine version with a patch level', { DB_ENGINE_VERSION: '17.6.1' }, 'DB_ENGINE_VERSION "17.6.1" is not allowed'],
    ['a malformed instance class', { DB_INSTANCE_CLASS: 't4g.medium' }, 'DB_INSTANCE_CLASS "t4g.medium" is not allowed: an RDS instance class looks like db.t4g.medium'],
    ['a class too small for Performance Insights', { DB_INSTANCE_CLASS: 'db.t4g.micro' }, 'DB_INSTANCE_CLASS "db.t4g.micro" is not allowed: Performance Insights, which this platform turns on, does not run on micro and small burstable classes; use db.t4g.medium or larger'],
    ['a small burstable class', { DB_INSTANCE_CLASS: 'db.t3.small' }, 'DB_INSTANCE_CLASS "db.t3.small" is not allowed: Performance Insights'],
    ['storage below what gp3 allows', { DB_ALLOCATED_STORAGE: '10' }, 'DB_ALLOCATED_STORAGE "10" is not allowed: use a whole number of GiB from 20 to 65536'],
    ['a storage maximum below the allocated storage', { DB_ALLOCATED_STORAGE: '200', DB_MAX_ALLOCATED_STORAGE: '100' }, 'DB_MAX_ALLOCATED_STORAGE "100" is below DB_ALLOCATED_STORAGE 200 plus the 10% storage autoscaling needs: use 220 or more'],
    ['a storage maximum without room to grow', { DB_ALLOCATED_STORAGE: '100', DB_MAX_ALLOCATED_STORAGE: '105' }, 'use 110 or more'],
    ['fractional storage', { DB_ALLOCATED_STORAGE: '20.5' }, 'DB_ALLOCATED_STORAGE "20.5" is not allowed: use a whole number of GiB'],
    ['a backup retention below a week', { DB_BACKUP_RETENTION_DAYS: '3' }, 'DB_BACKUP_RETENTION_DAYS "3" is not allowed: use a whole number of days from 7 to 35'],
    ['a backup retention above what RDS keeps', { DB_BACKUP_RETENTION_DAYS: '36' }, 'DB_BACKUP_RETENTION_DAYS "36" is not allowed: use a whole number of days from 7 to 35'],
    ['a single-AZ database outside dev', { ENVIRONMENT_SUFFIX: 'prod', DB_MULTI_AZ: 'false' }, 'DB_MULTI_AZ "false" is allowed for the dev suffix only'],
    ['a Multi-AZ flag that is not a boolean', { DB_MULTI_AZ: 'yes' }, 'DB_MULTI_AZ "yes" is not allowed: use true or false'],
    ['an unprotected database outside dev', { ENVIRONMENT_SUFFIX: 'prod', DB_DELETION_PROTECTION: 'false' }, 'DB_DELETION_PROTECTION "false" is allowed for the dev suffix only'],
    ['a malformed backup window', { DB_BACKUP_WINDOW: '3-4' }, 'DB_BACKUP_WINDOW "3-4" is not allowed: use a daily UTC window hh:mm-hh:mm of at least 30 minutes'],
    ['a backup window shorter than 30 minutes', { DB_BACKUP_WINDOW: '03:00-03:15' }, 'DB_BACKUP_WINDOW "03:00-03:15" is not allowed'],
    ['a malformed maintenance window', { DB_MAINTENANCE_WINDOW: 'sunday:04:30-sunday:05:30' }, 'DB_MAINTENANCE_WINDOW "sunday:04:30-sunday:05:30" is not allowed: use a weekly UTC window ddd:hh:mm-ddd:hh:mm'],
    ['a maintenance window over the backup window', { DB_MAINTENANCE_WINDOW: 'tue:03:30-tue:04:30' }, 'DB_MAINTENANCE_WINDOW "tue:03:30-tue:04:30" overlaps DB_BACKUP_WINDOW 03:00-04:00, which RDS refuses'],
    ['windows that overlap across midnight', { DB_BACKUP_WINDOW: '23:45-00:30', DB_MAINTENANCE_WINDOW: 'mon:00:00-mon:01:00' }, 'overlaps DB_BACKUP_WINDOW 23:45-00:30'],
    ['windows that overlap across the week\'s end', { DB_BACKUP_WINDOW: '00:00-00:30', DB_MAINTENANCE_WINDOW: 'sun:23:30-mon:00:15' }, 'overlaps DB_BACKUP_WINDOW 00:00-00:30'],
    ['a database name with a hyphen', { DB_NAME: 'my-app' }, 'DB_NAME "my-app" is not allowed: use 1 to 63 lowercase letters, digits and underscores'],
    ['a database name RDS reserves', { DB_NAME: 'rdsadmin' }, 'DB_NAME "rdsadmin" is not allowed: postgres, template0, template1, rdsadmin exist on every RDS PostgreSQL instance or are reserved by RDS'],
    ['an immediate secret deletion outside dev', { ENVIRONMENT_SUFFIX: 'prod', DB_SECRET_RECOVERY_DAYS: '0' }, 'DB_SECRET_RECOVERY_DAYS "0" is allowed for the dev suffix only: outside dev use 7 to 30 days'],
    ['a recovery window Secrets Manager refuses', { DB_SECRET_RECOVERY_DAYS: '3' }, 'DB_SECRET_RECOVERY_DAYS "3" is not allowed: use 0 (dev only, deletes at once) or 7 to 30 days'],
    ['a rotation period of zero days', { ROTATION_DAYS: '0' }, 'ROTATION_DAYS "0" is not allowed: use a whole number of days from 1 to 365'],
    ['a rotation period above a year', { ROTATION_DAYS: '400' }, 'ROTATION_DAYS "400" is not allowed: use a whole number of days from 1 to 365'],
  ])('rejects %s', (_, env, message) => {
    const problems = problemsOf(env);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(message);
  });

  it('accepts windows that only touch, and single-AZ, unprotected databases in dev', () => {
    expect(load({ DB_BACKUP_WINDOW: '03:00-04:00', DB_MAINTENANCE_WINDOW: 'sun:04:00-sun:04:30' }).database.maintenanceWindow).toBe('sun:04:00-sun:04:30');
    expect(load({ DB_MULTI_AZ: 'false', DB_DELETION_PROTECTION: 'false', DB_SECRET_RECOVERY_DAYS: '0' }).database)
      .toMatchObject({ multiAz: false, deletionProtection: false, secretRecoveryDays: 0 });
  });

  it('reports every problem at once, in one message', () => {
    try {
      load({ VPC_CIDR: 'x', AZ_COUNT: '5', AWS_REGION: 'nowhere' });
      throw new Error('accepted');
    } catch (error) {
      expect((error as ConfigError).problems).toHaveLength(3);
      expect((error as Error).message).toMatch(/^Invalid configuration:\n {2}- AWS_REGION "nowhere"[^\n]*\n {2}- VPC_CIDR "x"[^\n]*\n {2}- AZ_COUNT "5"/);
    }
  });
});

describe('naming', () => {
  const naming = new Naming('migration', 'dev', 'us-east-1');

  it('puts the project first and the environment suffix last', () => {
    expect(naming.name('alb')).toBe('migration-alb-dev');
    expect(naming.nameTag('igw')).toEqual({ Name: 'migration-igw-dev' });
  });

  it('puts the region into names AWS keeps account-wide, so one environment in two regions never collides', () => {
    expect(naming.globalName('flow-logs')).toBe('migration-flow-logs-us-east-1-dev');
    expect(new Naming('migration', 'dev', 'eu-west-1').globalName('flow-logs')).toBe('migration-flow-logs-eu-west-1-dev');
  });

  it('fits the longest allowed project and suffix into a target group name', () => {
    expect(new Naming('platformteam', 'production-1', 'eu-west-1').name('green', 32)).toBe('platformteam-green-production-1');
  });

  it('refuses a name longer than AWS allows, naming the settings to shorten', () => {
    expect(() => new Naming('platformteam', 'production-1', 'eu-west-1').name('green-target', 32))
      .toThrow(/"platformteam-green-target-production-1" 38 characters long, but AWS allows 32; use shorter values/);
  });
});
