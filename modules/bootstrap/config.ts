/**
 * The bootstrap stack's own settings, read once like modules/core/config.ts reads the layers' (environment
 * first, then cdktf.json context; blank is unset). The bootstrap is built only when `BOOTSTRAP` selects it,
 * so nothing here is required of a layer's synthesis, and `cdktf deploy` of the layers never sees it.
 */
import {
  Config, ConfigError, ConfigSource, readSetting, RESERVED_BUCKET_PREFIXES, RESERVED_BUCKET_SUFFIXES, Setting,
} from '../core/config';

export type OidcProviderMode = 'create' | 'existing';
export type BootstrapStateMode = 'local' | 's3';

export interface BootstrapConfig {
  /** The state bucket's name: STATE_BUCKET when given, else derived from project, suffix, account and region. */
  readonly bucketName?: string;
  /** Bucket that receives the state bucket's S3 access logs; none means no access logging. */
  readonly accessLogBucket?: string;
  /** Days a replaced or deleted state version is kept before S3 expires it. */
  readonly noncurrentVersionDays: number;
  /** The DynamoDB lock table's name, when one is wanted. */
  readonly lockTable?: string;
  /** Principals (IAM role or user ARNs) besides the GitHub roles that may read and write state with the key. */
  readonly stateKeyUsers: string[];
  readonly github: {
    readonly org: string;
    readonly repo: string;
    /** The GitHub environment whose deployment jobs may assume the apply role. */
    readonly environment: string;
    /** `create` the account's GitHub OIDC provider, or use the `existing` one (there is one per account). */
    readonly oidcProvider: OidcProviderMode;
  };
  /** Where the bootstrap's own state lives: `local` at first, `s3` once migrated into the bucket. */
  readonly state: BootstrapStateMode;
}

/** The variable that selects the bootstrap stack; deliberately not a cdktf.json context key, so it is never on by accident. */
export const BOOTSTRAP_SELECTOR = 'BOOTSTRAP';

/** Every bootstrap setting: environment variable, cdktf.json context key and default (README.md explains each). */
export const BOOTSTRAP_SETTINGS = {
  githubOrg: { env: 'GITHUB_ORG', context: 'githubOrg', defaultDoc: 'none: required' },
  githubRepo: { env: 'GITHUB_REPO', context: 'githubRepo', defaultDoc: 'none: required' },
  githubEnvironment: { env: 'GITHUB_ENVIRONMENT', context: 'githubEnvironment', defaultDoc: 'ENVIRONMENT_SUFFIX' },
  githubOidcProvider: { env: 'GITHUB_OIDC_PROVIDER', context: 'githubOidcProvider', default: 'create' },
  stateKeyUsers: { env: 'STATE_KEY_USERS', context: 'stateKeyUsers', defaultDoc: 'none' },
  stateAccessLogBucket: { env: 'STATE_ACCESS_LOG_BUCKET', context: 'stateAccessLogBucket', defaultDoc: 'none: no access logs' },
  stateNoncurrentDays: { env: 'STATE_NONCURRENT_VERSION_DAYS', context: 'stateNoncurrentVersionDays', default: '90' },
  bootstrapLockTable: { env: 'BOOTSTRAP_LOCK_TABLE', context: 'bootstrapLockTable', default: 'false' },
  bootstrapState: { env: 'BOOTSTRAP_STATE', context: 'bootstrapState', default: 'local' },
} as const satisfies Record<string, Setting>;
type Name = keyof typeof BOOTSTRAP_SETTINGS;

/** GitHub user and organisation names: letters, digits, single inner hyphens, at most 39. */
const GITHUB_OWNER_PATTERN = /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/;
const GITHUB_REPO_PATTERN = /^[A-Za-z0-9._-]{1,100}$/;
/** Characters kept to those that need no escaping in the OIDC subject claim and IAM condition values. */
const GITHUB_ENVIRONMENT_PATTERN = /^[A-Za-z0-9._-]{1,255}$/;
const PRINCIPAL_ARN_PATTERN = /^arn:aws[a-z-]*:iam::\d{12}:(role|user)\/[A-Za-z0-9+=,.@_/-]{1,512}$/;
/** S3 keeps noncurrent versions at least a day; ten years is a generous upper bound for old state. */
const NONCURRENT_DAYS_RANGE = { min: 1, max: 3650 } as const;

/** Whether BOOTSTRAP selects the bootstrap stack; anything but 1/true/0/false/unset is refused. */
export function bootstrapSelected(env: ConfigSource['env']): boolean {
  const value = env[BOOTSTRAP_SELECTOR]?.trim() ?? '';
  if (value === '' || value === '0' || value === 'false') return false;
  if (value === '1' || value === 'true') return true;
  throw new ConfigError([`${BOOTSTRAP_SELECTOR} ${JSON.stringify(value)} is not allowed: use 1 or true to synthesize only the bootstrap stack, or leave it unset for the layers`]);
}

