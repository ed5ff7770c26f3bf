/**
 * The app servers' boot script and credential helper, as real shell: rendered, checked by `bash -n` and
 * shellcheck (Debian's package; .ci/run installs it), then run in a scratch root with stand-ins for the
 * commands that would change the machine (dnf, useradd, systemctl, the aws CLI, the CloudWatch agent) on
 * PATH. Asserts what they write, with which modes and owners, what they call, and that the secret value
 * never reaches their output or any file but the credentials file.
 */
import { spawnSync, SpawnSyncReturns } from 'child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join, relative } from 'path';
import { BOOT_FILES, BootSettings, cloudWatchAgentConfig, renderBootScript, renderTemplate, shellQuote } from '../modules/app/boot-script';
import { escapeTerraformTemplate } from '../modules/app/user-data';

/** A database secret as the data layer stores it, with a password full of shell metacharacters around a marker. */
const PASSWORD_MARKER = 'Xk7-first-password';
const PASSWORD = `pa'ss"w$rd\\\`x\`-${PASSWORD_MARKER}`;
const SECRET = JSON.stringify({ engine: 'postgres', host: 'migration-db-dev.c1.eu-west-1.rds.amazonaws.com', port: 5432, username: 'app_owner', password: PASSWORD, dbname: 'postgres' });
const ROTATED_SECRET = JSON.stringify({ ...JSON.parse(SECRET), password: 'Xk7-rotated-password' });

const SETTINGS: BootSettings = {
  color: 'green',
  region: 'eu-west-1',
  appPort: 8080,
  healthCheckPath: '/actuator/health',
  correttoVersion: 21,
  releaseUri: 's3://acme-releases/shop/1.4.0/shop-1.4.0.jar',
  dbSecretArn: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:migration-db-dev-AbCdEf',
  dbHost: 'migration-db-dev.c1.eu-west-1.rds.amazonaws.com',
  dbPort: '5432',
  dbName: 'shop',
  logGroupName: '/ec2/migration-app-dev',
};

/**
 * Stand-ins: each records its command line in $CALLS. `aws` also plays S3 (writes the release) and
 * Secrets Manager (prints $FAKE_SECRET, fails as an unreachable endpoint does, or hangs), as $FAKE_AWS says.
 */
const STAND_INS: Record<string, string> = {
  dnf: '',
  useradd: '',
  systemctl: '',
  'amazon-cloudwatch-agent-ctl': '',
  chown: '',
  getent: 'exit 2  # no such user yet',
  findmnt: 'printf "%s\\n" "${FAKE_FSTYPE:-tmpfs}"',
  // Plays AWS's RDS trust store: writes a certificate to the --output file, or fails as an unreachable host does.
  curl: [
    'if [ "${FAKE_CURL:-ok}" != ok ]; then echo "curl: (28) Connection timed out after 10001 milliseconds" >&2; exit 28; fi',
    'while [ $# -gt 0 ]; do if [ "$1" = --output ]; then printf "%s\\n" "-----BEGIN CERTIFICATE-----" >"$2"; fi; shift; done',
  ].join('\n'),
  aws: [
    'case "$1 $2" in',
    '  "s3 cp") printf "release jar" >"${@: -1}" ;;',
    '  "secretsmanager get-secret-value")',
    '    case "${FAKE_AWS:-ok}" in',
    '      ok) printf "%s\\n" "$FAKE_SECRET" ;;',
    '      empty) ;;',
    '      unreachable) echo "Could not connect to the endpoint URL: \\"https://secretsmanager.eu-west-1.amazonaws.com/\\"" >&2; exit 255 ;;',
    '      hang) exec sleep 30 ;;',
    '    esac ;;',
    '  *) echo "unexpected aws call" >&2; exit 2 ;;',
    'esac',
  ].join('\n'),
};

interface Sandbox {
  readonly dir: string;
  readonly root: string;
  run(script: string, env?: Record<string, string>): SpawnSyncReturns<string> & { calls: string[] };
  filesUnder(path?: string): string[];
}

