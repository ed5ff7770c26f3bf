// The SCRAM-SHA-256 verifier of a password (RFC 5802, RFC 7677) in the form PostgreSQL stores and accepts in
// ALTER USER ... PASSWORD, as psql's \password sends it: the server never sees the password itself.

import { createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';

/** PostgreSQL's default (scram_iterations) and salt length. */
export const SCRAM_ITERATIONS = 4096;
const SALT_BYTES = 16;

export interface ScramKeys {
  storedKey: Buffer;
  serverKey: Buffer;
}

/** `SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>`, base64, with a new random salt. */
export function scramSha256Verifier(password: string, salt: Buffer = randomBytes(SALT_BYTES)): string {
  const { storedKey, serverKey } = scramKeys(password, salt, SCRAM_ITERATIONS);
  const b64 = (bytes: Buffer) => bytes.toString('base64');
  return `SCRAM-SHA-256$${SCRAM_ITERATIONS}:${b64(salt)}$${b64(storedKey)}:${b64(serverKey)}`;
}

/** RFC 5802 section 3: SaltedPassword = Hi(password, salt, i); StoredKey = H(ClientKey); ServerKey. */
export function scramKeys(password: string, salt: Buffer, iterations: number): ScramKeys {
  const saltedPassword = pbkdf2Sync(saslPrep(password), salt, iterations, 32, 'sha256');
  const hmac = (key: Buffer, text: string) => createHmac('sha256', key).update(text).digest();
  const clientKey = hmac(saltedPassword, 'Client Key');
  return {
    storedKey: createHash('sha256').update(clientKey).digest(),
    serverKey: hmac(saltedPassword, 'Server Key'),
  };
}

/**
 * PostgreSQL prepares an ASCII password unchanged (pg_saslprep), so its bytes are the key. Other passwords would need
 * SASLprep's normalization exactly as PostgreSQL does it, and a verifier that differs in one byte locks the user out;
 * GetRandomPassword only draws ASCII, so anything else is refused rather than guessed at.
 */
function saslPrep(password: string): Buffer {
  if (!/^[\x00-\x7f]*$/.test(password)) {
    throw new Error(
      'The AWSPENDING password has characters outside ASCII, which this function cannot prepare for SCRAM',
    );
  }
  return Buffer.from(password, 'ascii');
}
