// Switchable faults for the stand-ins: the next N API requests answer an error status or have their
// connection dropped, and every API request can be delayed. Callbacks/webhooks the stand-ins send are not
// affected (they are the stand-ins talking to the service, not the service talking to them).
// `graph-login` is the Entra token endpoint (login.microsoftonline.com), `graph` the Graph API behind it.

export type ProviderName = 'twilio' | 'sendgrid' | 'graph' | 'graph-login' | 'okta';

const PROVIDERS: readonly ProviderName[] = ['twilio', 'sendgrid', 'graph', 'graph-login', 'okta'];

export type Fault =
  | { kind: 'status'; status: number; retryAfterSeconds?: number }
  | { kind: 'drop' }
  /** Placeholder: this request is served normally (lets a fault hit the N+1th request). */
  | { kind: 'pass' };

export interface FaultController {
  /**
   * The next `count` API requests to `provider` answer `status` (500 by default; 429/503 may carry Retry-After).
   * `after`: let that many requests through first (e.g. fail the write that follows a read).
   */
  failNext(
    provider: ProviderName,
    count: number,
    status?: number,
    opts?: { retryAfterSeconds?: number; after?: number },
  ): void;
  /** The next `count` API requests to `provider` have their TCP connection destroyed without an answer. */
  dropNext(provider: ProviderName, count: number): void;
  /** Delay every API request to `provider` by `ms` before it is handled (0 to stop). */
  setLatency(provider: ProviderName, ms: number): void;
  /** Remove every pending fault and latency. */
  reset(): void;
}

export class Faults implements FaultController {
  private readonly queue = Object.fromEntries(PROVIDERS.map((p) => [p, [] as Fault[]])) as Record<
    ProviderName,
    Fault[]
  >;
  private readonly latencyMs = Object.fromEntries(PROVIDERS.map((p) => [p, 0])) as Record<
    ProviderName,
    number
  >;

  failNext(
    provider: ProviderName,
    count: number,
    status = 500,
    opts: { retryAfterSeconds?: number; after?: number } = {},
  ): void {
    if (!Number.isInteger(count) || count < 0) throw new RangeError('count must be a non-negative integer');
    if (!Number.isInteger(status) || status < 400 || status > 599)
      throw new RangeError('status must be 4xx or 5xx');
    const after = opts.after ?? 0;
    if (!Number.isInteger(after) || after < 0) throw new RangeError('after must be a non-negative integer');
    for (let i = 0; i < after; i++) this.queue[provider].push({ kind: 'pass' });
    for (let i = 0; i < count; i++) {
      const fault: Fault = { kind: 'status', status };
      if (opts.retryAfterSeconds !== undefined) fault.retryAfterSeconds = opts.retryAfterSeconds;
      this.queue[provider].push(fault);
    }
  }

  dropNext(provider: ProviderName, count: number): void {
    if (!Number.isInteger(count) || count < 0) throw new RangeError('count must be a non-negative integer');
    for (let i = 0; i < count; i++) this.queue[provider].push({ kind: 'drop' });
  }

  setLatency(provider: ProviderName, ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError('latency must be a non-negative number of ms');
    this.latencyMs[provider] = ms;
  }

  reset(): void {
    for (const provider of PROVIDERS) {
      this.queue[provider].length = 0;
      this.latencyMs[provider] = 0;
    }
  }

  /** @internal used by the routes */
  take(provider: ProviderName): Fault | undefined {
    return this.queue[provider].shift();
  }

  /** @internal used by the routes */
  latency(provider: ProviderName): number {
    return this.latencyMs[provider];
  }
}
