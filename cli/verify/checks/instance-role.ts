/**
 * The app servers' role may read the database secret and no other (IAM policy simulation,
 * SimulatePrincipalPolicy, which evaluates the role's policies and its permissions boundary without calling
 * Secrets Manager). "Another secret" is an ARN beside the database secret's, in the same account and region,
 * that the platform never creates.
 */
import { SimulatePrincipalPolicyCommand } from '@aws-sdk/client-iam';
import { Check, CheckContext, verdict } from '../check';

const READ_SECRET = 'secretsmanager:GetSecretValue';

async function decision(context: CheckContext, roleArn: string, resourceArn: string): Promise<string> {
  const { EvaluationResults = [] } = await context.clients.iam.send(new SimulatePrincipalPolicyCommand({
    PolicySourceArn: roleArn,
    ActionNames: [READ_SECRET],
    ResourceArns: [resourceArn],
  }));
  return EvaluationResults[0]?.EvalDecision ?? 'no result';
}

/** An ARN of a secret that is not the database's: same account, region and prefix, another name. */
function otherSecretArn(secretArn: string, project: string, suffix: string): string {
  return `${secretArn.slice(0, secretArn.indexOf(':secret:') + ':secret:'.length)}${project}-verify-not-this-secret-${suffix}-AbCdEf`;
}

export const instanceRoleSecretAccess: Check = {
  layer: 'app',
  name: 'instance role reads the database secret and no other',
  needs: [['app', 'InstanceRoleArn'], ['data', 'DBSecretArn']],
  async run(context) {
    const { config, output } = context;
    const role = output('app', 'InstanceRoleArn');
    const secret = output('data', 'DBSecretArn');
    const other = otherSecretArn(secret, config.project, config.environmentSuffix);
    const [own, foreign] = await Promise.all([decision(context, role, secret), decision(context, role, other)]);
    const problems: string[] = [];
    if (own !== 'allowed') problems.push(`${READ_SECRET} on the database secret is ${own}`);
    if (foreign === 'allowed') problems.push(`${READ_SECRET} on another secret (${other}) is allowed`);
    return verdict(problems, `${READ_SECRET} allowed on the database secret, ${foreign} on another secret`);
  },
};