/** Reads and validates the bootstrap settings; one ConfigError lists every problem. */
export function loadBootstrapConfig(source: ConfigSource, config: Config): BootstrapConfig {
  const problems: string[] = [];
  const read = (name: Name): string | undefined => readSetting(source, BOOTSTRAP_SETTINGS[name]);
  const fail = (name: Name, value: string | undefined, allowed: string) =>
    problems.push(`${BOOTSTRAP_SETTINGS[name].env} ${value === undefined ? 'is not set' : JSON.stringify(value)} ${allowed}`);
  const required = (name: Name, pattern: RegExp, allowed: string): string => {
    const value = read(name);
    if (value === undefined) fail(name, value, `but the bootstrap needs it: ${allowed}`);
    else if (!pattern.test(value)) fail(name, value, `is not allowed: ${allowed}`);
    return value ?? '';
  };
  const oneOf = <T extends string>(name: Name, allowed: readonly T[]): T => {
    const value = read(name) ?? (BOOTSTRAP_SETTINGS[name] as Setting).default!;
    if (!(allowed as readonly string[]).includes(value)) fail(name, value, `is not allowed: use one of ${allowed.join(', ')}`);
    return value as T;
  };

  const org = required('githubOrg', GITHUB_OWNER_PATTERN, 'the GitHub organisation or user that owns the repository, 1 to 39 letters, digits and single hyphens');
  const repo = required('githubRepo', GITHUB_REPO_PATTERN, 'the repository name without the owner, 1 to 100 letters, digits, . _ and -');
  if (repo === '.' || repo === '..' || /\.git$/i.test(repo)) fail('githubRepo', repo, 'is not allowed: give the repository name as GitHub shows it, without .git');
  const environment = read('githubEnvironment') ?? config.environmentSuffix;
  if (!GITHUB_ENVIRONMENT_PATTERN.test(environment)) fail('githubEnvironment', environment, 'is not allowed: use 1 to 255 letters, digits, . _ and - (the name of the GitHub environment that deploys this suffix)');

  const users = (read('stateKeyUsers') ?? '').split(',').map((arn) => arn.trim()).filter(Boolean);
  for (const arn of users.filter((user) => !PRINCIPAL_ARN_PATTERN.test(user))) {
    fail('stateKeyUsers', arn, 'is not allowed: use comma-separated IAM role or user ARNs such as arn:aws:iam::123456789012:role/Admin');
  }

  const accessLogBucket = read('stateAccessLogBucket');
  const accessLogProblem = accessLogBucket === undefined ? undefined : bucketNameProblem(accessLogBucket);
  if (accessLogProblem) fail('stateAccessLogBucket', accessLogBucket, `is not allowed: ${accessLogProblem}`);

  const daysText = read('stateNoncurrentDays') ?? BOOTSTRAP_SETTINGS.stateNoncurrentDays.default;
  const noncurrentVersionDays = Number(daysText);
  if (!/^\d+$/.test(daysText) || noncurrentVersionDays < NONCURRENT_DAYS_RANGE.min || noncurrentVersionDays > NONCURRENT_DAYS_RANGE.max) {
    fail('stateNoncurrentDays', daysText, `is not allowed: use a whole number of days from ${NONCURRENT_DAYS_RANGE.min} to ${NONCURRENT_DAYS_RANGE.max}`);
  }

  const wantsLockTable = oneOf('bootstrapLockTable', ['true', 'false']) === 'true';
  const state = oneOf('bootstrapState', ['local', 's3']);
  if (state === 's3' && !config.state.bucket) fail('bootstrapState', state, 'needs STATE_BUCKET: the bootstrap state moves into the bucket it created (see README, "State bootstrap")');

  const bucketName = config.state.bucket;
  // A derived name holds the account ID, known at apply time only; any 12 digits give its length and shape.
  const bucketProblem = bucketNameProblem(bucketName ?? derivedBucketName(config, '000000000000'));
  if (bucketProblem) {
    problems.push(bucketName === undefined
      ? `PROJECT_NAME ${JSON.stringify(config.project)} gives the state bucket the name ${JSON.stringify(derivedBucketName(config, '<account>'))}, which S3 refuses (${bucketProblem}): set STATE_BUCKET to a name of your own`
      : `STATE_BUCKET ${JSON.stringify(bucketName)} cannot be created: ${bucketProblem}`);
  }

  const oidcProvider = oneOf('githubOidcProvider', ['create', 'existing']);
  if (problems.length > 0) throw new ConfigError(problems);
  return {
    bucketName,
    accessLogBucket,
    noncurrentVersionDays,
    lockTable: wantsLockTable ? config.state.lockTable ?? `${config.project}-terraform-lock-${config.environmentSuffix}` : undefined,
    stateKeyUsers: users,
    github: { org, repo, environment, oidcProvider },
    state,
  };
}

/**
 * The state bucket's name when STATE_BUCKET is not given: `<project>-tfstate-<suffix>-<account>-<region>`,
 * globally unique because it holds the account, and at most 61 characters (12 + 9 + 12 + 1 + 12 + 1 + 14).
 */
export function derivedBucketName(config: Config, accountId: string): string {
  return `${config.project}-tfstate-${config.environmentSuffix}-${accountId}-${config.state.region}`;
}

/** S3's rules for a bucket this stack creates (or logs to), or undefined when `name` follows them. */
export function bucketNameProblem(name: string): string | undefined {
  if (!/^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/.test(name)) {
    // Dots are legal in S3 but break TLS for virtual-hosted requests, which Terraform's S3 backend makes.
    return 'a bucket name is 3 to 63 lowercase letters, digits and hyphens, starting and ending with a letter or digit (no dots: they break TLS for the S3 backend)';
  }
  const prefix = RESERVED_BUCKET_PREFIXES.find((reserved) => name.startsWith(reserved));
  if (prefix) return `S3 reserves names that start with ${prefix}`;
  const suffix = RESERVED_BUCKET_SUFFIXES.find((reserved) => name.endsWith(reserved));
  if (suffix) return `S3 reserves names that end with ${suffix}`;
  return undefined;
}
