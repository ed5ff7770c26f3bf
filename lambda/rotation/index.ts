/**
 * Secrets Manager rotation function for a PostgreSQL user, single-user scheme: the user changes its own password.
 *
 * Secret: JSON { "engine": "postgres" or "aurora-postgresql", "host", "port" (default 5432), "username", "password",
 *   "dbname" (default "postgres"), "ssl" (default true; only an explicit false, or "false" in any case, connects
 *   without TLS) }.
 *
 * Environment:
 *   PASSWORD_LENGTH     length of new passwords (default 32)
 *   EXCLUDE_CHARACTERS  characters new passwords never contain (default :/@"'\ and space; empty allows all)
 *   DB_TLS_CA_FILE      PEM file of the CAs the database certificate must chain to
 *                       (default: the Amazon RDS CAs and the Amazon Root CAs bundled into this function)
 *   DB_TIMEOUT_MS       limit in milliseconds for connecting to the database, for each query and for closing
 *                       (default 5000); the server cancels a statement itself a little earlier (limits.ts)
 *   AWS_REGION, AWS_ENDPOINT_URL_SECRETS_MANAGER  read by the AWS SDK (the latter for a VPC endpoint or a test)
 */
import { CURRENT, createSecretsManagerClient, PENDING, RotatedSecret } from './secrets-manager';
import { readSettings } from './settings';
import { createSecret, finishSecret, type Step, setSecret, testSecret } from './steps';

export interface RotationEvent {
  SecretId: string;
  ClientRequestToken: string;
  Step: string;
  RotationToken?: string;
}

const steps = new Map<string, Step>([
  ['createSecret', createSecret],
  ['setSecret', setSecret],
  ['testSecret', testSecret],
  ['finishSecret', finishSecret],
]);

// Created once per Lambda container, so warm invocations reuse its connections.
const client = createSecretsManagerClient();

export async function handler(event: RotationEvent): Promise<void> {
  // The whole event is never logged: RotationToken is sensitive.
  const { SecretId: secretId, ClientRequestToken: token, Step: stepName, RotationToken: rotationToken } = event;
  const step = steps.get(stepName);
  if (!step) throw new Error(`Unknown rotation step ${JSON.stringify(stepName)} for secret ${secretId}`);
  const log = (message: string) => console.log(`${stepName} ${secretId} version ${token}: ${message}`);

  const settings = readSettings(process.env);
  const secret = new RotatedSecret(client, secretId);
  const { rotationEnabled, versionIdsToStages } = await secret.describe();
  if (!rotationEnabled) throw new Error(`Secret ${secretId} is not enabled for rotation`);
  const stages = versionIdsToStages.get(token);
  if (!stages) throw new Error(`Version ${token} is not a version of secret ${secretId}`);
  if (stages.includes(CURRENT)) {
    log('this version is already AWSCURRENT; nothing to do');
    return;
  }
  if (!stages.includes(PENDING)) throw new Error(`Version ${token} of secret ${secretId} is not AWSPENDING`);

  await step({ secret, token, rotationToken, versionIdsToStages, settings, log });
}
