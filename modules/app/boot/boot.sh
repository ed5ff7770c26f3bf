#!/bin/bash
# Boot script of the app servers: EC2 user data on Amazon Linux 2023, rendered by modules/app/boot-script.ts,
# which replaces each placeholder (a capitalised name between double at signs) with one shell-quoted value.
# Nothing secret is in here: the database credentials are read at run time, with the instance role, by
# refresh-db-credentials into a root-only file on /run (a tmpfs), never a world-writable temporary directory.
#
# It installs Amazon Corretto and the CloudWatch agent, creates the service user, writes the settings, the
# systemd units and the credential helper, ships the logs to the layer's log group, and starts either the
# release (app.service: java -jar, from S3) or, without a release, the built-in health service. cloud-init
# runs it once per instance, as root; running it again gives the same result.
# The files this script installs are single-quoted on purpose: the $ in them belong to them.
# shellcheck disable=SC2016
set -euo pipefail
umask 022

readonly APP_COLOR=@@APP_COLOR@@
readonly AWS_REGION=@@AWS_REGION@@
readonly APP_PORT=@@APP_PORT@@
readonly HEALTH_CHECK_PATH=@@HEALTH_CHECK_PATH@@
readonly CORRETTO_VERSION=@@CORRETTO_VERSION@@
# The application's jar in S3; empty: run the built-in health service instead.
readonly RELEASE_URI=@@RELEASE_URI@@
readonly DB_SECRET_ARN=@@DB_SECRET_ARN@@
readonly DB_HOST=@@DB_HOST@@
readonly DB_PORT=@@DB_PORT@@
readonly DB_NAME=@@DB_NAME@@

# Tests run this script in a scratch directory (ROOT) with stand-ins for the system commands;
# on an instance ROOT is unset and every path is the real one.
readonly ROOT=${ROOT:-}
readonly SERVICE_USER=app
readonly APP_HOME=/opt/app
readonly CONFIG_DIR=/etc/app
readonly UNIT_DIR=/etc/systemd/system
readonly AGENT_CONFIG=/opt/aws/amazon-cloudwatch-agent/etc/app-logs.json
# The CAs the database's certificate chains to, from AWS's trust store, so the driver verifies it (verify-full).
readonly RDS_CA_BUNDLE=$CONFIG_DIR/rds-ca-bundle.pem
readonly RDS_CA_BUNDLE_URL=https://truststore.pki.rds.amazonaws.com/$AWS_REGION/$AWS_REGION-bundle.pem
# Where the agent's package puts its control script.
PATH=$PATH:/opt/aws/amazon-cloudwatch-agent/bin

log() { printf 'app boot (%s): %s\n' "$APP_COLOR" "$*"; }

# write_file MODE PATH CONTENT: a root-owned file, replaced whole.
write_file() {
  local target=$ROOT$2
  mkdir -p "$(dirname "$target")"
  printf '%s' "$3" >"$target.new"
  chmod "$1" "$target.new"
  mv -f "$target.new" "$target"
}

log "installing Amazon Corretto $CORRETTO_VERSION, the CloudWatch agent, logrotate and cmp"
# dnf gives up on a mirror after its own timeout (30 s) and tries the next. The credential helper compares
# files with cmp (diffutils): without it every run would look like a rotation and restart the application.
dnf install -y --quiet "java-$CORRETTO_VERSION-amazon-corretto-headless" amazon-cloudwatch-agent logrotate diffutils

log "fetching the Amazon RDS CA certificates for $AWS_REGION"
mkdir -p "$ROOT$CONFIG_DIR"
curl --fail --silent --show-error --location --proto =https --connect-timeout 10 --max-time 60 --retry 3 \
  --output "$ROOT$RDS_CA_BUNDLE.download" "$RDS_CA_BUNDLE_URL"
chmod 0644 "$ROOT$RDS_CA_BUNDLE.download"
mv -f "$ROOT$RDS_CA_BUNDLE.download" "$ROOT$RDS_CA_BUNDLE"

if ! getent passwd "$SERVICE_USER" >/dev/null; then
  log "creating the service user $SERVICE_USER"
  # It owns nothing but the state and log directories systemd gives it: it cannot change its own code.
  useradd --system --user-group --home-dir "$APP_HOME" --no-create-home --shell /sbin/nologin "$SERVICE_USER"
fi

log "writing the settings, the credential helper and the systemd units"
write_file 0644 "$CONFIG_DIR/app.env" "# Settings of the app services (systemd EnvironmentFile), written at boot. No secret in here:
# the credentials come from the file systemd passes in as \$CREDENTIALS_DIRECTORY/db-credentials.json.
APP_COLOR=$APP_COLOR
AWS_REGION=$AWS_REGION
SERVER_PORT=$APP_PORT
DB_SECRET_ARN=$DB_SECRET_ARN
DB_HOST=$DB_HOST
DB_PORT=$DB_PORT
DB_NAME=$DB_NAME
DB_TLS_CA_FILE=$RDS_CA_BUNDLE
DB_JDBC_URL=jdbc-secretsmanager:postgresql://$DB_HOST:$DB_PORT/$DB_NAME?sslmode=verify-full&sslrootcert=$RDS_CA_BUNDLE
JAVA_OPTS=-XX:MaxRAMPercentage=75
"
write_file 0755 /usr/local/libexec/app/refresh-db-credentials @@REFRESH_HELPER@@
write_file 0644 "$UNIT_DIR/app-credentials.service" @@CREDENTIALS_SERVICE_UNIT@@
write_file 0644 "$UNIT_DIR/app-credentials.timer" @@CREDENTIALS_TIMER_UNIT@@
write_file 0644 "$UNIT_DIR/app.service" @@APP_SERVICE_UNIT@@
write_file 0644 "$UNIT_DIR/app-health.service" @@HEALTH_SERVICE_UNIT@@
write_file 0644 /etc/logrotate.d/app @@LOGROTATE_CONFIG@@
write_file 0644 "$AGENT_CONFIG" @@CLOUDWATCH_AGENT_CONFIG@@

# The built-in health service serves this directory; the health check path is a file in it.
health_file=$APP_HOME/health$HEALTH_CHECK_PATH
case $health_file in */) health_file=${health_file}index.html ;; esac
write_file 0644 "$health_file" "ok: $APP_COLOR
"

if [ -n "$RELEASE_URI" ]; then
  log "downloading the release $RELEASE_URI"
  mkdir -p "$ROOT$APP_HOME"
  aws s3 cp --region "$AWS_REGION" --only-show-errors --cli-connect-timeout 10 --cli-read-timeout 60 \
    "$RELEASE_URI" "$ROOT$APP_HOME/app.jar.download"
  chmod 0644 "$ROOT$APP_HOME/app.jar.download"
  mv -f "$ROOT$APP_HOME/app.jar.download" "$ROOT$APP_HOME/app.jar"
fi

log "shipping the logs to CloudWatch"
amazon-cloudwatch-agent-ctl -a fetch-config -m ec2 -s -c "file:$ROOT$AGENT_CONFIG"

systemctl daemon-reload
systemctl enable --now app-credentials.timer
if ! systemctl start app-credentials.service; then
  log "could not read the database credentials yet; app-credentials.timer tries again"
fi
if [ -n "$RELEASE_URI" ]; then
  log "starting the release on port $APP_PORT"
  systemctl enable --now app.service
else
  log "no release configured: starting the built-in health service on port $APP_PORT"
  systemctl enable --now app-health.service
fi
log "done"
