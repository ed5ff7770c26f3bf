// The rotation function's time limits, and from them its worst case for one invocation. This file imports nothing,
// so infrastructure code can read it at synth time (the data layer sets the Lambda timeout from it) for free.

/** Default of DB_TIMEOUT_MS: the limit for connecting to the database, for each query, and for closing a session. */
export const DEFAULT_DB_TIMEOUT_MS = 5000;

/** The Secrets Manager client's limits, per attempt; the SDK's standard retry mode retries timeouts and throttling. */
export const SECRETS_MANAGER_LIMITS = {
  /** To open the TCP connection (DNS included): an endpoint that drops packets fails fast and is retried. */
  connectionTimeoutMs: 1000,
  /** For a whole attempt, connection included, up to the last byte of the answer. */
  requestTimeoutMs: 2000,
  maxAttempts: 3,
} as const;

// What the SDK's standard retry strategy may wait before retry i (from 0): a random delay up to
// min(base * 2^i, 20 s), where base is 1 s after throttling (50 ms otherwise), plus up to 5 s more when the service
// answers with a Retry-After hint (@smithy/core, StandardRetryStrategy).
const RETRY_DELAY_BASE_MS = 1000;
const RETRY_DELAY_CAP_MS = 20_000;
const RETRY_AFTER_ALLOWANCE_MS = 5000;

/**
 * What one invocation of each step does at most: calls to Secrets Manager (DescribeSecret included) and database
 * sessions. setSecret's three sessions: the AWSPENDING password, then the AWSCURRENT one, then the AWSPREVIOUS one.
 */
export const STEP_WORK = {
  createSecret: { secretsManagerCalls: 5, databaseSessions: 0 },
  setSecret: { secretsManagerCalls: 4, databaseSessions: 3 },
  testSecret: { secretsManagerCalls: 2, databaseSessions: 1 },
  finishSecret: { secretsManagerCalls: 2, databaseSessions: 0 },
} as const;

/**
 * statement_timeout and lock_timeout of every database session: the server cancels a statement itself before the
 * client stops waiting for it (DB_TIMEOUT_MS), so an ALTER USER the client gave up on can never commit later. A wait
 * for a lock, the likely cause, ends first, with its own SQLSTATE (55P03, lock_not_available).
 */
export function serverTimeoutsMs(dbTimeoutMs: number): { statementTimeoutMs: number; lockTimeoutMs: number } {
  // Never 0, which PostgreSQL reads as "no limit".
  const share = (fraction: number) => Math.max(1, Math.floor(dbTimeoutMs * fraction));
  return { statementTimeoutMs: share(0.8), lockTimeoutMs: share(0.7) };
}

/** The longest one Secrets Manager call can take: every attempt times out, each retry after the longest wait. */
export function secretsManagerCallWorstCaseMs(): number {
  const { requestTimeoutMs, maxAttempts } = SECRETS_MANAGER_LIMITS;
  let waits = 0;
  for (let retry = 0; retry < maxAttempts - 1; retry++) {
    waits += Math.min(RETRY_DELAY_BASE_MS * 2 ** retry, RETRY_DELAY_CAP_MS) + RETRY_AFTER_ALLOWANCE_MS;
  }
  return maxAttempts * requestTimeoutMs + waits;
}

/**
 * The longest one invocation (one step) can take with DB_TIMEOUT_MS = `dbTimeoutMs`: each database session takes
 * up to that limit to connect, again to query and again to close, and each Secrets Manager call its worst case.
 * The Lambda function's timeout must exceed it.
 */
export function rotationWorstCaseMs(dbTimeoutMs: number = DEFAULT_DB_TIMEOUT_MS): number {
  if (!Number.isInteger(dbTimeoutMs) || dbTimeoutMs <= 0) throw new Error('dbTimeoutMs must be a positive integer');
  const call = secretsManagerCallWorstCaseMs();
  const session = 3 * dbTimeoutMs;
  return Math.max(
    ...Object.values(STEP_WORK).map((step) => step.secretsManagerCalls * call + step.databaseSessions * session),
  );
}
