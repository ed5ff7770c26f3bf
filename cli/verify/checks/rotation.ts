/**
 * The database secret's rotation, as the Secrets Manager and Lambda APIs show it:
 * - DescribeSecret: rotation enabled, on the configured schedule, by the data layer's function, and last rotated
 *   within the period (plus a day: Secrets Manager rotates at some point in the window of the due day).
 * - A failed rotation leaves its new version labelled AWSPENDING without AWSCURRENT (the function's last step
 *   never moved AWSCURRENT); ListSecretVersionIds dates it. Younger than an hour it may still be running.
 *   Secrets Manager's RotationFailed event goes to CloudTrail and EventBridge, which no client here reads.
 * - The function's log group (GetFunctionConfiguration's LoggingConfig) holds no ERROR line or timeout since
 *   the period began (FilterLogEvents; the CloudWatch `Errors` metric would need @aws-sdk/client-cloudwatch).
 *   Only the count and times are printed: never a log message, which could quote more than it should.
 */
import { FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { GetFunctionConfigurationCommand } from '@aws-sdk/client-lambda';
import { DescribeSecretCommand, ListSecretVersionIdsCommand } from '@aws-sdk/client-secrets-manager';
import { Check, CheckContext, skip, verdict } from '../check';

const DAY_MS = 24 * 60 * 60 * 1000;
/** A rotation runs four steps within the function's timeout; an AWSPENDING version older than this is stuck. */
const STUCK_ROTATION_MS = 60 * 60 * 1000;
/** Lambda marks a failed invocation's lines with ERROR, and a timeout with "Task timed out". */
const ERROR_FILTER = '?ERROR ?"Task timed out"';
const MAX_LOG_PAGES = 10;

const periodStart = ({ now, config }: CheckContext) => new Date(now.getTime() - config.database.rotationDays * DAY_MS);

export const secretRotation: Check = {
  layer: 'data',
  name: 'database secret rotates on schedule',
  needs: [['data', 'DBSecretArn'], ['data', 'RotationFunctionArn']],
  async run(context) {
    const { clients, config, now, output } = context;
    const secretArn = output('data', 'DBSecretArn');
    const secret = await clients.secrets.send(new DescribeSecretCommand({ SecretId: secretArn }));
    const days = config.database.rotationDays;
    const problems: string[] = [];
    if (secret.RotationEnabled !== true) problems.push('rotation is not enabled');
    if (secret.RotationRules?.AutomaticallyAfterDays !== days) {
      problems.push(`rotates ${secret.RotationRules?.AutomaticallyAfterDays ? `every ${secret.RotationRules.AutomaticallyAfterDays} days` : `on ${secret.RotationRules?.ScheduleExpression ?? 'no schedule'}`}, ROTATION_DAYS is ${days}`);
    }
    if (secret.RotationLambdaARN !== output('data', 'RotationFunctionArn')) problems.push(`rotated by ${secret.RotationLambdaARN ?? 'no function'}, not the data layer's ${output('data', 'RotationFunctionArn')}`);
    const last = secret.LastRotatedDate;
    if (!last) problems.push('never rotated (the first rotation runs at deploy)');
    else if (now.getTime() - last.getTime() > (days + 1) * DAY_MS) problems.push(`last rotated ${last.toISOString()}, more than ${days} days (+1) ago`);

    const pendingOnly = Object.entries(secret.VersionIdsToStages ?? {})
      .filter(([, stages]) => stages.includes('AWSPENDING') && !stages.includes('AWSCURRENT')).map(([id]) => id);
    let inProgress: string | undefined;
    if (pendingOnly.length > 0) {
      const { Versions = [] } = await clients.secrets.send(new ListSecretVersionIdsCommand({ SecretId: secretArn, MaxResults: 100 }));
      for (const id of pendingOnly) {
        const created = Versions.find((version) => version.VersionId === id)?.CreatedDate;
        if (created && now.getTime() - created.getTime() < STUCK_ROTATION_MS) inProgress = `version ${id} has been AWSPENDING since ${created.toISOString()}`;
        else problems.push(`the last rotation failed: version ${id} is stuck in AWSPENDING${created ? ` since ${created.toISOString()}` : ''} (see the rotation function's log)`);
      }
    }
    if (problems.length === 0 && inProgress) return skip(`a rotation is in progress (${inProgress}); run again in a few minutes`);
    return verdict(problems, `enabled every ${days} days by the data layer's function, last rotated ${last?.toISOString()}, no rotation stuck`);
  },
};

export const rotationFunctionErrors: Check = {
  layer: 'data',
  name: 'rotation function logged no errors this period',
  needs: [['data', 'RotationFunctionArn']],
  async run(context) {
    const { clients, output } = context;
    const configuration = await clients.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: output('data', 'RotationFunctionArn') }));
    const logGroupName = configuration.LoggingConfig?.LogGroup ?? `/aws/lambda/${configuration.FunctionName}`;
    const since = periodStart(context);
    const problems: string[] = [];
    if (configuration.State !== 'Active') problems.push(`the function is ${configuration.State}${configuration.StateReason ? ` (${configuration.StateReason})` : ''}`);
    if (configuration.LastUpdateStatus === 'Failed') problems.push(`its last update failed (${configuration.LastUpdateStatusReason ?? 'no reason given'})`);

    let errors = 0;
    let latest = 0;
    let nextToken: string | undefined;
    let pages = 0;
    do {
      const page = await clients.logs.send(new FilterLogEventsCommand({ logGroupName, startTime: since.getTime(), filterPattern: ERROR_FILTER, nextToken }));
      for (const event of page.events ?? []) {
        errors++;
        latest = Math.max(latest, event.timestamp ?? 0);
      }
      nextToken = page.nextToken;
    } while (nextToken && ++pages < MAX_LOG_PAGES);
    if (errors > 0) {
      problems.push(`${errors}${nextToken ? '+' : ''} error lines in ${logGroupName} since ${since.toISOString()}, the latest at ${new Date(latest).toISOString()} ` +
        `(aws logs filter-log-events --log-group-name ${logGroupName} --filter-pattern '${ERROR_FILTER}')`);
    }
    return verdict(problems, `no error in ${logGroupName} since ${since.toISOString()}`);
  },
};
