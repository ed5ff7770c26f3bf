import {
  DescribeSecretCommand,
  GetRandomPasswordCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  ResourceNotFoundException,
  SecretsManagerClient,
  UpdateSecretVersionStageCommand,
} from '@aws-sdk/client-secrets-manager';
import { SECRETS_MANAGER_LIMITS } from './limits';
import type { PasswordSettings } from './settings';

export const CURRENT = 'AWSCURRENT';
export const PENDING = 'AWSPENDING';
export const PREVIOUS = 'AWSPREVIOUS';

export interface SecretMetadata {
  rotationEnabled: boolean;
  versionIdsToStages: Map<string, string[]>;
}

/**
 * A client whose every call is bounded by SECRETS_MANAGER_LIMITS, so that an endpoint that never answers (a VPC with
 * neither an endpoint nor a NAT route) fails the invocation with an error naming it, long before Lambda's timeout.
 */
export function createSecretsManagerClient(): SecretsManagerClient {
  const { connectionTimeoutMs, requestTimeoutMs, maxAttempts } = SECRETS_MANAGER_LIMITS;
  const client = new SecretsManagerClient({
    // Set here, so AWS_MAX_ATTEMPTS or AWS_RETRY_MODE cannot stretch the worst case the Lambda timeout is set from.
    maxAttempts,
    retryMode: 'standard',
    requestHandler: {
      connectionTimeout: connectionTimeoutMs,
      requestTimeout: requestTimeoutMs,
      // Without it the SDK only warns when requestTimeout passes, and goes on waiting.
      throwOnRequestTimeout: true,
    },
  });
  client.middlewareStack.add(
    (next, context) => async (args) => {
      try {
        return await next(args);
      } catch (error) {
        const operation = (context.commandName ?? 'a call').replace(/Command$/, '');
        throw unreachableError(error, operation, args.request) ?? error;
      }
    },
    // The build step wraps the retries (finalizeRequest), so this sees the error of the last attempt.
    { step: 'build', name: 'nameUnreachableEndpoint' },
  );
  return client;
}

/** When the service never answered (a timeout, a network error): an error, also logged, naming the endpoint. */
function unreachableError(error: unknown, operation: string, request: unknown): Error | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { name, $metadata: metadata } = error as {
    name?: string;
    $metadata?: { httpStatusCode?: number; attempts?: number };
  };
  // An answer of the service has its HTTP status; missing credentials fail before any request is sent.
  if (metadata?.httpStatusCode !== undefined || name === 'CredentialsProviderError') return undefined;
  const { protocol, hostname, port } = request as { protocol?: string; hostname?: string; port?: number };
  const endpoint = `${protocol}//${hostname}${port ? `:${port}` : ''}`;
  const { connectionTimeoutMs, requestTimeoutMs } = SECRETS_MANAGER_LIMITS;
  const reason = 'message' in error ? String(error.message) : String(error);
  const message =
    `Cannot reach Secrets Manager at ${endpoint}: ${operation} failed after ${metadata?.attempts ?? 1} attempts ` +
    `(connection timeout ${connectionTimeoutMs} ms, request timeout ${requestTimeoutMs} ms): ${reason}`;
  console.error(message);
  return new Error(message, { cause: error });
}

/** The Secrets Manager calls of a rotation, all on one secret. */
export class RotatedSecret {
  constructor(private readonly client: SecretsManagerClient, readonly secretId: string) {}

  async describe(): Promise<SecretMetadata> {
    const metadata = await this.client.send(new DescribeSecretCommand({ SecretId: this.secretId }));
    return {
      // As AWS's own rotation functions read it: only an explicit false refuses.
      rotationEnabled: metadata.RotationEnabled !== false,
      versionIdsToStages: new Map(Object.entries(metadata.VersionIdsToStages ?? {})),
    };
  }

  /** The secret string of the version with this stage (and id, if given); undefined when it has no value. */
  async findValue(stage: string, versionId?: string): Promise<string | undefined> {
    try {
      const version = await this.client.send(
        new GetSecretValueCommand({ SecretId: this.secretId, VersionStage: stage, VersionId: versionId }),
      );
      return version.SecretString;
    } catch (error) {
      // Also the answer for the AWSPENDING version before createSecret has put its value.
      if (error instanceof ResourceNotFoundException) return undefined;
      throw error;
    }
  }

  async getValue(stage: string, versionId?: string): Promise<string> {
    const value = await this.findValue(stage, versionId);
    if (value === undefined) throw new Error(`Secret ${this.secretId} has no ${stage} value`);
    return value;
  }

  async randomPassword({ length, excludeCharacters }: PasswordSettings): Promise<string> {
    const { RandomPassword } = await this.client.send(
      new GetRandomPasswordCommand({ PasswordLength: length, ExcludeCharacters: excludeCharacters }),
    );
    if (!RandomPassword) throw new Error('GetRandomPassword returned no password');
    return RandomPassword;
  }

  async putPending(token: string, secretString: string, rotationToken: string | undefined): Promise<void> {
    await this.client.send(
      new PutSecretValueCommand({
        SecretId: this.secretId,
        ClientRequestToken: token,
        SecretString: secretString,
        VersionStages: [PENDING],
        RotationToken: rotationToken,
      }),
    );
  }

  /** Moves AWSCURRENT; Secrets Manager then labels the version it left AWSPREVIOUS. */
  async makeCurrent(versionId: string, currentVersionId: string | undefined): Promise<void> {
    await this.client.send(
      new UpdateSecretVersionStageCommand({
        SecretId: this.secretId,
        VersionStage: CURRENT,
        MoveToVersionId: versionId,
        RemoveFromVersionId: currentVersionId,
      }),
    );
  }
}
