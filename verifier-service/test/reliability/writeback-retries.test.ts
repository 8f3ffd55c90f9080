// Write-back under ServiceNow failures (SECURITY.md R2, R3, R4): 429 with Retry-After, 5xx, timeouts, refusals and
// a long outage, against the stand-in, with the worker running as in production.
import { build, type TestApp } from '../helper';
import { noteMarker } from '../../src/services/writeback';
import { backoffDelayMs, retryPolicy } from '../../src/domain/writeback-retry';
import type { LoggedRequest } from '@imper/dev-instance';
import {
  auditTypes,
  eventRow,
  incidents,
  jobs,
  notesWithMarker,
  passedVerification,
  recordEvent,
  sleep,
  ticketRequests,
  waitFor,
} from './fixtures';

jest.setTimeout(30_000);

const TIMEOUT_MS = 1000;
let t: TestApp;
let tickets: string[];
beforeAll(async () => {
  t = await build({ servicenowTimeoutMs: TIMEOUT_MS });
  await t.startWorker({ pollInterval: 50 });
  tickets = incidents(t);
});
afterAll(() => t.close());
beforeEach(() => {
  t.standin.faults.clear();
  t.standin.requests.clear();
});
afterEach(() => expect(t.standin.faults.pending()).toBe(0)); // every injected fault was met

const delivered = (id: string, timeoutMs = 20_000) =>
  waitFor(`event ${id} delivered`, async () => (await eventRow(t, id)).status === 'delivered', timeoutMs);
const dead = (id: string, timeoutMs = 20_000) =>
  waitFor(`event ${id} dead`, async () => (await eventRow(t, id)).status === 'dead', timeoutMs);

/** Every request that arrived after a 429 and before its Retry-After had elapsed. */
function requestsBeforeRetryAfter(log: LoggedRequest[], retryAfterMs: number) {
  return log.flatMap((limited) =>
    limited.status === 429
      ? log
          .filter((r) => r.at > limited.at && r.at < limited.at + retryAfterMs)
          .map((r) => ({ limited, early: r }))
      : [],
  );
}

