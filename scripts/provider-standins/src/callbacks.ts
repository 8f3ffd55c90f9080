// Sends the stand-ins' asynchronous requests (Twilio status callbacks, SendGrid event webhooks) and records
// every attempt so tests can see what was sent and how the receiver answered.

import type { ProviderName } from './faults';

export interface CallbackAttempt {
  provider: ProviderName;
  url: string;
  headers: Record<string, string>;
  body: string;
  /** HTTP status the receiver answered, or undefined when the request failed (`error` then says why). */
  status?: number;
  error?: string;
  at: Date;
}

export class CallbackSender {
  private readonly attempts: CallbackAttempt[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly inFlight = new Set<Promise<void>>();
  private readonly abort = new AbortController();
  private idleWaiters: Array<() => void> = [];
  private closed = false;

  /** Runs `task` after `ms`; `task` usually calls `post`. */
  schedule(ms: number, task: () => Promise<void>): void {
    if (this.closed) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      const run = task()
        .catch(() => undefined)
        .finally(() => {
          this.inFlight.delete(run);
          this.settle();
        });
      this.inFlight.add(run);
    }, ms);
    this.timers.add(timer);
  }

  async post(
    provider: ProviderName,
    url: string,
    headers: Record<string, string>,
    body: string,
  ): Promise<number | undefined> {
    const attempt: CallbackAttempt = { provider, url, headers, body, at: new Date() };
    this.attempts.push(attempt);
    try {
      const res = await fetch(url, { method: 'POST', headers, body, signal: this.abort.signal });
      await res.arrayBuffer();
      attempt.status = res.status;
      return res.status;
    } catch (err) {
      attempt.error = err instanceof Error ? err.message : String(err);
      return undefined;
    }
  }

  list(): CallbackAttempt[] {
    return [...this.attempts];
  }

  clear(): void {
    this.attempts.length = 0;
  }

  /** Resolves once nothing is scheduled or in flight (including what the running tasks schedule next). */
  idle(): Promise<void> {
    if (this.timers.size === 0 && this.inFlight.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.abort.abort();
    await Promise.allSettled([...this.inFlight]);
    this.settle();
  }

  private settle(): void {
    if (this.timers.size === 0 && this.inFlight.size === 0) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const resolve of waiters) resolve();
    }
  }
}
