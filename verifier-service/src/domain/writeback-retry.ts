// When a failed write-back is tried again, and when it is given up (SECURITY.md R2, R4; issue 8). Plain
// functions over plain data, unit-tested without a database.
//
// Retries back off exponentially with full jitter, capped (a ServiceNow instance can be down for hours of
// maintenance, and a capped backoff keeps the next try within minutes of its return), never earlier than the
// instance's Retry-After. A refusal (4xx other than 408/429) is final. A retriable failure is given up only when
// the event has been failing for longer than the retry horizon (days, not a count of attempts), so an outage
// shorter than the horizon loses nothing. What an instance's return looks like is the probe's business
// (services/writeback.ts); this only decides an event's own timer.

export interface RetryPolicy {
  baseDelayMs: number;
  /** The longest wait between two tries of one event. */
  maxDelayMs: number;
  /** Give up on a retriable failure once the event is older than this. */
  horizonMs: number;
}

export const DEFAULT_BASE_DELAY_MS = 1000;
export const DEFAULT_MAX_DELAY_MS = 15 * 60 * 1000;

export function retryPolicy(horizonHours: number): RetryPolicy {
  return {
    baseDelayMs: DEFAULT_BASE_DELAY_MS,
    maxDelayMs: DEFAULT_MAX_DELAY_MS,
    horizonMs: horizonHours * 3_600_000,
  };
}

/** Full jitter: uniform in [0, min(cap, base · 2^(attempt-1))), never below Retry-After. */
export function backoffDelayMs(
  policy: Pick<RetryPolicy, 'baseDelayMs' | 'maxDelayMs'>,
  attempt: number,
  retryAfterMs: number | undefined,
  random: () => number = Math.random,
): number {
  const exp = Math.min(60, Math.max(0, attempt - 1)); // 2^60 ms is far past any cap
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** exp);
  return Math.max(retryAfterMs ?? 0, Math.floor(random() * ceiling));
}

export interface FailedAttempt {
  /** Attempts made so far, including the one that just failed. */
  attempts: number;
  /** Whether trying again can succeed (429, 408, 5xx, timeouts, connection errors). */
  retriable: boolean;
  retryAfterMs?: number;
  /** A floor of the wait for reasons of our own (a work note that may still land, R3). */
  minDelayMs?: number;
  /** When the event started failing: its creation, or its last re-drive. */
  since: Date;
  now: Date;
}

export type NextAttempt =
  { action: 'retry'; delayMs: number } | { action: 'dead'; reason: 'refused' | 'horizon' };

export function nextAttempt(
  policy: RetryPolicy,
  f: FailedAttempt,
  random: () => number = Math.random,
): NextAttempt {
  if (!f.retriable) return { action: 'dead', reason: 'refused' };
  const age = f.now.getTime() - f.since.getTime();
  if (age >= policy.horizonMs) return { action: 'dead', reason: 'horizon' };
  const delayMs = Math.max(backoffDelayMs(policy, f.attempts, f.retryAfterMs, random), f.minDelayMs ?? 0);
  return { action: 'retry', delayMs };
}

/**
 * Whether a failure says the instance itself is unavailable (not answering, or answering 5xx/408), as opposed to
 * refusing this one request or rate-limiting the integration user (which is an instance that answers).
 */
export function meansInstanceDown(e: { kind: string; status?: number }): boolean {
  if (e.kind === 'network' || e.kind === 'timeout') return true;
  return e.kind === 'http' && e.status !== undefined && (e.status >= 500 || e.status === 408);
}
