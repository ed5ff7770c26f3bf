/**
 * Log groups exist with the configured retention (DescribeLogGroups): the database's, which the data layer
 * creates before the instance so RDS does not make them without one, and the app servers'.
 */
import { DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { PostgresDatabase } from '../../../modules/data/database';
import { Check, CheckContext, verdict } from '../check';

export const databaseLogGroups: Check = {
  layer: 'data',
  name: 'database log groups kept for LOG_RETENTION_DAYS',
  needs: [['data', 'DBInstanceIdentifier']],
  async run({ clients, config, output }) {
    const names = PostgresDatabase.logGroupNames(output('data', 'DBInstanceIdentifier'));
    const retention = config.network.logRetentionDays;
    const problems: string[] = [];
    for (const name of names) problems.push(...await logGroupProblems(clients, name, retention));
    return verdict(problems, `${names.join(', ')} kept ${retention} days`);
  },
};

/** What is wrong with log group `name`: missing, or kept for other than `retentionDays`. */
export async function logGroupProblems(clients: CheckContext['clients'], name: string, retentionDays: number): Promise<string[]> {
  const { logGroups = [] } = await clients.logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: name }));
  const group = logGroups.find((candidate) => candidate.logGroupName === name);
  if (!group) return [`log group ${name} does not exist`];
  if (group.retentionInDays !== retentionDays) return [`log group ${name} is kept ${group.retentionInDays ? `${group.retentionInDays} days` : 'forever'}, LOG_RETENTION_DAYS is ${retentionDays}`];
  return [];
}

export const appLogGroup: Check = {
  layer: 'app',
  name: 'app log group kept for LOG_RETENTION_DAYS',
  needs: [['app', 'AppLogGroupName']],
  async run({ clients, config, output }) {
    const name = output('app', 'AppLogGroupName');
    return verdict(await logGroupProblems(clients, name, config.network.logRetentionDays), `${name} kept ${config.network.logRetentionDays} days`);
  },
};
