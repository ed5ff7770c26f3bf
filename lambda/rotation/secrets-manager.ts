import {
  DescribeSecretCommand,
  GetRandomPasswordCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  ResourceNotFoundException,
  type SecretsManagerClient,
  UpdateSecretVersionStageCommand,
} from '@aws-sdk/client-secrets-manager';
import type { PasswordSettings } from './settings';

export const CURRENT = 'AWSCURRENT';
export const PENDING = 'AWSPENDING';
export const PREVIOUS = 'AWSPREVIOUS';

export interface SecretMetadata {
  rotationEnabled: boolean;
  versionIdsToStages: Map<string, string[]>;
}

/** The Secrets Manager calls of a rotation, all on one secret. */
export class RotatedSecret {
  constructor(private readonly client: SecretsManagerClient, readonly secretId: string) {}

  async describe(): Promise<SecretMetadata> {
    const metadata = await this.client.send(new DescribeSecretCommand({ SecretId: this.secretId }));
    return {
      rotationEnabled: metadata.RotationEnabled === true,
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
