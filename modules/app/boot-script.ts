/**
 * The app servers' boot script (boot/boot.sh, EC2 user data) and the files it installs, rendered from the
 * real files in boot/: each `@@NAME@@` placeholder is replaced by one value, shell-quoted. Knows nothing of
 * cdktf; user-data.ts feeds it Terraform references.
 */
import appService from './boot/app.service';
import credentialsService from './boot/app-credentials.service';
import credentialsTimer from './boot/app-credentials.timer';
import healthService from './boot/app-health.service';
import bootTemplate from './boot/boot.sh';
import logrotateConfig from './boot/logrotate.conf';
import refreshHelper from './boot/refresh-db-credentials.sh';

/** The template files, for tests that run or lint them directly. */
export const BOOT_FILES = { bootTemplate, refreshHelper, appService, healthService, credentialsService, credentialsTimer, logrotateConfig } as const;

/** One POSIX shell word that stands for exactly `value`: single quotes, each `'` written as `'\''`. */
export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

export interface RenderOptions {
  /** Turns a value into the shell word that replaces its placeholder. @default shellQuote */
  readonly quote?: (value: string) => string;
  /** Applied to the template's own text between placeholders. @default unchanged */
  readonly literal?: (text: string) => string;
}

const PLACEHOLDER = /@@([A-Z][A-Z0-9_]*)@@/;

/**
 * Replaces every `@@NAME@@` of `template` with `quote(values[NAME])`. Throws when a placeholder has no value,
 * a value has no placeholder (a misspelt name would otherwise pass silently), or `@@` is left malformed.
 */
export function renderTemplate(template: string, values: Readonly<Record<string, string>>, options: RenderOptions = {}): string {
  const quote = options.quote ?? shellQuote;
  const literal = options.literal ?? ((text: string) => text);
  // split() with a capturing group alternates: text, name, text, name, ..., text.
  const parts = template.split(new RegExp(PLACEHOLDER.source, 'g'));
  const used = new Set<string>();
  const problems: string[] = [];
  const rendered = parts.map((part, index) => {
    if (index % 2 === 0) {
      if (part.includes('@@')) problems.push(`malformed placeholder near ${JSON.stringify(part.slice(part.indexOf('@@'), part.indexOf('@@') + 30))}`);
      return literal(part);
    }
    used.add(part);
    if (!Object.prototype.hasOwnProperty.call(values, part)) {
      problems.push(`no value for placeholder @@${part}@@`);
      return '';
    }
    return quote(values[part]);
  }).join('');
  for (const name of Object.keys(values)) if (!used.has(name)) problems.push(`value ${name} has no placeholder`);
  if (problems.length > 0) throw new Error(`Cannot render the template: ${problems.join('; ')}`);
  return rendered;
}

/** What one colour's servers need to know at boot. Nothing secret: the secret is read at run time. */
export interface BootSettings {
  readonly color: string;
  readonly region: string;
  readonly appPort: number;
  readonly healthCheckPath: string;
  readonly correttoVersion: number;
  /** S3 URI of the application's jar; none: the built-in health service. */
  readonly releaseUri?: string;
  readonly dbSecretArn: string;
  readonly dbHost: string;
  readonly dbPort: string;
  /** The application's database (the data layer's `DatabaseName`). */
  readonly dbName: string;
  /** The layer's log group, where the CloudWatch agent ships the logs. */
  readonly logGroupName: string;
}

/** Log files the CloudWatch agent ships, and the stream each goes to (under `<colour>/<instance id>/`). */
const SHIPPED_LOGS = [
  { file: '/var/log/app/app.log', stream: 'app' },
  { file: '/var/log/app-credentials/refresh.log', stream: 'credentials' },
  { file: '/var/log/cloud-init-output.log', stream: 'boot' },
];

/** The CloudWatch agent's configuration: the app's, credential helper's and boot script's logs, nothing else. */
export function cloudWatchAgentConfig(logGroupName: string, color: string): string {
  return `${JSON.stringify({
    logs: {
      logs_collected: {
        files: {
          collect_list: SHIPPED_LOGS.map(({ file, stream }) => ({
            file_path: file,
            log_group_name: logGroupName,
            log_stream_name: `${color}/{instance_id}/${stream}`,
            timezone: 'UTC',
          })),
        },
      },
    },
  }, null, 2)}\n`;
}

/** The boot script of one colour, every file it installs inside it. */
export function renderBootScript(settings: BootSettings, options: RenderOptions = {}): string {
  return renderTemplate(bootTemplate, {
    APP_COLOR: settings.color,
    AWS_REGION: settings.region,
    APP_PORT: String(settings.appPort),
    HEALTH_CHECK_PATH: settings.healthCheckPath,
    CORRETTO_VERSION: String(settings.correttoVersion),
    RELEASE_URI: settings.releaseUri ?? '',
    DB_SECRET_ARN: settings.dbSecretArn,
    DB_HOST: settings.dbHost,
    DB_PORT: settings.dbPort,
    DB_NAME: settings.dbName,
    REFRESH_HELPER: refreshHelper,
    CREDENTIALS_SERVICE_UNIT: credentialsService,
    CREDENTIALS_TIMER_UNIT: credentialsTimer,
    APP_SERVICE_UNIT: appService,
    HEALTH_SERVICE_UNIT: healthService,
    LOGROTATE_CONFIG: logrotateConfig,
    CLOUDWATCH_AGENT_CONFIG: cloudWatchAgentConfig(settings.logGroupName, settings.color),
  }, options);
}
