#!/bin/bash
# Reads the database secret (AWSCURRENT) with the instance role into DB_CREDENTIALS_FILE: a root-only file
# on a tmpfs, which app.service reads through LoadCredential= on every start. app-credentials.service runs it
# at boot, and app-credentials.timer every few minutes, well inside the rotation period.
# - Unchanged value: nothing is written and nothing restarts.
# - Changed value: the new file replaces the old by an atomic rename in the same directory, then the
#   application restarts (only if it is running) to load it. The restart is queued, not waited for: app.service
#   starts after app-credentials.service, which runs this helper, so waiting would deadlock until the timeout.
# - Secrets Manager unreachable, slow or refusing: the current file stays, and the exit status is non-zero.
# The secret value is never printed: it only ever goes from the aws CLI into a 0600 file.
set -euo pipefail
umask 077

: "${DB_SECRET_ARN:?DB_SECRET_ARN is not set}" "${AWS_REGION:?AWS_REGION is not set}"
: "${DB_CREDENTIALS_FILE:?DB_CREDENTIALS_FILE is not set}"
readonly APP_SERVICE=app.service
# Limit of the whole read, retries included, so a hung connection never holds the timer's run.
readonly TIMEOUT_SECONDS=${DB_SECRET_TIMEOUT_SECONDS:-60}

target=$DB_CREDENTIALS_FILE
directory=$(dirname "$target")
mkdir -p "$directory"
chmod 0700 "$directory"
filesystem=$(findmnt --noheadings --output FSTYPE --target "$directory")
if [ "$filesystem" != tmpfs ]; then
  echo "refusing to write the database credentials to $directory: it is on $filesystem, not a tmpfs" >&2
  exit 1
fi

candidate=$(mktemp "$directory/.db-credentials.XXXXXX")
trap 'rm -f "$candidate"' EXIT

if ! AWS_RETRY_MODE=standard AWS_MAX_ATTEMPTS=3 timeout "$TIMEOUT_SECONDS" \
  aws secretsmanager get-secret-value --region "$AWS_REGION" --secret-id "$DB_SECRET_ARN" \
  --version-stage AWSCURRENT --query SecretString --output text \
  --cli-connect-timeout 5 --cli-read-timeout 10 >"$candidate"; then
  echo "could not read the database secret from Secrets Manager; keeping the current credentials" >&2
  exit 1
fi
if [ ! -s "$candidate" ]; then
  echo "Secrets Manager returned an empty secret; keeping the current credentials" >&2
  exit 1
fi

if [ -f "$target" ] && cmp -s "$candidate" "$target"; then
  echo "database credentials unchanged"
  exit 0
fi
replacing=false
if [ -f "$target" ]; then replacing=true; fi
mv -f "$candidate" "$target"
trap - EXIT
echo "database credentials written to $target"
if [ "$replacing" = true ]; then
  systemctl --no-block try-restart "$APP_SERVICE"
  echo "asked $APP_SERVICE to restart (if it is running) to load the new credentials"
fi
