// Failure injection and the request log, so tests can watch the service behave under 429/5xx/timeouts.

export type Fault =
  | { kind: 'rate_limit'; retryAfterSeconds: number }
  | { kind: 'status'; status: 500 | 502 | 503 }
  | { kind: 'delay'; ms: number }
  | { kind: 'drop' };

export interface FaultMatch {
  method?: string;
  pathPrefix?: string;
}

export type QueuedFault = Fault & { match?: FaultMatch };

export interface FaultController {
  /**
   * Each fault applies once, FIFO, to the next matching request. Without `match.pathPrefix` a fault applies
   * to `/api/*` only; an explicit `pathPrefix: '/oauth_token.do'` targets the token endpoint.
   */
  enqueue(...faults: QueuedFault[]): void;
  /** Added to every `/api/*` response. */
  setLatency(ms: number): void;
  /** Per-user rate-limit rule (null removes it). */
  setRateLimitRule(rule: RateLimitRule | null): void;
  /** Drops queued faults, latency and the rate-limit rule. */
  clear(): void;
  pending(): number;
}

export interface RateLimitRule {
  limit: number;
  windowSeconds: number;
  /** Reported in `X-RateLimit-Rule`; default `imper-dev-instance-per-user`. */
  name?: string;
}

const FAULT_KINDS = ['rate_limit', 'status', 'delay', 'drop'];

/** Validates a fault received over HTTP; returns an error text or null. */
export function faultProblem(value: unknown): string | null {
  if (!value || typeof value !== 'object') return 'fault must be an object';
  const f = value as Record<string, unknown>;
  if (!FAULT_KINDS.includes(f.kind as string)) return `kind must be one of ${FAULT_KINDS.join(', ')}`;
  if (f.kind === 'rate_limit' && !(typeof f.retryAfterSeconds === 'number' && f.retryAfterSeconds >= 0))
    return 'rate_limit needs retryAfterSeconds >= 0';
  if (f.kind === 'status' && ![500, 502, 503].includes(f.status as number))
    return 'status must be 500, 502 or 503';
  if (f.kind === 'delay' && !(typeof f.ms === 'number' && f.ms >= 0)) return 'delay needs ms >= 0';
  if (f.match !== undefined && (typeof f.match !== 'object' || f.match === null))
    return 'match must be an object';
  return null;
}

export class Faults implements FaultController {
  private queue: QueuedFault[] = [];
  latencyMs = 0;
  rule: RateLimitRule | null = null;
  private windows = new Map<string, { start: number; count: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  enqueue(...faults: QueuedFault[]): void {
    this.queue.push(...faults);
  }

  setLatency(ms: number): void {
    this.latencyMs = Math.max(0, ms);
  }

  setRateLimitRule(rule: RateLimitRule | null): void {
    this.rule = rule;
    this.windows.clear();
  }

  clear(): void {
    this.queue = [];
    this.latencyMs = 0;
    this.rule = null;
    this.windows.clear();
  }

  pending(): number {
    return this.queue.length;
  }

  /** Removes and returns the first fault matching this request. */
  take(method: string, path: string): Fault | null {
    const i = this.queue.findIndex((f) => {
      const prefix = f.match?.pathPrefix;
      if (prefix ? !path.startsWith(prefix) : !path.startsWith('/api/')) return false;
      return !f.match?.method || f.match.method.toUpperCase() === method.toUpperCase();
    });
    if (i < 0) return null;
    const [fault] = this.queue.splice(i, 1);
    return fault ?? null;
  }

  /** Counts a request of `user` against the rule: headers to add, and whether it is over the limit. */
  count(user: string): { headers: Record<string, string>; limited: boolean; retryAfter: number } | null {
    if (!this.rule) return null;
    const now = this.now();
    const windowMs = this.rule.windowSeconds * 1000;
    let w = this.windows.get(user);
    if (!w || now >= w.start + windowMs) {
      w = { start: now, count: 0 };
      this.windows.set(user, w);
    }
    w.count += 1;
    const reset = Math.ceil((w.start + windowMs) / 1000);
    const headers = {
      'X-RateLimit-Limit': String(this.rule.limit),
      'X-RateLimit-Reset': String(reset),
      'X-RateLimit-Rule': this.rule.name ?? 'imper-dev-instance-per-user',
    };
    const retryAfter = Math.max(1, Math.ceil((w.start + windowMs - now) / 1000));
    return { headers, limited: w.count > this.rule.limit, retryAfter };
  }
}

export interface LoggedRequest {
  /** Date.now() at arrival. */
  at: number;
  method: string;
  path: string;
  query: Record<string, string>;
  /** 0 until answered (and for dropped connections). */
  status: number;
  /** user_name of the authenticated caller, or null. */
  user: string | null;
}

export interface RequestLog {
  /** Every `/api/*` and `/oauth_token.do` request so far, oldest first (copies). */
  all(): LoggedRequest[];
  clear(): void;
}

export class Requests implements RequestLog {
  entries: LoggedRequest[] = [];

  all(): LoggedRequest[] {
    return this.entries.map((e) => ({ ...e, query: { ...e.query } }));
  }

  clear(): void {
    this.entries = [];
  }
}
