// The four steps of Secrets Manager's rotation protocol, single-user scheme: the user changes its own password.
// Secrets Manager may call any step again after a failure, so each one first checks whether its work is done.

import { canLogIn, changePassword } from './database';
import { parseDatabaseSecret, withPassword } from './secret';
import { CURRENT, PENDING, PREVIOUS, type RotatedSecret } from './secrets-manager';
import type { Settings } from './settings';

export interface Rotation {
  secret: RotatedSecret;
  /** The ClientRequestToken: the id of the version being rotated in. */
  token: string;
  /** Passed on to PutSecretValue when Secrets Manager sends one. */
  rotationToken: string | undefined;
  versionIdsToStages: Map<string, string[]>;
  settings: Settings;
  log: (message: string) => void;
}

export type Step = (rotation: Rotation) => Promise<void>;

/** Puts the AWSPENDING version: a copy of AWSCURRENT with a new random password. */
export async function createSecret({ secret, token, rotationToken, settings, log }: Rotation): Promise<void> {
  const current = await secret.getValue(CURRENT);
  // Fail here, not in setSecret, when the current secret could never be rotated.
  parseDatabaseSecret(current, CURRENT);
  if ((await secret.findValue(PENDING, token)) !== undefined) {
    log('the AWSPENDING version already has a value');
    return;
  }
  const password = await secret.randomPassword(settings.password);
  await secret.putPending(token, withPassword(current, password, CURRENT), rotationToken);
  log('put the AWSPENDING version with a new password');
}

/** Sets the AWSPENDING password in the database, logging in with the AWSCURRENT or else the AWSPREVIOUS password. */
export async function setSecret({ secret, token, settings, log }: Rotation): Promise<void> {
  const pending = parseDatabaseSecret(await secret.getValue(PENDING, token), PENDING);
  const current = parseDatabaseSecret(await secret.getValue(CURRENT), CURRENT);
  // Checked before connecting anywhere, so the new password only ever goes to the current user on the current host.
  if (pending.username !== current.username) {
    throw new Error('setSecret: the AWSPENDING username differs from the AWSCURRENT one; refusing to change it');
  }
  if (pending.host !== current.host) {
    throw new Error('setSecret: the AWSPENDING host differs from the AWSCURRENT one; refusing to change it');
  }
  if (await canLogIn(pending, settings.database)) {
    log(`the database already accepts the AWSPENDING password of user ${pending.username}`);
    return;
  }
  if (await changePassword(current, pending.password, settings.database)) {
    log(`set the AWSPENDING password of user ${pending.username}, logged in with the AWSCURRENT password`);
    return;
  }
  // The database still has the AWSPREVIOUS password when someone put a new AWSCURRENT value by hand, or after a
  // restore from a snapshot.
  const previous = await secret.findValue(PREVIOUS);
  if (previous !== undefined) {
    const previousLogin = { ...current, password: parseDatabaseSecret(previous, PREVIOUS).password };
    if (await changePassword(previousLogin, pending.password, settings.database)) {
      log(`set the AWSPENDING password of user ${pending.username}, logged in with the AWSPREVIOUS password`);
      return;
    }
  }
  throw new Error(
    `setSecret: the database refuses both the AWSCURRENT and the AWSPREVIOUS password of user ${current.username}`,
  );
}

/** Logs in with the AWSPENDING credentials and runs a query; changes nothing. */
export async function testSecret({ secret, token, settings, log }: Rotation): Promise<void> {
  const pending = parseDatabaseSecret(await secret.getValue(PENDING, token), PENDING);
  if (!(await canLogIn(pending, settings.database))) {
    throw new Error(`testSecret: the database refuses the AWSPENDING password of user ${pending.username}`);
  }
  log(`logged in with the AWSPENDING password of user ${pending.username}`);
}

/** Moves AWSCURRENT to the new version; Secrets Manager labels the old one AWSPREVIOUS. */
export async function finishSecret({ secret, token, versionIdsToStages, log }: Rotation): Promise<void> {
  const currentVersion = [...versionIdsToStages].find(([, stages]) => stages.includes(CURRENT))?.[0];
  await secret.makeCurrent(token, currentVersion);
  log(`moved AWSCURRENT from version ${currentVersion} to this version`);
}
