/**
 * Settings every AWS SDK client of the operator commands is made with: a bounded time per attempt and a
 * bounded number of attempts, so a dead or unreachable endpoint fails the command in seconds, never hangs it.
 */
export interface ClientLimits {
  /** Milliseconds to establish a connection. @default 3000 */
  readonly connectionTimeoutMs?: number;
  /** Milliseconds a request may wait for its response once sent. @default 10000 */
  readonly requestTimeoutMs?: number;
  /** Attempts per call, the first included (standard retry mode, exponential backoff with jitter). @default 3 */
  readonly maxAttempts?: number;
}

export function awsClientSettings(limits: ClientLimits = {}) {
  return {
    maxAttempts: limits.maxAttempts ?? 3,
    retryMode: 'standard',
    requestHandler: {
      connectionTimeout: limits.connectionTimeoutMs ?? 3000,
      requestTimeout: limits.requestTimeoutMs ?? 10000,
      // Without this, the SDK only logs a warning when requestTimeout passes and keeps waiting.
      throwOnRequestTimeout: true,
    },
  } as const;
}
