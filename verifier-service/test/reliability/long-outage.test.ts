// Issue 8 finding 1 (SECURITY.md R2, R4): a ServiceNow outage of hours loses no outcome. Hours cannot pass in a
// test, so the app's clock is simulated and this file plays graphile-worker's part on that clock: it takes the
// due jobs in graphile-worker's own order (run_at, id), locks them as a worker does, runs the production tasks
// (`taskList`), and completes them. The ServiceNow stand-in is real; its outage is a long run of 503s.
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import type { JobHelpers } from 'graphile-worker';
import { build, type TestApp } from '../helper';
import { taskList } from '../../src/jobs/worker';
import type { Clock } from '../../src/context';
import {
  auditTypes,
  eventRow,
  incidents,
  journal,
  notesWithMarker,
  passedVerification,
  recordEvent,
} from './fixtures';
import { noteMarker, redriveDeadWritebacks } from '../../src/services/writeback';

jest.setTimeout(240_000);

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** The app's clock: the wall clock moved ahead by however much simulated time the test lets pass. */
function simulatedClock(): Clock & { at(): number; set(ms: number): void } {
  let shift = 0;
  return {
    now: () => new Date(Date.now() + shift),
    at: () => Date.now() + shift,
    set: (ms) => void (shift = Math.max(shift, ms - Date.now())),
  };
}

const clock = simulatedClock();
let t: TestApp;
let tasks: ReturnType<typeof taskList>;
beforeAll(async () => {
  // The client's own short retries (250 ms…) would take real time on every attempt: instant here.
  t = await build({ clock, servicenowTimeoutMs: 1000, servicenowSleep: async () => {} });
  tasks = taskList(t.deps);
});
afterAll(() => t.close());

interface DueJob {
  id: string;
  task: string;
  payload: unknown;
  run_at: Date;
}

/** The next job graphile-worker would take at simulated time `at` (or the next one at all when `at` is null). */
async function nextJob(at: number | null): Promise<DueJob | undefined> {
  const { rows } = await sql<DueJob>`
    select j.id, k.identifier as task, j.payload, j.run_at
      from graphile_worker._private_jobs j join graphile_worker._private_tasks k on k.id = j.task_id
     where j.locked_at is null and j.attempts < j.max_attempts
       and (${at === null ? null : new Date(at)}::timestamptz is null or j.run_at <= ${at === null ? null : new Date(at)}::timestamptz)
     order by j.run_at, j.id
     limit 1`.execute(t.deps.db);
  return rows[0];
}

const ran: { task: string; at: number }[] = [];

/** Locks, runs and completes one job, as a worker does (a task that throws leaves it for its next attempt). */
async function runJob(job: DueJob): Promise<void> {
  await sql`update graphile_worker._private_jobs set locked_at = now(), locked_by = 'simulated-worker',
              attempts = attempts + 1 where id = ${job.id}`.execute(t.deps.db);
  ran.push({ task: job.task, at: clock.at() });
  try {
    await tasks[job.task]!(job.payload as never, {} as JobHelpers);
    await sql`delete from graphile_worker._private_jobs where id = ${job.id}`.execute(t.deps.db);
  } catch (err) {
    await sql`update graphile_worker._private_jobs set locked_at = null, locked_by = null,
                last_error = ${String(err)} where id = ${job.id}`.execute(t.deps.db);
    throw err;
  }
}

/** Lets simulated time pass until `until`, running every job when it falls due. */
async function advanceTo(until: number): Promise<void> {
  for (;;) {
    const due = await nextJob(clock.at());
    if (due) {
      await runJob(due);
      continue;
    }
    const next = await nextJob(null);
    if (!next || next.run_at.getTime() > until) break;
    clock.set(next.run_at.getTime());
  }
  clock.set(until);
}

const statuses = async (ids: string[]) => Promise.all(ids.map(async (id) => (await eventRow(t, id)).status));