const sandboxes: string[] = [];
afterAll(() => sandboxes.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function sandbox(): Sandbox {
  const dir = mkdtempSync(join(tmpdir(), 'boot-script-'));
  sandboxes.push(dir);
  const root = join(dir, 'root');
  const bin = join(dir, 'bin');
  mkdirSync(root);
  mkdirSync(bin);
  for (const [name, body] of Object.entries(STAND_INS)) {
    writeFileSync(join(bin, name), `#!/bin/bash\nprintf '%s\\n' "$(basename "$0") $*" >>"$CALLS"\n${body}\n`);
    chmodSync(join(bin, name), 0o755);
  }
  const filesUnder = (path = root): string[] => readdirSync(path).flatMap((entry) => {
    const full = join(path, entry);
    return statSync(full).isDirectory() ? filesUnder(full) : [full];
  });
  return {
    dir,
    root,
    filesUnder,
    run(script, env = {}) {
      const calls = join(dir, 'calls.log');
      writeFileSync(calls, '');
      const path = join(dir, 'script.sh');
      writeFileSync(path, script);
      const result = spawnSync('bash', [path], {
        env: { PATH: `${bin}:${process.env.PATH}`, ROOT: root, CALLS: calls, FAKE_SECRET: SECRET, ...env },
        encoding: 'utf8',
        timeout: 20_000,
      });
      return { ...result, calls: readFileSync(calls, 'utf8').split('\n').filter(Boolean) };
    },
  };
}

const mode = (path: string) => (statSync(path).mode & 0o777).toString(8).padStart(4, '0');

function shellcheck(script: string): SpawnSyncReturns<string> {
  return spawnSync('shellcheck', ['--shell=bash', '--severity=style', '-'], { input: script, encoding: 'utf8' });
}

describe('the template renderer', () => {
  it('quotes every value as one shell word that stands for exactly that value', () => {
    const tricky = [`it's`, '$HOME and $(id) and `id`', 'a\nb', '"double"', '\\back', '', ' spaced  out ', "''"];
    for (const value of tricky) {
      const printed = spawnSync('bash', ['-c', `printf %s ${shellQuote(value)}`], { encoding: 'utf8' }).stdout;
      expect(printed).toBe(value);
    }
  });

  it('replaces each placeholder with its quoted value', () => {
    expect(renderTemplate('A=@@A@@ B=@@B_2@@ A=@@A@@', { A: "it's", B_2: '$x' })).toBe(`A='it'\\''s' B='$x' A='it'\\''s'`);
  });

  it('refuses a placeholder without a value, a value without a placeholder, and a malformed placeholder', () => {
    expect(() => renderTemplate('X=@@MISSING@@', {})).toThrow('no value for placeholder @@MISSING@@');
    expect(() => renderTemplate('X=@@A@@', { A: '1', TYPO: '2' })).toThrow('value TYPO has no placeholder');
    expect(() => renderTemplate('X=@@lower@@', {})).toThrow('malformed placeholder');
    expect(() => renderBootScript({ ...SETTINGS, dbName: 'postgres' })).not.toThrow();
  });

  it('escapes only what a Terraform template would interpolate', () => {
    expect(escapeTerraformTemplate('${HOME} %{if} $x %d {instance_id} $${y}')).toBe('$${HOME} %%{if} $x %d {instance_id} $$${y}');
  });
});

describe.each([
  ['with a release', SETTINGS],
  ['without a release', { ...SETTINGS, releaseUri: undefined }],
])('the rendered boot script %s', (_, settings) => {
  const script = renderBootScript(settings);

  it('passes bash -n and shellcheck', () => {
    const syntax = spawnSync('bash', ['-n'], { input: script, encoding: 'utf8' });
    expect(syntax.stderr).toBe('');
    expect(syntax.status).toBe(0);
    const lint = shellcheck(script);
    expect(lint.error).toBeUndefined(); // shellcheck must be installed: .ci/run installs it
    expect(lint.stdout).toBe('');
    expect(lint.status).toBe(0);
  });

  it('fits in EC2 user data with room to spare', () => {
    expect(Buffer.byteLength(script)).toBeLessThan(14 * 1024);
  });
});

describe('the credential helper and the units', () => {
  it('passes bash -n and shellcheck', () => {
    expect(spawnSync('bash', ['-n'], { input: BOOT_FILES.refreshHelper }).status).toBe(0);
    const lint = shellcheck(BOOT_FILES.refreshHelper);
    expect(lint.error).toBeUndefined();
    expect(lint.stdout).toBe('');
  });

  it('hands the credentials to the release through LoadCredential=, never its environment', () => {
    const unit = BOOT_FILES.appService;
    expect(unit).toMatch(/^User=app$/m);
    expect(unit).toMatch(/^LoadCredential=db-credentials\.json:\/run\/app\/db-credentials\.json$/m);
    expect(unit).toMatch(/^Environment=DB_CREDENTIALS_FILE=%d\/db-credentials\.json$/m);
    expect(unit).toMatch(/^ExecStart=\/usr\/bin\/java .*-jar \/opt\/app\/app\.jar$/m);
    expect(unit).toMatch(/^After=.*app-credentials\.service/m);
    expect(unit).toMatch(/^ProtectSystem=strict$/m);
  });

  it('reads the secret as root into a root-only runtime directory, refreshed every 10 minutes', () => {
    const service = BOOT_FILES.credentialsService;
    expect(service).not.toMatch(/^User=/m);
    expect(service).toMatch(/^ExecStart=\/usr\/local\/libexec\/app\/refresh-db-credentials$/m);
    expect(service).toMatch(/^Environment=DB_CREDENTIALS_FILE=\/run\/app\/db-credentials\.json$/m);
    expect(service).toMatch(/^RuntimeDirectoryMode=0700$/m);
    expect(service).toMatch(/^RuntimeDirectoryPreserve=yes$/m);
    expect(service).toMatch(/^TimeoutStartSec=90$/m);
    expect(BOOT_FILES.credentialsTimer).toMatch(/^OnUnitActiveSec=10min$/m);
  });

  it('serves the health directory with the JDK web server on SERVER_PORT when there is no release', () => {
    expect(BOOT_FILES.healthService).toMatch(/^ExecStart=\/usr\/bin\/java -m jdk\.httpserver --bind-address 0\.0\.0\.0 --port \$\{SERVER_PORT\} --directory \/opt\/app\/health/m);
    expect(BOOT_FILES.healthService).toMatch(/^Conflicts=app\.service$/m);
  });

  it('ships the app, credential helper and boot logs to the layer\'s log group, per colour and instance', () => {
    const config = JSON.parse(cloudWatchAgentConfig('/ec2/migration-app-dev', 'blue'));
    expect(config.logs.logs_collected.files.collect_list).toEqual([
      { file_path: '/var/log/app/app.log', log_group_name: '/ec2/migration-app-dev', log_stream_name: 'blue/{instance_id}/app', timezone: 'UTC' },
      { file_path: '/var/log/app-credentials/refresh.log', log_group_name: '/ec2/migration-app-dev', log_stream_name: 'blue/{instance_id}/credentials', timezone: 'UTC' },
      { file_path: '/var/log/cloud-init-output.log', log_group_name: '/ec2/migration-app-dev', log_stream_name: 'blue/{instance_id}/boot', timezone: 'UTC' },
    ]);
  });
});

describe('running the boot script with a release', () => {
  const box = sandbox();
  const result = box.run(renderBootScript(SETTINGS));
  const at = (path: string) => join(box.root, path);

  it('succeeds and says what it does, without a secret', () => {
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('app boot (green): starting the release on port 8080');
    expect(result.stdout + result.stderr).not.toContain(PASSWORD_MARKER);
  });

  it('installs Corretto, the agent and logrotate, creates the service user, fetches the release, starts the units', () => {
    expect(result.calls).toEqual([
      'dnf install -y --quiet java-21-amazon-corretto-headless amazon-cloudwatch-agent logrotate diffutils',
      `curl --fail --silent --show-error --location --proto =https --connect-timeout 10 --max-time 60 --retry 3 --output ${at('etc/app/rds-ca-bundle.pem.download')} https://truststore.pki.rds.amazonaws.com/eu-west-1/eu-west-1-bundle.pem`,
      'getent passwd app',
      'useradd --system --user-group --home-dir /opt/app --no-create-home --shell /sbin/nologin app',
      `aws s3 cp --region eu-west-1 --only-show-errors --cli-connect-timeout 10 --cli-read-timeout 60 s3://acme-releases/shop/1.4.0/shop-1.4.0.jar ${at('opt/app/app.jar.download')}`,
      `amazon-cloudwatch-agent-ctl -a fetch-config -m ec2 -s -c file:${at('opt/aws/amazon-cloudwatch-agent/etc/app-logs.json')}`,
      'systemctl daemon-reload',
      'systemctl enable --now app-credentials.timer',
      'systemctl start app-credentials.service',
      'systemctl enable --now app.service',
    ]);
  });

  it('writes exactly these files, root-owned, with these modes (and gives the service user nothing)', () => {
    const files = Object.fromEntries(box.filesUnder().map((path) => [relative(box.root, path), mode(path)]));
    expect(files).toEqual({
      'etc/app/app.env': '0644',
      'etc/app/rds-ca-bundle.pem': '0644',
      'etc/logrotate.d/app': '0644',
      'etc/systemd/system/app-credentials.service': '0644',
      'etc/systemd/system/app-credentials.timer': '0644',
      'etc/systemd/system/app-health.service': '0644',
      'etc/systemd/system/app.service': '0644',
      'opt/app/app.jar': '0644',
      'opt/app/health/actuator/health': '0644',
      'opt/aws/amazon-cloudwatch-agent/etc/app-logs.json': '0644',
      'usr/local/libexec/app/refresh-db-credentials': '0755',
    });
    for (const path of box.filesUnder()) expect({ path, uid: statSync(path).uid }).toEqual({ path, uid: process.getuid!() });
    expect(result.calls.filter((call) => call.startsWith('chown'))).toEqual([]);
  });

  it('installs the repository\'s units and helper unchanged, and the settings the services read', () => {
    expect(readFileSync(at('usr/local/libexec/app/refresh-db-credentials'), 'utf8')).toBe(BOOT_FILES.refreshHelper);
    expect(readFileSync(at('etc/systemd/system/app.service'), 'utf8')).toBe(BOOT_FILES.appService);
    expect(readFileSync(at('etc/systemd/system/app-health.service'), 'utf8')).toBe(BOOT_FILES.healthService);
    expect(readFileSync(at('etc/systemd/system/app-credentials.service'), 'utf8')).toBe(BOOT_FILES.credentialsService);
    expect(readFileSync(at('etc/systemd/system/app-credentials.timer'), 'utf8')).toBe(BOOT_FILES.credentialsTimer);
    expect(readFileSync(at('etc/logrotate.d/app'), 'utf8')).toBe(BOOT_FILES.logrotateConfig);
    expect(readFileSync(at('opt/aws/amazon-cloudwatch-agent/etc/app-logs.json'), 'utf8')).toBe(cloudWatchAgentConfig('/ec2/migration-app-dev', 'green'));
    expect(readFileSync(at('opt/app/app.jar'), 'utf8')).toBe('release jar');
    const settings = readFileSync(at('etc/app/app.env'), 'utf8').split('\n').filter((line) => line && !line.startsWith('#'));
    expect(settings).toEqual([
      'APP_COLOR=green',
      'AWS_REGION=eu-west-1',
      'SERVER_PORT=8080',
      'DB_SECRET_ARN=arn:aws:secretsmanager:eu-west-1:123456789012:secret:migration-db-dev-AbCdEf',
      'DB_HOST=migration-db-dev.c1.eu-west-1.rds.amazonaws.com',
      'DB_PORT=5432',
      'DB_NAME=shop',
      'DB_TLS_CA_FILE=/etc/app/rds-ca-bundle.pem',
      'DB_JDBC_URL=jdbc-secretsmanager:postgresql://migration-db-dev.c1.eu-west-1.rds.amazonaws.com:5432/shop?sslmode=verify-full&sslrootcert=/etc/app/rds-ca-bundle.pem',
      'JAVA_OPTS=-XX:MaxRAMPercentage=75',
    ]);
  });

  it('leaves the credentials to the installed helper, which puts the secret in the one root-only tmpfs file', () => {
    const env = Object.fromEntries(readFileSync(at('etc/app/app.env'), 'utf8').split('\n')
      .filter((line) => /^[A-Z_]+=/.test(line)).map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]));
    const credentials = at('run/app/db-credentials.json');
    const refresh = box.run(readFileSync(at('usr/local/libexec/app/refresh-db-credentials'), 'utf8'), { ...env, DB_CREDENTIALS_FILE: credentials });
    expect(refresh.status).toBe(0);
    expect(refresh.calls).toEqual([
      `findmnt --noheadings --output FSTYPE --target ${at('run/app')}`,
      'aws secretsmanager get-secret-value --region eu-west-1 --secret-id arn:aws:secretsmanager:eu-west-1:123456789012:secret:migration-db-dev-AbCdEf --version-stage AWSCURRENT --query SecretString --output text --cli-connect-timeout 5 --cli-read-timeout 10',
    ]);
    expect(readFileSync(credentials, 'utf8')).toBe(`${SECRET}\n`);
    expect(mode(credentials)).toBe('0600');
    expect(mode(at('run/app'))).toBe('0700');
    const holding = box.filesUnder().filter((path) => readFileSync(path, 'utf8').includes(PASSWORD_MARKER));
    expect(holding).toEqual([credentials]);
    expect(refresh.stdout + refresh.stderr).not.toContain(PASSWORD_MARKER);
  });
});

