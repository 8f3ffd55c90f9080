// The write-back retry decision (SECURITY.md R2, R4; issue 8 finding 1), without a database.
import {
  backoffDelayMs,
  meansInstanceDown,
  nextAttempt,
  retryPolicy,
  DEFAULT_MAX_DELAY_MS,
} from '../../src/domain/writeback-retry';

const HOUR = 3_600_000;
const policy = retryPolicy(72);
const t0 = new Date('2026-12-01T00:00:00Z');
const at = (ms: number) => new Date(t0.getTime() + ms);

describe('issue 8 finding 1: write-back retry policy (R2, R4)', () => {
  it('backoff is full jitter on base·2^(n-1), capped at 15 minutes, never below Retry-After', () => {
    expect(DEFAULT_MAX_DELAY_MS).toBe(15 * 60_000);
    expect(backoffDelayMs(policy, 1, undefined, () => 0)).toBe(0);
    expect(backoffDelayMs(policy, 1, undefined, () => 0.999)).toBe(999);
    expect(backoffDelayMs(policy, 3, undefined, () => 0.5)).toBe(2000);
    // Capped, even for absurd attempt counts (no overflow to Infinity/NaN).
    for (const n of [11, 20, 100, 10_000]) {
      const d = backoffDelayMs(policy, n, undefined, () => 0.999999);
      expect(d).toBeLessThan(DEFAULT_MAX_DELAY_MS);
      expect(d).toBeGreaterThan(DEFAULT_MAX_DELAY_MS - 1000);
    }
    // Retry-After is a floor, even beyond the cap.
    for (const r of [0, 0.5, 0.999]) {
      expect(backoffDelayMs(policy, 1, 2000, () => r)).toBeGreaterThanOrEqual(2000);
      expect(backoffDelayMs(policy, 50, 3 * HOUR, () => r)).toBe(3 * HOUR);
    }
  });

  it('a retriable failure is retried until the event is older than the horizon, then dead-lettered', () => {
    const fail = (attempts: number, ageMs: number) =>
      nextAttempt(policy, { attempts, retriable: true, since: t0, now: at(ageMs) }, () => 0.5);
    // Six hours and hundreds of attempts in: still retried (no attempt count bound any more).
    expect(fail(12, 20 * 60_000)).toEqual({ action: 'retry', delayMs: 450_000 });
    expect(fail(500, 6 * HOUR)).toEqual({ action: 'retry', delayMs: 450_000 });
    expect(fail(5000, 72 * HOUR - 1)).toMatchObject({ action: 'retry' });
    expect(fail(5000, 72 * HOUR)).toEqual({ action: 'dead', reason: 'horizon' });
    // The horizon is configurable.
    expect(nextAttempt(retryPolicy(1), { attempts: 2, retriable: true, since: t0, now: at(HOUR) })).toEqual({
      action: 'dead',
      reason: 'horizon',
    });
  });

  it('R2: a refusal (4xx other than 408/429) is dead-lettered at once; waits honour Retry-After and settle time', () => {
    expect(nextAttempt(policy, { attempts: 1, retriable: false, since: t0, now: t0 })).toEqual({
      action: 'dead',
      reason: 'refused',
    });
    expect(
      nextAttempt(policy, { attempts: 1, retriable: true, retryAfterMs: 5000, since: t0, now: t0 }, () => 0),
    ).toEqual({ action: 'retry', delayMs: 5000 });
    expect(
      nextAttempt(policy, { attempts: 1, retriable: true, minDelayMs: 3000, since: t0, now: t0 }, () => 0),
    ).toEqual({ action: 'retry', delayMs: 3000 });
  });

  it('the instance counts as down on connection errors, timeouts, 5xx and 408, not on 429 or refusals', () => {
    expect(meansInstanceDown({ kind: 'network' })).toBe(true);
    expect(meansInstanceDown({ kind: 'timeout' })).toBe(true);
    for (const status of [500, 502, 503, 504, 408])
      expect(meansInstanceDown({ kind: 'http', status })).toBe(true);
    for (const status of [400, 403, 404, 429])
      expect(meansInstanceDown({ kind: 'http', status })).toBe(false);
    expect(meansInstanceDown({ kind: 'auth', status: 401 })).toBe(false);
  });
});
