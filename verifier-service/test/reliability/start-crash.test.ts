// Issue 8 finding 2 (R4, S4): Start consumes the link and moves the verification to in progress in one transaction,
// so a failure anywhere after the consume — an error in the decision or the transition, or the database connection
// dying mid-transaction as it does when the process is killed — leaves the link unused and the verification as it
// was (no challenge opened, no attempt counted against the account), and the requester's retry works (instead of
// "already used … tell your helpdesk right away"): it opens the challenge, which the requester then completes.
import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { build, type TestApp } from '../helper';
import type { Browser } from '../browser-client';
import { freshLink, open, ticketsWithContacts, type TicketRef } from '../flows';
import {
  answerAs,
  answerChallenge,
  callCodeFor,
  desktopChrome,
  deviceBrowser,
  homeCountryOf,
  knowledgeOf,
  startAs,
  type Device,
} from '../requester';
import { accountFailures } from '../../src/repositories/challenges';
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

const challengesOf = (verificationId: string) =>
  t.db.db
    .selectFrom('verification_challenges')
    .select(['verification_id', 'position'])
    .where('verification_id', '=', verificationId)
    .execute();
const attemptsOf = (ticket: TicketRef) =>
  accountFailures(t.db.db, t.deps.tenants.all()[0]!.id, `sys_id:${ticket.caller.sys_id}`);

/** The requester at home on their own desktop, with the link open (their anti-CSRF value in hand). */
async function requesterWith(ticket: TicketRef, link: string) {
  const device = desktopChrome(homeCountryOf(t, ticket.caller.sys_id));
  const phone = deviceBrowser(device);
  return { device, phone, csrf: await open(phone, link) };
}

/**
 * After the failed Start(s): the link is unused, nothing started, no challenge, no attempt counted; the requester's
 * retry (same browser, same anti-CSRF value) opens the challenge once, and answering it verifies.
 */
async function expectUntouchedThenRetryWorks(
  r: { phone: Browser; device: Device; csrf: string },
  fresh: { agent: Browser; link: string; token: string; publicId: string },
  ticket: TicketRef,
  stateBefore: string,
) {
  const { link, token, publicId } = fresh;
  expect((await linkOf(token)).used_at).toBeNull();
  const v = await verificationOf(publicId);
  expect({ state: v.state, step: v.step }).toEqual({ state: stateBefore, step: null });
  expect(v.started_at).toBeNull();
  expect(await startedEvents(v.id)).toBe(0);
  expect(await challengesOf(v.id)).toEqual([]);
  expect(await attemptsOf(ticket)).toBe(0);

  await sql`drop trigger if exists fail_start on verifications`.execute(t.db.db);
  const retry = await startAs(r.phone, link, r.csrf, r.device);
  expect(retry.status).toBe(303);
  expect(retry.location).toBe('/v/challenge');
  expect((await linkOf(token)).used_at).not.toBeNull();
  const started = await verificationOf(publicId);
  expect({ state: started.state, step: started.step }).toEqual({ state: 'in_progress', step: 'challenge' });
  expect(started.started_at).not.toBeNull();
  expect(await startedEvents(v.id)).toBe(1);
  expect(await challengesOf(v.id)).toEqual([{ verification_id: v.id, position: 0 }]);
  expect(await attemptsOf(ticket)).toBe(1); // the retry, and only it, counted

  const run = await answerChallenge(
    t,
    r.phone,
    answerAs(knowledgeOf(t, ticket.caller.sys_id), await callCodeFor(t, fresh.agent)),
  );
  expect(run.final.text).toContain('You are verified');
  expect((await verificationOf(publicId)).state).toBe('passed');
  expect(await startedEvents(v.id)).toBe(1);
}

describe('issue 8 finding 2: a failure during Start never strands the verification (R4)', () => {
  it('issue 8 finding 2: a crash after the consume leaves the link unused (R4) — the transition step throws', async () => {
    const ticket = tickets[0]!;
    const fresh = await freshLink(t, ticket, { seen });
    const r = await requesterWith(ticket, fresh.link);
    const before = await verificationOf(fresh.publicId);
    await failStart(before.id, 'raise');

    const failed = await startAs(r.phone, fresh.link, r.csrf, r.device);
    expect(failed.status).toBe(500);
    await expectUntouchedThenRetryWorks(r, fresh, ticket, before.state);
  });

  it('issue 8 finding 2: an error in the silent checks after the consume leaves the link unused (R4)', async () => {
    const ticket = tickets[1]!;
    const fresh = await freshLink(t, ticket, { seen });
    const r = await requesterWith(ticket, fresh.link);
    const before = await verificationOf(fresh.publicId);
    const lookup = jest.spyOn(t.deps.assurance.network, 'lookup').mockImplementationOnce(() => {
      throw new Error('injected signal failure');
    });

    const failed = await startAs(r.phone, fresh.link, r.csrf, r.device);
    expect(failed.status).toBe(500);
    expect(lookup).toHaveBeenCalled(); // the failure was the injected one, in the silent checks
    await expectUntouchedThenRetryWorks(r, fresh, ticket, before.state);
  });

  it('issue 8 finding 2: the database connection dying mid-Start (as on kill -9), 20 Starts in parallel, leaves the link unused (R4)', async () => {
    const ticket = tickets[2]!;
    const fresh = await freshLink(t, ticket, { seen });
    const r = await requesterWith(ticket, fresh.link);
    const before = await verificationOf(fresh.publicId);
    await failStart(before.id, 'terminate');

    const results = await Promise.all(
      Array.from({ length: 20 }, () => startAs(r.phone, fresh.link, r.csrf, r.device)),
    );
    // No Start succeeded and none was told the link was already used: each one's connection died mid-transaction.
    expect(results.filter((res) => res.status === 303)).toHaveLength(0);
    expect(results.filter((res) => res.status === 410)).toHaveLength(0);
    await expectUntouchedThenRetryWorks(r, fresh, ticket, before.state);
    // The service still answers normally after losing those connections.
    expect((await fetch(`${t.url}/health/ready`)).status).toBe(200);
  });
});