describe('running the boot script without a release', () => {
  it('starts the built-in health service, which serves the health check path as a file', () => {
    const box = sandbox();
    const result = box.run(renderBootScript({ ...SETTINGS, releaseUri: undefined, healthCheckPath: '/health' }));
    expect(result.status).toBe(0);
    expect(result.calls.filter((call) => call.startsWith('aws'))).toEqual([]);
    expect(result.calls.slice(-2)).toEqual(['systemctl start app-credentials.service', 'systemctl enable --now app-health.service']);
    expect(result.stdout).toContain('no release configured: starting the built-in health service on port 8080');
    expect(readFileSync(join(box.root, 'opt/app/health/health'), 'utf8')).toBe('ok: green\n');
    expect(box.filesUnder().map((path) => relative(box.root, path))).not.toContain('opt/app/app.jar');
  });

  it('serves a health check path that names a directory through its index.html', () => {
    const box = sandbox();
    expect(box.run(renderBootScript({ ...SETTINGS, releaseUri: undefined, healthCheckPath: '/status/' })).status).toBe(0);
    expect(readFileSync(join(box.root, 'opt/app/health/status/index.html'), 'utf8')).toBe('ok: green\n');
  });

  it('goes on when the secret cannot be read yet (the timer tries again), and stops on a failed install', () => {
    const readable = sandbox();
    readable.run(renderBootScript({ ...SETTINGS, releaseUri: undefined }));
    const failingStart = sandbox();
    writeFileSync(join(failingStart.dir, 'bin', 'systemctl'), '#!/bin/bash\nprintf \'%s\\n\' "systemctl $*" >>"$CALLS"\n[ "$*" != "start app-credentials.service" ]\n');
    const tolerated = failingStart.run(renderBootScript({ ...SETTINGS, releaseUri: undefined }));
    expect(tolerated.status).toBe(0);
    expect(tolerated.stdout).toContain('could not read the database credentials yet; app-credentials.timer tries again');
    expect(tolerated.calls.at(-1)).toBe('systemctl enable --now app-health.service');

    const failingInstall = sandbox();
    writeFileSync(join(failingInstall.dir, 'bin', 'dnf'), '#!/bin/bash\necho "Error: Failed to download metadata for repo" >&2\nexit 1\n');
    const stopped = failingInstall.run(renderBootScript(SETTINGS));
    expect(stopped.status).not.toBe(0);
    expect(stopped.calls).toEqual([]);
  });
});

