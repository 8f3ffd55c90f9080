// R6: the server's close() (src/server.ts, what SIGTERM runs) lets an in-flight request finish and lets the
// worker finish its running job and release everything: no job left locked, no heartbeat left behind.
import { sql } from 'kysely';
import { build, type TestApp } from '../helper';
import { Browser } from '../browser-client';
import { start } from '../../src/server';
import {
  eventRow,
  incidents,
  jobs,
  notesWithMarker,
  passedVerification,
  recordEvent,
  ticketRequests,
  waitFor,
} from './fixtures';
import { DEMO_TICKET } from '../helper';

jest.setTimeout(45_000);

let t: TestApp;
beforeAll(async () => {
  t = await build();
  // The production entry takes the port over: same configuration, same database, same stand-in.
  await t.server.close();
});
let stopApp: (() => Promise<void>) | undefined;
afterAll(async () => {
  await stopApp?.().catch(() => {});
  await t.close();
});

describe('graceful shutdown', () => {
  it('R6: close() while a request and a job are in flight: the request completes, the job finishes, nothing stays locked', async () => {
    const app = await start({ ...t.config, runWorker: true, migrateOnStart: false, workerConcurrency: 2 });
    stopApp = app.close;
    const agent = new Browser();
    await agent.request(`${t.standin.url}/login.do`, {
      form: { user_name: 'beth.anglin', user_password: t.agentPassword },
    });
    const viaInstance = await agent.get(
      `${t.standin.url}/x_imper_verify_launch.do?table=incident&sys_id=${DEMO_TICKET.sys_id}`,
    );
    const token = new URL(viaInstance.location!).searchParams.get('token')!;

    const launchedAgent = await agent.get(`${t.url}/agent/launch?token=${encodeURIComponent(token)}`);
    expect(launchedAgent.status).toBe(303);
    t.standin.requests.clear();

    // Both wait on ServiceNow for 1.5 s: the agent's page reads the ticket, the job writes an outcome.
    t.standin.faults.enqueue(
      {
        kind: 'delay',
        ms: 1500,
        match: { method: 'GET', pathPrefix: `/api/now/table/incident/${DEMO_TICKET.sys_id}` },
      },
      { kind: 'delay', ms: 1500, match: { method: 'PATCH' } },
    );
    const ticket = incidents(t).find((id) => id !== DEMO_TICKET.sys_id)!;
    const v = await passedVerification(t, ticket);
    const event = await recordEvent(t, v);
    const page = agent.get(`${t.url}/agent`);
    await waitFor('both in flight', () => {
      const log = t.standin.requests.all();
      return (
        log.some((r) => r.method === 'PATCH') &&
        log.some((r) => r.path === `/api/now/table/incident/${DEMO_TICKET.sys_id}`)
      );
    });
    expect((await jobs(t, event.id))[0]?.locked_by).toMatch(/^pool-/);

    const closing = app.close();
    const closeStarted = Date.now();
    const shown = await page;
    expect(shown.status).toBe(200);
    expect(shown.text).toContain(DEMO_TICKET.number);
    await closing;
    const closeMs = Date.now() - closeStarted;
    expect(closeMs).toBeLessThan(10_000); // not held by the agent's keep-alive connection

    // The job ran to its end: delivered, one note, and graphile-worker holds nothing.
    expect(await eventRow(t, event.id)).toMatchObject({ status: 'delivered' });
    expect(notesWithMarker(t, v, event.seq)).toBe(1);
    expect(ticketRequests(t, ticket).filter((r) => r.method === 'PATCH')).toHaveLength(1);
    const { rows } = await sql<{
      n: number;
    }>`select count(*)::int as n from graphile_worker.jobs where locked_by is not null`.execute(t.deps.db);
    expect(rows[0]!.n).toBe(0);
    const hb = await sql<{ n: number }>`select count(*)::int as n from worker_heartbeats`.execute(t.deps.db);
    expect(hb.rows[0]!.n).toBe(0);
    console.log(`R6 close(): ${closeMs} ms with a 1.5 s request and a 1.5 s job in flight`);
  });
});