describe('write-back under ServiceNow failures', () => {
  it('R2/R3/R4: 429 (Retry-After 2), 503, a timed-out write, then recovery: delivered once, one note, nothing before Retry-After', async () => {
    const ticket = tickets[0]!;
    const v = await passedVerification(t, ticket);
    t.standin.faults.enqueue(
      // The first request (the journal look-up) is rate-limited: the client waits, then retries itself.
      { kind: 'rate_limit', retryAfterSeconds: 2 },
      // The first write fails with 503: ambiguous, so the client does not repeat it; the job reschedules.
      { kind: 'status', status: 503, match: { method: 'PATCH' } },
      // The second write gets no answer within the 1 s client timeout.
      { kind: 'delay', ms: 1500, match: { method: 'PATCH' } },
    );
    const event = await recordEvent(t, v);
    // The instance still applies that write, 1.5 s after it arrived (the stand-in drops a request whose client
    // has gone, so the test plays the instance's part, with the text the service sent).
    const lateWrite = (async () => {
      const unanswered = await waitFor(
        'the unanswered write',
        () => ticketRequests(t, ticket).filter((r) => r.method === 'PATCH')[1],
      );
      await sleep(unanswered.at + 1500 - Date.now());
      t.standin.store.update('incident', ticket, {
        work_notes: `${event.work_note} ${noteMarker(v.publicId, event.seq)}`,
      });
    })();
    await delivered(event.id);
    await lateWrite;

    const log = ticketRequests(t, ticket);
    const shape = log.map(
      (r) => `${r.method} ${r.path.endsWith('sys_journal_field') ? 'journal' : 'ticket'} ${r.status}`,
    );
    expect(shape).toEqual([
      'GET journal 429',
      'GET journal 200', // the client's own retry, after Retry-After
      'PATCH ticket 503',
      'GET journal 200', // job retry: no note yet
      'PATCH ticket 0', // no answer within the timeout
      'GET journal 200', // job retry, after the settle time: finds the note that landed late
      'PATCH ticket 200', // columns only
    ]);
    // R2: nothing reached the instance before Retry-After had elapsed.
    expect(requestsBeforeRetryAfter(t.standin.requests.all(), 2000)).toEqual([]);
    const gapAfter429 = log[1]!.at - log[0]!.at;
    expect(gapAfter429).toBeGreaterThanOrEqual(2000);
    // R3: after the unanswered write, the next look-up waited for it to settle (timeout + 2 × timeout).
    const gapAfterTimeout = log[5]!.at - log[4]!.at;
    expect(gapAfterTimeout).toBeGreaterThanOrEqual(3 * TIMEOUT_MS);

    // Exactly one work note for the event, and the final columns.
    expect(notesWithMarker(t, v, event.seq)).toBe(1);
    expect(t.standin.store.get('incident', ticket)).toMatchObject({
      x_imper_verify_status: 'passed',
      x_imper_verify_id: v.publicId,
      x_imper_verify_risk_level: 'verified',
    });
    const row = await eventRow(t, event.id);
    expect(row).toMatchObject({ status: 'delivered', attempts: 2, last_error: null });
    expect(await auditTypes(t, v.id)).toEqual(['ticket.updated']);
    // The note that counts is the one of the unanswered write, which the instance applied late: the delivering
    // run found it and wrote columns only.
    const audit = await t.deps.db
      .selectFrom('audit_events')
      .select('data')
      .where('verification_id', '=', v.id)
      .executeTakeFirstOrThrow();
    expect(audit.data).toMatchObject({ noteWritten: false });
    // The worker removes the finished job right after the delivering run commits (later on a loaded machine).
    await waitFor('no job left', async () => (await jobs(t, event.id)).length === 0, 10_000);
    console.log(
      `R2 fault sequence: 429→retry gap ${gapAfter429} ms; timed-out write→next look-up ${gapAfterTimeout} ms; total ${log.at(-1)!.at - log[0]!.at} ms`,
    );
  });

  it('R2: the job itself reschedules no earlier than Retry-After when the client has used up its attempts', async () => {
    const ticket = tickets[1]!;
    const v = await passedVerification(t, ticket);
    // The client's three attempts at the journal look-up: 503, 503, then 429 with Retry-After 2 s.
    t.standin.faults.enqueue(
      { kind: 'status', status: 503 },
      { kind: 'status', status: 503 },
      { kind: 'rate_limit', retryAfterSeconds: 2 },
    );
    const event = await recordEvent(t, v);
    const failed = await waitFor('first failure recorded', async () => {
      const r = await eventRow(t, event.id);
      return r.attempts === 1 && r;
    });
    await delivered(event.id);

    const log = ticketRequests(t, ticket);
    expect(log.map((r) => r.status)).toEqual([503, 503, 429, 200, 200]);
    const limited = log[2]!;
    expect(failed.last_error).toMatch(/429/);
    // The retry was scheduled (database clock) and sent no earlier than Retry-After after the 429.
    expect(failed.next_attempt_at!.getTime() - limited.at).toBeGreaterThanOrEqual(2000);
    expect(log[3]!.at - limited.at).toBeGreaterThanOrEqual(2000);
    expect(requestsBeforeRetryAfter(t.standin.requests.all(), 2000)).toEqual([]);
    expect(notesWithMarker(t, v, event.seq)).toBe(1);
    console.log(`R2 job reschedule: 429→next request ${log[3]!.at - limited.at} ms`);
  });

  it('R2: a Retry-After holds back every request of the integration user, not only the one that got it', async () => {
    const [a, b] = [tickets[2]!, tickets[3]!];
    const client = t.deps.tenants.all()[0]!.servicenow;
    t.standin.faults.enqueue({ kind: 'rate_limit', retryAfterSeconds: 2, match: { method: 'GET' } });
    const first = client.get('incident', a, { fields: ['sys_id'] });
    const limited = await waitFor('the 429', () => t.standin.requests.all().find((r) => r.status === 429));
    await sleep(50); // the answer has reached the client
    const second = await client.get('incident', b, { fields: ['sys_id'] });
    expect(second?.sys_id).toBe(b);
    expect((await first)?.sys_id).toBe(a);
    const later = t.standin.requests.all().filter((r) => r.status !== 429 && r.at >= limited.at);
    expect(later).toHaveLength(2);
    for (const r of later) expect(r.at - limited.at).toBeGreaterThanOrEqual(2000);
  });

  it('R2: a 403 (data policy refusal) is not retried: dead-lettered at once, audited as ticket.update_dead', async () => {
    const ticket = tickets[4]!;
    let refuse = true;
    t.standin.hooks.beforeWrite((ctx) =>
      refuse && ctx.table === 'incident' && ctx.op === 'update' && ctx.record.sys_id === ticket
        ? {
            abort: {
              message: 'Operation Failed',
              detail: 'Data Policy Exception: The following fields are mandatory: Resolution code',
            },
          }
        : undefined,
    );
    try {
      const v = await passedVerification(t, ticket);
      const event = await recordEvent(t, v);
      await dead(event.id);
      await sleep(1500); // room for a retry that must not come
      const patches = ticketRequests(t, ticket).filter((r) => r.method === 'PATCH');
      expect(patches.map((r) => r.status)).toEqual([403]);
      const row = await eventRow(t, event.id);
      expect(row).toMatchObject({ status: 'dead', attempts: 1, next_attempt_at: null });
      expect(row.last_error).toMatch(/403/);
      expect(await auditTypes(t, v.id)).toEqual(['ticket.update_dead']);
      expect(await jobs(t, event.id)).toEqual([]);
      expect(notesWithMarker(t, v, event.seq)).toBe(0);
    } finally {
      refuse = false;
    }
  });

  it('R2: backoff is full jitter, grows with the attempt, is capped, and never undercuts Retry-After', () => {
    // (The horizon and the full decision are unit-tested in test/domain/writeback-retry.test.ts.)
    const policy = retryPolicy(72);
    const nextDelayMs = (attempt: number, retryAfterMs: number | undefined, random: () => number) =>
      backoffDelayMs(policy, attempt, retryAfterMs, random);
    expect(nextDelayMs(1, undefined, () => 0)).toBe(0);
    expect(nextDelayMs(1, undefined, () => 0.999)).toBeLessThan(1000);
    expect(nextDelayMs(4, undefined, () => 0.999)).toBeGreaterThan(7000);
    expect(nextDelayMs(30, undefined, () => 0.999)).toBeLessThanOrEqual(15 * 60 * 1000);
    for (const r of [0, 0.3, 0.999]) expect(nextDelayMs(1, 2000, () => r)).toBeGreaterThanOrEqual(2000);
  });

  it('R4: ServiceNow down for a long spell (18 × 503): afterwards every outcome is delivered once', async () => {
    const [a, b] = [tickets[6]!, tickets[7]!];
    t.standin.faults.enqueue(
      ...Array.from({ length: 18 }, () => ({ kind: 'status' as const, status: 503 as const })),
    );
    const va = await passedVerification(t, a);
    const vb = await passedVerification(t, b);
    const ea = await recordEvent(t, va, 'sent');
    const ea2 = await recordEvent(t, va, 'outcome');
    const eb = await recordEvent(t, vb);
    for (const e of [ea, ea2, eb]) await delivered(e.id, 40_000);

    const served503 = t.standin.requests.all().filter((r) => r.status === 503).length;
    expect(served503).toBe(18);
    expect(notesWithMarker(t, va, ea.seq)).toBe(1);
    expect(notesWithMarker(t, va, ea2.seq)).toBe(1);
    expect(notesWithMarker(t, vb, eb.seq)).toBe(1);
    for (const [v, sysId] of [
      [va, a],
      [vb, b],
    ] as const) {
      expect(t.standin.store.get('incident', sysId)).toMatchObject({
        x_imper_verify_status: 'passed',
        x_imper_verify_id: v.publicId,
      });
    }
    const attempts = await Promise.all([ea, ea2, eb].map(async (e) => (await eventRow(t, e.id)).attempts));
    expect(Math.max(...attempts)).toBeGreaterThanOrEqual(2);
    expect(await jobs(t)).toEqual([]);
  }, 60_000);
});