describe('running the boot script when the release cannot be downloaded', () => {
  it('stops before starting anything and leaves no partial jar behind', () => {
    const box = sandbox();
    writeFileSync(join(box.dir, 'bin', 'aws'), '#!/bin/bash\nprintf \'%s\\n\' "aws $*" >>"$CALLS"\necho "fatal error: An error occurred (403) when calling the HeadObject operation: Forbidden" >&2\nexit 1\n');
    const result = box.run(renderBootScript(SETTINGS));
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('Forbidden');
    expect(result.calls.filter((call) => call.startsWith('systemctl'))).toEqual([]);
    expect(box.filesUnder().map((path) => relative(box.root, path)).filter((path) => path.startsWith('opt/app/app'))).toEqual([]);
  });
});

describe('running the boot script when AWS\'s RDS trust store cannot be reached', () => {
  it('stops before starting anything, with no CA file that would leave the driver nothing to verify against', () => {
    const box = sandbox();
    const result = box.run(renderBootScript(SETTINGS), { FAKE_CURL: 'unreachable' });
    expect(result.status).toBe(28);
    expect(result.stderr).toContain('Connection timed out');
    expect(result.calls.filter((call) => !call.startsWith('dnf') && !call.startsWith('curl'))).toEqual([]);
    expect(box.filesUnder().map((path) => relative(box.root, path)).filter((path) => path.startsWith('etc/app/rds-ca-bundle'))).toEqual([]);
  });
});

