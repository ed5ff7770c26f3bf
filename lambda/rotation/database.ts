import { Client, DatabaseError, escapeIdentifier, escapeLiteral } from 'pg';
import { serverTimeoutsMs } from './limits';
import { scramSha256Verifier } from './scram';
import type { DatabaseSecret } from './secret';

export interface DatabaseSettings {
  /** PEM certificates the server's certificate must chain to. */
  tlsCa: string | string[];
  /** Limit for connecting (TCP, TLS and login together), for each query and for closing. */
  timeoutMs: number;
}

// SQLSTATE invalid_password: the server answered and refused these credentials.
const INVALID_PASSWORD = '28P01';

/** Logs in with the secret and runs a query; false when the server refuses the password. */
export async function canLogIn(secret: DatabaseSecret, settings: DatabaseSettings): Promise<boolean> {
  const result = await withSession(secret, settings, (session) => session.query('SELECT 1'));
  return result !== undefined;
}

/** Logs in as `login` and sets that user's password; false when the server refuses the login password. */
export async function changePassword(
  login: DatabaseSecret,
  newPassword: string,
  settings: DatabaseSettings,
): Promise<boolean> {
  // The SCRAM verifier, not the password, so the password never reaches the server's statement log.
  // PostgreSQL takes no bind parameters in ALTER USER, so the name and the verifier are escaped instead.
  const verifier = scramSha256Verifier(newPassword);
  const statement = `ALTER USER ${escapeIdentifier(login.username)} WITH PASSWORD ${escapeLiteral(verifier)}`;
  const result = await withSession(login, settings, async (session) => {
    try {
      return await session.query(statement);
    } catch (error) {
      // The server's message may quote the statement, and with it the verifier: secret too (offline guessing).
      const reason = error instanceof DatabaseError ? `SQLSTATE ${error.code}` : messageOf(error);
      throw new Error(`ALTER USER for ${login.username} failed: ${reason}`);
    }
  });
  return result !== undefined;
}

/**
 * Runs `work` in a session as the secret's user; undefined when the server refuses the password. Any other
 * failure (unreachable, TLS, timeout) throws, so a rotation stops at once instead of trying more passwords.
 */
async function withSession<T>(
  secret: DatabaseSecret,
  settings: DatabaseSettings,
  work: (session: Client) => Promise<T>,
): Promise<T | undefined> {
  const { statementTimeoutMs, lockTimeoutMs } = serverTimeoutsMs(settings.timeoutMs);
  const session = new Client({
    host: secret.host,
    port: secret.port,
    database: secret.dbname,
    user: secret.username,
    password: secret.password,
    // Names the sessions in pg_stat_activity and the server log.
    application_name: 'secrets-manager-rotation',
    ssl: secret.ssl && { ca: settings.tlsCa, rejectUnauthorized: true },
    connectionTimeoutMillis: settings.timeoutMs,
    query_timeout: settings.timeoutMs,
    // The client's query_timeout only stops waiting: without these, an ALTER USER blocked by another session's lock
    // would still commit once the lock is released, after the step has failed.
    statement_timeout: statementTimeoutMs,
    lock_timeout: lockTimeoutMs,
  });
  try {
    await session.connect();
  } catch (error) {
    if (error instanceof DatabaseError && error.code === INVALID_PASSWORD) return undefined;
    throw new Error(
      `Cannot log in to PostgreSQL at ${secret.host}:${secret.port} as ${secret.username}: ${messageOf(error)}`,
    );
  }
  try {
    return await work(session);
  } finally {
    await close(session, settings.timeoutMs);
  }
}

/** Ends the session, waiting at most `timeoutMs` for the server to close its side: one that vanished never would. */
async function close(session: Client, timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const givenUp = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, timeoutMs);
  });
  try {
    await Promise.race([session.end(), givenUp]);
  } finally {
    clearTimeout(timer);
    session.connection.stream.destroy();
  }
}

function messageOf(error: unknown): string {
  // Not `instanceof Error`: errors from Node's own modules (net, tls) may come from another realm.
  return typeof error === 'object' && error !== null && 'message' in error ? String(error.message) : String(error);
}