describe('issue 8 finding 1: long ServiceNow outage (R4)', () => {
  it('6 hours down: nothing dead-lettered; within a minute of recovery, found by the probe, every outcome arrives once, in per-ticket order', async () => {
    const tickets = incidents(t).slice(0, 4);
    // The instance goes down, and stays down: every request gets a 503 until the test lifts the outage.
    const OUTAGE_FAULTS = 20_000;
    t.standin.faults.enqueue(
      ...Array.from({ length: OUTAGE_FAULTS }, () => ({ kind: 'status' as const, status: 503 as const })),
    );
    const start = clock.at();
    // Two events per ticket (the link was sent, then the outcome), as in the finding: 8 events on 4 tickets.
    const perTicket = [];
    for (const ticket of tickets) {
      const v = await passedVerification(t, ticket);
      const sent = await recordEvent(t, v, 'sent');
      const outcome = await recordEvent(t, v, 'outcome');
      perTicket.push({ ticket, v, events: [sent, outcome] });
    }
    const ids = perTicket.flatMap((p) => p.events.map((e) => e.id));

    // Six hours of outage, then the instance comes back just before a probe is due (so that no event's own
    // timer can be what finds it: the probe must).
    await advanceTo(start + 6 * HOUR);
    for (;;) {
      const next = await nextJob(null);
      if (!next || next.task === 'writeback_probe') break;
      await advanceTo(next.run_at.getTime());
    }
    expect(await statuses(ids)).toEqual(ids.map(() => 'pending'));
    for (const p of perTicket)
      expect(journal(t, p.ticket).filter((n) => n.includes(p.v.publicId))).toEqual([]);
    const health = await t.deps.db
      .selectFrom('servicenow_instance_health')
      .selectAll()
      .executeTakeFirstOrThrow();
    expect(clock.at() - health.down_since.getTime()).toBeGreaterThanOrEqual(6 * HOUR - MINUTE);
    expect(health.probes).toBeGreaterThan(600); // every 30 s, all along
    const outageRuns = ran.filter((r) => r.task === 'writeback').length;
    expect(t.standin.faults.pending()).toBeGreaterThan(0); // the outage held until now
    const servedDuringOutage = OUTAGE_FAULTS - t.standin.faults.pending();

    const recoveredAt = clock.at();
    t.standin.faults.clear();
    t.standin.requests.clear();
    await advanceTo(recoveredAt + MINUTE);

    // Every outcome arrived, within a minute of recovery, each note exactly once, in per-ticket order.
    expect(await statuses(ids)).toEqual(ids.map(() => 'delivered'));
    for (const id of ids) {
      const row = await eventRow(t, id);
      expect(row.delivered_at!.getTime() - recoveredAt).toBeLessThanOrEqual(MINUTE);
    }
    for (const { ticket, v, events } of perTicket) {
      for (const e of events) expect(notesWithMarker(t, v, e.seq)).toBe(1);
      const order = journal(t, ticket)
        .filter((n) => n.includes(v.publicId))
        .map((n) => events.findIndex((e) => n.includes(noteMarker(v.publicId, e.seq))));
      expect(order).toEqual([0, 1]);
      expect(t.standin.store.get('incident', ticket)).toMatchObject({
        x_imper_verify_status: 'passed',
        x_imper_verify_id: v.publicId,
      });
      expect(await auditTypes(t, v.id)).toEqual(['ticket.updated', 'ticket.updated']);
    }
    // The probe found the instance and re-drove the events; the mark is gone, and no job is left.
    expect(
      t.logs.some((l) => l.includes('pending ticket updates re-driven') && l.includes('"by":"probe"')),
    ).toBe(true);
    expect(await t.deps.db.selectFrom('servicenow_instance_health').selectAll().execute()).toEqual([]);
    expect(await nextJob(null)).toBeUndefined();
    console.log(
      `issue 8 finding 1: 6 h outage, ${outageRuns} write-back runs and ${servedDuringOutage} requests during it; ` +
        `all 8 delivered ${Math.max(...(await Promise.all(ids.map(async (id) => (await eventRow(t, id)).delivered_at!.getTime())))) - recoveredAt} ms after recovery`,
    );
  });

  it('an event older than the retry horizon (72 h) is dead-lettered, visible, listed by the command, and re-driven by it: delivered once', async () => {
    const ticket = incidents(t)[4]!;
    const v = await passedVerification(t, ticket);
    t.standin.faults.enqueue(
      ...Array.from({ length: 3 }, () => ({ kind: 'status' as const, status: 503 as const })),
    );
    const event = await recordEvent(t, v, 'outcome');
    // It has been failing for longer than the horizon: this failure is its last.
    await sql`update writeback_events set created_at = created_at - interval '73 hours' where id = ${event.id}`.execute(
      t.deps.db,
    );
    await advanceTo(clock.at() + 1000);
    const dead = await eventRow(t, event.id);
    expect(dead).toMatchObject({ status: 'dead', attempts: 1, next_attempt_at: null });
    expect(dead.last_error).toMatch(/503/);
    expect(await auditTypes(t, v.id)).toEqual(['ticket.update_dead']);
    expect(
      t.logs.some(
        (l) => l.includes('"level":40') && l.includes('ticket update dead-lettered') && l.includes(event.id),
      ),
    ).toBe(true);
    expect(notesWithMarker(t, v, event.seq)).toBe(0);

    // The command, as an operator runs it (`npm run writeback:redrive -w verifier-service -- …`).
    const cli = (...args: string[]) =>
      promisify(execFile)(
        resolve(__dirname, '../../../node_modules/.bin/tsx'),
        [resolve(__dirname, '../../src/jobs/redrive-cli.ts'), ...args],
        { env: { ...process.env, DATABASE_URL: t.config.databaseUrl! } },
      ).then(
        (r) => ({ code: 0, ...r }),
        (e: { code: number; stdout: string; stderr: string }) => ({
          code: e.code,
          stdout: e.stdout,
          stderr: e.stderr,
        }),
      );
    const listed = await cli('--list');
    expect(listed.code).toBe(0);
    expect(listed.stdout).toContain(event.id);
    expect(listed.stdout).toContain(v.publicId);
    expect(listed.stdout).toMatch(/1 dead-lettered write-back/);
    // Re-driving needs an explicit selection; an unknown event is a failure.
    expect((await cli()).code).toBe(2);
    const unknown = await cli('--id', '00000000-0000-4000-8000-000000000000');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/not dead-lettered/);

    const redriven = await cli('--id', event.id);
    expect(redriven.code).toBe(0);
    expect(redriven.stdout).toContain(`re-driven: ${event.id}`);
    expect(await eventRow(t, event.id)).toMatchObject({ status: 'pending', attempts: 0 });
    await advanceTo(clock.at() + 1000);
    expect(await eventRow(t, event.id)).toMatchObject({ status: 'delivered' });
    expect(notesWithMarker(t, v, event.seq)).toBe(1);
    expect(await auditTypes(t, v.id)).toEqual([
      'ticket.update_dead',
      'ticket.update_redriven',
      'ticket.updated',
    ]);
    expect((await cli('--list')).stdout).toMatch(/^0 dead-lettered write-back/m);
    // Run again, nothing more happens.
    expect((await cli('--all')).stdout).toMatch(/0 write-back\(s\) re-driven/);
    await advanceTo(clock.at() + 1000);
    expect(notesWithMarker(t, v, event.seq)).toBe(1);
  });

  it('per-ticket order holds across verifications, and a re-driven old event does not roll the ticket back', async () => {
    const ticket = incidents(t)[5]!;
    const notesOf = () => journal(t, ticket).filter((n) => n.includes('[imper.ai VRF-'));
    // A's outcome fails first (503 on all three of the client's tries); B's, recorded after it, must wait.
    t.standin.faults.enqueue(
      ...Array.from({ length: 3 }, () => ({ kind: 'status' as const, status: 503 as const })),
    );
    const a = await passedVerification(t, ticket);
    const ea = await recordEvent(t, a, 'outcome');
    const b = await passedVerification(t, ticket);
    const eb = await recordEvent(t, b, 'outcome');
    await advanceTo(clock.at() + 2 * MINUTE);
    expect(await statuses([ea.id, eb.id])).toEqual(['delivered', 'delivered']);
    expect((await eventRow(t, ea.id)).attempts).toBe(1); // one failed attempt before it went
    expect(notesOf().map((n) => (n.includes(a.publicId) ? 'A' : n.includes(b.publicId) ? 'B' : '?'))).toEqual(
      ['A', 'B'],
    );
    expect(t.standin.store.get('incident', ticket)?.x_imper_verify_id).toBe(b.publicId);

    // C's outcome is refused (dead at once, R2), so it holds nothing up: D's goes. C re-driven later writes its
    // note, but leaves D's columns on the ticket.
    let refuse = true;
    t.standin.hooks.beforeWrite((ctx) =>
      refuse && ctx.table === 'incident' && ctx.op === 'update' && ctx.record.sys_id === ticket
        ? { abort: { message: 'Operation Failed', detail: 'Data Policy Exception' } }
        : undefined,
    );
    try {
      const c = await passedVerification(t, ticket);
      const ec = await recordEvent(t, c, 'outcome');
      await advanceTo(clock.at() + 1000);
      expect((await eventRow(t, ec.id)).status).toBe('dead');
      refuse = false;
      const d = await passedVerification(t, ticket);
      const ed = await recordEvent(t, d, 'outcome');
      await advanceTo(clock.at() + 1000);
      expect((await eventRow(t, ed.id)).status).toBe('delivered');
      expect(await redriveDeadWritebacks(t.deps, { ids: [ec.id] })).toEqual([ec.id]);
      await advanceTo(clock.at() + 1000);
      expect((await eventRow(t, ec.id)).status).toBe('delivered');
      expect(notesWithMarker(t, c, ec.seq)).toBe(1);
      expect(t.standin.store.get('incident', ticket)?.x_imper_verify_id).toBe(d.publicId);
    } finally {
      refuse = false;
    }
  });
});