describe('refreshing the credentials', () => {
  const box = sandbox();
  const directory = join(box.root, 'run', 'app');
  const credentials = join(directory, 'db-credentials.json');
  const refresh = (env: Record<string, string> = {}) => box.run(BOOT_FILES.refreshHelper, {
    AWS_REGION: 'eu-west-1', DB_SECRET_ARN: SETTINGS.dbSecretArn, DB_CREDENTIALS_FILE: credentials, ...env,
  });
  const inode = () => statSync(credentials).ino;
  const entries = () => readdirSync(directory).sort();

  it('writes a first value without restarting anything', () => {
    const result = refresh();
    expect(result.status).toBe(0);
    expect(result.stdout).toBe(`database credentials written to ${credentials}\n`);
    expect(readFileSync(credentials, 'utf8')).toBe(`${SECRET}\n`);
    expect(mode(credentials)).toBe('0600');
    expect(statSync(credentials).uid).toBe(process.getuid!());
    expect(result.calls.filter((call) => call.startsWith('systemctl'))).toEqual([]);
  });

  it('leaves an unchanged value alone: same file, no restart', () => {
    const before = { inode: inode(), modified: statSync(credentials).mtimeMs };
    const result = refresh();
    expect(result.status).toBe(0);
    expect(result.stdout).toBe('database credentials unchanged\n');
    expect({ inode: inode(), modified: statSync(credentials).mtimeMs }).toEqual(before);
    expect(result.calls.filter((call) => call.startsWith('systemctl'))).toEqual([]);
    expect(entries()).toEqual(['db-credentials.json']);
  });

  it('replaces a rotated value by renaming a new file over the old, then restarts the running app', () => {
    const before = inode();
    const result = refresh({ FAKE_SECRET: ROTATED_SECRET });
    expect(result.status).toBe(0);
    expect(readFileSync(credentials, 'utf8')).toBe(`${ROTATED_SECRET}\n`);
    expect(inode()).not.toBe(before);
    expect(mode(credentials)).toBe('0600');
    // Queued, not waited for: app.service starts after the credentials unit that runs this helper.
    expect(result.calls.filter((call) => call.startsWith('systemctl'))).toEqual(['systemctl --no-block try-restart app.service']);
    expect(entries()).toEqual(['db-credentials.json']);
    expect(result.stdout + result.stderr).not.toContain('Xk7-rotated-password');
  });

  it.each([
    ['unreachable', 'Secrets Manager unreachable', {}],
    ['empty', 'an empty answer', {}],
    ['hang', 'Secrets Manager hanging past the limit', { DB_SECRET_TIMEOUT_SECONDS: '1' }],
  ])('keeps the current file and fails, without printing a secret, on %s (%s)', (fault, _, env) => {
    const before = { inode: inode(), content: readFileSync(credentials, 'utf8') };
    const started = Date.now();
    const result = refresh({ FAKE_AWS: fault, ...env });
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/keeping the current credentials\n$/);
    expect({ inode: inode(), content: readFileSync(credentials, 'utf8') }).toEqual(before);
    expect(entries()).toEqual(['db-credentials.json']);
    expect(result.calls.filter((call) => call.startsWith('systemctl'))).toEqual([]);
    expect(result.stdout + result.stderr).not.toMatch(/Xk7-(first|rotated)-password/);
  });

  it('refuses to write credentials anywhere but a tmpfs', () => {
    const elsewhere = join(box.dir, 'disk', 'db-credentials.json');
    const result = refresh({ DB_CREDENTIALS_FILE: elsewhere, FAKE_FSTYPE: 'xfs' });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('is on xfs, not a tmpfs');
    expect(readdirSync(join(box.dir, 'disk'))).toEqual([]);
    expect(result.calls.filter((call) => call.startsWith('aws'))).toEqual([]);
  });
});

const systemdAnalyzeFound = spawnSync('systemd-analyze', ['--version']).status === 0;
(systemdAnalyzeFound ? it : it.skip)('has units systemd parses without an unknown or invalid setting (needs systemd-analyze)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'boot-units-'));
  sandboxes.push(dir);
  const units = { 'app.service': BOOT_FILES.appService, 'app-health.service': BOOT_FILES.healthService, 'app-credentials.service': BOOT_FILES.credentialsService, 'app-credentials.timer': BOOT_FILES.credentialsTimer };
  for (const [name, text] of Object.entries(units)) writeFileSync(join(dir, name), text);
  const verify = spawnSync('systemd-analyze', ['verify', '--man=no', ...Object.keys(units).map((name) => join(dir, name))], { encoding: 'utf8' });
  // Executables that only exist on an instance (the helper, java) are not this check's business.
  const problems = (verify.stdout + verify.stderr).split('\n').filter((line) => line && !/is not executable: No such file or directory/.test(line));
  expect(problems).toEqual([]);
});
