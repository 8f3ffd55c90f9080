// Issue 8 finding 2 (R4, S4): Start consumes the link and moves the verification to in progress in one transaction,
// so a failure anywhere after the consume — an error in the decision or the transition, or the database connection
// dying mid-transaction as it does when the process is killed — leaves the link unused and the verification as it
// was, and the requester's retry works (instead of "already used … tell your helpdesk right away").
import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { build, type TestApp } from '../helper';
import { Browser } from '../browser-client';
import { freshLink, open, start, ticketsWithContacts, type TicketRef } from '../flows';
import { GENEROUS_LIMITS } from '../security/support';

jest.setTimeout(30_000);

let t: TestApp;
let tickets: TicketRef[];
const seen = new Set<string>();
beforeAll(async () => {
  t = await build({ env: { ...GENEROUS_LIMITS, LOG_LEVEL: 'warn' } });
  await t.startWorker({ pollInterval: 50 });
  tickets = ticketsWithContacts(t, 4);
});
afterEach(async () => {
  jest.restoreAllMocks();
  await sql`drop trigger if exists fail_start on verifications`.execute(t.db.db);
});
afterAll(() => t.close());

/**
 * Makes the move of one verification to `in_progress` fail inside the database: `raise` aborts the statement with an
 * error, `terminate` kills the database backend running it (what PostgreSQL sees when the service is killed -9).
 */
async function failStart(verificationId: string, how: 'raise' | 'terminate') {
  const action =
    how === 'raise'
      ? `raise exception 'injected failure after the consume'`
      : `perform pg_terminate_backend(pg_backend_pid())`;
  await sql
    .raw(
      `create or replace function fail_start() returns trigger language plpgsql as $$
       begin
         if new.state = 'in_progress' and old.id = '${verificationId}' then ${action}; end if;
         return new;
       end $$`,
    )
    .execute(t.db.db);
  await sql`create trigger fail_start before update on verifications for each row execute function fail_start()`.execute(
    t.db.db,
  );
}

const hash = (token: string) => createHash('sha256').update(token).digest();
const linkOf = (token: string) =>
  t.db.db
    .selectFrom('verification_links')
    .selectAll()
    .where('token_hash', '=', hash(token))
    .executeTakeFirstOrThrow();
const verificationOf = (publicId: string) =>
  t.db.db.selectFrom('verifications').selectAll().where('public_id', '=', publicId).executeTakeFirstOrThrow();
const startedEvents = async (verificationId: string) =>
  (
    await t.db.db
      .selectFrom('audit_events')
      .select('id')
      .where('verification_id', '=', verificationId)
      .where('type', '=', 'verification.started')
      .execute()
  ).length;

/** After the failed Start(s): the link is unused, nothing started, and the requester's retry verifies. */
async function expectUntouchedThenRetryWorks(
  phone: Browser,
  link: string,
  csrf: string,
  token: string,
  publicId: string,
  stateBefore: string,
) {
  expect((await linkOf(token)).used_at).toBeNull();
  const v = await verificationOf(publicId);
  expect(v.state).toBe(stateBefore);
  expect(v.started_at).toBeNull();
  expect(await startedEvents(v.id)).toBe(0);

  await sql`drop trigger if exists fail_start on verifications`.execute(t.db.db);
  const retry = await start(phone, link, csrf);
  expect(retry.status).toBe(303);
  expect(retry.location).toBe('/v/result');
  expect((await phone.get(`${t.url}/v/result`)).text).toContain('You are verified');
  expect((await linkOf(token)).used_at).not.toBeNull();
  expect((await verificationOf(publicId)).state).toBe('passed');
  expect(await startedEvents(v.id)).toBe(1);
}

describe('issue 8 finding 2: a failure during Start never strands the verification (R4)', () => {
  it('issue 8 finding 2: a crash after the consume leaves the link unused (R4) — the transition step throws', async () => {
    const { link, token, publicId } = await freshLink(t, tickets[0]!, { seen });
    const phone = new Browser();
    const csrf = await open(phone, link);
    const before = await verificationOf(publicId);
    await failStart(before.id, 'raise');

    const failed = await start(phone, link, csrf);
    expect(failed.status).toBe(500);
    await expectUntouchedThenRetryWorks(phone, link, csrf, token, publicId, before.state);
  });

  it('issue 8 finding 2: an error in the silent checks after the consume leaves the link unused (R4)', async () => {
    const { link, token, publicId } = await freshLink(t, tickets[1]!, { seen });
    const phone = new Browser();
    const csrf = await open(phone, link);
    const before = await verificationOf(publicId);
    jest.spyOn(t.deps.assurance.network, 'lookup').mockImplementationOnce(() => {
      throw new Error('injected signal failure');
    });

    const failed = await start(phone, link, csrf);
    expect(failed.status).toBe(500);
    await expectUntouchedThenRetryWorks(phone, link, csrf, token, publicId, before.state);
  });

  it('issue 8 finding 2: the database connection dying mid-Start (as on kill -9), 20 Starts in parallel, leaves the link unused (R4)', async () => {
    const { link, token, publicId } = await freshLink(t, tickets[2]!, { seen });
    const phone = new Browser();
    const csrf = await open(phone, link);
    const before = await verificationOf(publicId);
    await failStart(before.id, 'terminate');

    const results = await Promise.all(Array.from({ length: 20 }, () => start(phone, link, csrf)));
    // No Start succeeded and none was told the link was already used: each one's connection died mid-transaction.
    expect(results.filter((r) => r.status === 303)).toHaveLength(0);
    expect(results.filter((r) => r.status === 410)).toHaveLength(0);
    await expectUntouchedThenRetryWorks(phone, link, csrf, token, publicId, before.state);
    // The service still answers normally after losing those connections.
    expect((await fetch(`${t.url}/health/ready`)).status).toBe(200);
  });
});
