// R4, PostgreSQL restarted: restarting the shared server is not allowed in tests, so every connection of the app
// and its worker to the test database is terminated (what clients see when PostgreSQL restarts), once while idle
// and once in the middle of a write-back. The app and the worker must recover and deliver each outcome once.
import pg from 'pg';
import { build, type TestApp } from '../helper';
import { ADMIN_URL } from '../db';
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

jest.setTimeout(45_000);

let t: TestApp;
beforeAll(async () => {
  t = await build();
  await t.startWorker({ pollInterval: 100 });
});
afterAll(() => t.close());

async function terminateAppConnections(): Promise<number> {
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  try {
    const name = new URL(t.db.url).pathname.slice(1);
    const { rows } = await admin.query<{ n: number }>(
      `select count(*) filter (where pg_terminate_backend(pid))::int as n from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()`,
      [name],
    );
    return rows[0]!.n;
  } finally {
    await admin.end();
  }
}

// The test's own probe reads through the app's pool too: right after the terminate, an idle connection the pool has
// not yet noticed is dead can fail the probe once. That is the test looking, not the app under test: look again.
const delivered = (id: string) =>
  waitFor(
    `event ${id} delivered`,
    async () => (await eventRow(t, id).catch(() => null))?.status === 'delivered',
    20_000,
  );

describe('database connections lost', () => {
  it('R4: after every connection is terminated, the app answers again and the worker delivers new outcomes once', async () => {
    const [a] = incidents(t);
    const warm = await recordEvent(t, await passedVerification(t, a!));
    await delivered(warm.id);

    expect(await terminateAppConnections()).toBeGreaterThan(0); // the pool and graphile-worker's LISTEN connection

    // The app: readiness reads the database through the same pool.
    const ready = await waitFor('ready again', async () => {
      const r = await fetch(`${t.url}/health/ready`);
      return r.status === 200 && r;
    });
    expect(ready.status).toBe(200);
    const v = await passedVerification(t, incidents(t)[1]!);
    const event = await recordEvent(t, v);
    await delivered(event.id);
    expect(notesWithMarker(t, v, event.seq)).toBe(1);
  });

  it('R4: connections terminated while a write-back waits on ServiceNow: delivered once afterwards, no duplicate note', async () => {
    const ticket = incidents(t)[2]!;
    const v = await passedVerification(t, ticket);
    t.standin.faults.enqueue({ kind: 'delay', ms: 1000, match: { method: 'PATCH' } });
    const event = await recordEvent(t, v);
    await waitFor('the write to arrive', () => ticketRequests(t, ticket).some((r) => r.method === 'PATCH'));
    expect(await terminateAppConnections()).toBeGreaterThan(0);
    await delivered(event.id);
    expect(notesWithMarker(t, v, event.seq)).toBe(1);
    expect(t.standin.store.get('incident', ticket)).toMatchObject({
      x_imper_verify_status: 'passed',
      x_imper_verify_id: v.publicId,
    });
    await waitFor('no job left', async () => (await jobs(t, event.id)).length === 0, 10_000);
  });
});
