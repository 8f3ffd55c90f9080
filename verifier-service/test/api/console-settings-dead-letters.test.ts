// The console's failed ticket updates (F8 §6; SECURITY.md R2, R3, S18): a write-back ServiceNow refused is
// dead-lettered by the running worker (the stand-in refuses the write, as a data policy would), listed for the
// tenant's admin and operator, retried from the page as an operator through the command's own re-drive, and then
// delivered once (one work note). Auditors get 403; another tenant's operator neither sees nor re-drives it.
import { build, type TestApp } from '../helper';
import { ConsoleBrowser, consoleSignIn, consoleUser } from '../console';
import { hiddenField } from '../browser-client';
import { createConsoleSession } from '../../src/services/console-auth';
import { cookieName } from '../../src/lib/cookies';
import {
  auditTypes,
  eventRow,
  incidents,
  notesWithMarker,
  passedVerification,
  recordEvent,
  sleep,
  waitFor,
} from '../reliability/fixtures';

jest.setTimeout(60_000);

let t: TestApp;
let tickets: string[];
let operator: ConsoleBrowser;
let operatorName: string;
let admin: ConsoleBrowser;
let auditor: ConsoleBrowser;
let otherOperator: ConsoleBrowser;
/** The ticket the stand-in refuses writes to while `refusing` holds it */
let refusing: string | null = null;

const API = '/console/api/settings/dead-letters';
const PAGE = '/console/settings/dead-letters';

beforeAll(async () => {
  t = await build();
  await t.startWorker({ pollInterval: 50 });
  tickets = incidents(t);
  // As a data policy refuses a write ServiceNow considers incomplete: 403, not retried (R2), dead at once.
  t.standin.hooks.beforeWrite((ctx) =>
    refusing && ctx.table === 'incident' && ctx.op === 'update' && ctx.record.sys_id === refusing
      ? {
          abort: {
            message: 'Operation Failed',
            detail: 'Data Policy Exception: The following fields are mandatory: Resolution code',
          },
        }
      : undefined,
  );
  const op = await consoleUser(t, 'operator');
  operatorName = op.username;
  operator = await consoleSignIn(t, op);
  admin = await consoleSignIn(t, await consoleUser(t, 'admin'));
  auditor = await consoleSignIn(t, await consoleUser(t, 'auditor'));
  // A second tenant (its row; no configured instance, so no sign-in form): its operator gets a session as sign-in
  // makes one, and the anti-CSRF value from a page, as a browser would.
  const other = await t.deps.db
    .insertInto('tenants')
    .values({
      slug: 'other-helpdesk',
      name: 'Other helpdesk',
      instance_url: 'http://127.0.0.1:9',
      auth_type: 'basic',
      credentials_sealed: t.deps.sealer.seal('{}'),
      launch_secret_sealed: t.deps.sealer.seal('x'),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const theirs = await consoleUser(t, 'operator', { tenantId: other.id });
  const session = await createConsoleSession(t.deps, { userId: theirs.id, via: 'password' });
  otherOperator = new ConsoleBrowser();
  otherOperator.identity = { cookie: `${cookieName(t.config, 'console')}=${session.cookieValue}` };
  otherOperator.csrf = hiddenField((await otherOperator.get(`${t.url}/console`)).text, 'csrf');
}, 60_000);
afterAll(() => t?.close());

/** A real dead letter: a decided verification whose outcome ServiceNow refuses (403 from a data policy). */
async function deadLetter(ticket: string) {
  const v = await passedVerification(t, ticket);
  refusing = ticket;
  const event = await recordEvent(t, v, 'outcome');
  await waitFor('the event dead-lettered', async () => (await eventRow(t, event.id)).status === 'dead');
  refusing = null;
  return { v, event };
}

describe('F8 §6 failed ticket updates: roles', () => {
  it('admin and operator open the page and the API; auditor 403 everywhere; no session 401 / sign-in', async () => {
    for (const b of [admin, operator]) {
      expect((await b.get(`${t.url}${PAGE}`)).status).toBe(200);
      expect((await b.get(`${t.url}${API}`)).status).toBe(200);
    }
    expect((await auditor.get(`${t.url}${PAGE}`)).status).toBe(403);
    expect((await auditor.get(`${t.url}${API}`)).status).toBe(403);
    const retry = await auditor.post(`${t.url}${API}/retry`, { all: true });
    expect(retry.status).toBe(403);
    expect(retry.json().error.code).toBe('CONSOLE_FORBIDDEN');
    const form = await auditor.request(`${t.url}${PAGE}/retry`, {
      form: { csrf: auditor.csrf, ids: '00000000-0000-4000-8000-000000000000' },
    });
    expect(form.status).toBe(403);
    const anon = new ConsoleBrowser();
    expect((await anon.get(`${t.url}${API}`)).status).toBe(401);
    const page = await anon.get(`${t.url}${PAGE}`);
    expect(page.status).toBe(303);
    expect(page.location).toBe(`/console/login?next=${encodeURIComponent(PAGE)}`);
  });
});

describe('F8 §6 failed ticket updates: a real dead letter, retried', () => {
  it('R2: listed for the tenant; S18: not for another; R3: retried by an operator, delivered once', async () => {
    const { v, event } = await deadLetter(tickets[0]!);
    expect(notesWithMarker(t, v, event.seq)).toBe(0);

    // Listed: ticket, verification, what it was, attempts, the error's code and line, since when.
    const list = (await operator.get(`${t.url}${API}`)).json();
    expect(list.total).toBe(1);
    expect(list.items).toHaveLength(1);
    const item = list.items[0];
    expect(item).toMatchObject({
      id: event.id,
      publicId: v.publicId,
      ticketNumber: v.ticketNumber,
      kind: 'outcome',
      attempts: 1,
      error: { code: 'http 403' },
    });
    expect(item.error.detail).toContain('Operation Failed');
    expect(Date.parse(item.deadAt)).toBeGreaterThanOrEqual(Date.parse(item.createdAt));
    const page = await operator.get(`${t.url}${PAGE}`);
    expect(page.text).toContain(`href="/console/verifications/${v.publicId}"`);
    expect(page.text).toContain(v.ticketNumber);
    expect(page.text).toContain('Outcome');
    expect(page.text).toContain('<code>http 403</code>');
    expect(page.text).toContain(`name="ids" value="${event.id}"`);
    expect(page.text).toContain('Retry all shown (1)');

    // S18: another tenant's operator sees nothing and re-drives nothing, by id or "all".
    const theirs = (await otherOperator.get(`${t.url}${API}`)).json();
    expect(theirs).toEqual({ items: [], nextCursor: null, total: 0 });
    expect((await otherOperator.get(`${t.url}${PAGE}`)).text).not.toContain(event.id);
    const byId = await otherOperator.post(`${t.url}${API}/retry`, { ids: [event.id] });
    expect(byId.status).toBe(200);
    expect(byId.json()).toEqual({ queued: 0, ids: [], skipped: [event.id] });
    expect((await otherOperator.post(`${t.url}${API}/retry`, { all: true })).json().queued).toBe(0);
    const theirForm = await otherOperator.request(`${t.url}${PAGE}/retry`, {
      form: { csrf: otherOperator.csrf, ids: event.id },
    });
    expect(theirForm.status).toBe(303);
    expect(theirForm.location).toBe(`${PAGE}?queued=0&skipped=1`);
    expect((await eventRow(t, event.id)).status).toBe('dead');

    // The form needs the anti-CSRF value.
    const noCsrf = await operator.request(`${t.url}${PAGE}/retry`, { form: { ids: event.id } });
    expect(noCsrf.status).toBe(403);
    expect((await eventRow(t, event.id)).status).toBe('dead');

    // The operator retries it from the page (the cause fixed: the stand-in accepts the write again).
    const retried = await operator.request(`${t.url}${PAGE}/retry`, {
      form: { csrf: operator.csrf, ids: event.id },
    });
    expect(retried.status).toBe(303);
    expect(retried.location).toBe(`${PAGE}?queued=1&skipped=0`);
    const after = await operator.get(`${t.url}${retried.location}`);
    expect(after.text).toContain('Queued again: 1.');
    await waitFor('the re-driven event delivered', async () => {
      const row = await eventRow(t, event.id);
      return row.status === 'delivered' && row;
    });
    expect(notesWithMarker(t, v, event.seq)).toBe(1);
    expect(t.standin.store.get('incident', tickets[0]!)).toMatchObject({ x_imper_verify_id: v.publicId });
    // Audited once per event by the re-drive itself, naming the console user; nothing else.
    expect(await auditTypes(t, v.id)).toEqual([
      'ticket.update_dead',
      'ticket.update_redriven',
      'ticket.updated',
    ]);
    const redriven = await t.deps.db
      .selectFrom('audit_events')
      .select(['actor', 'data'])
      .where('verification_id', '=', v.id)
      .where('type', '=', 'ticket.update_redriven')
      .executeTakeFirstOrThrow();
    expect(redriven.actor).toBe(`console:${operatorName}`);
    expect(redriven.data).toMatchObject({ kind: 'outcome', seq: event.seq, eventId: event.id });

    // Retrying again changes nothing: it is no longer dead, and no second note is written (R3).
    const again = (await operator.post(`${t.url}${API}/retry`, { ids: [event.id] })).json();
    expect(again).toEqual({ queued: 0, ids: [], skipped: [event.id] });
    await sleep(500);
    expect(notesWithMarker(t, v, event.seq)).toBe(1);
    expect((await operator.get(`${t.url}${API}`)).json().total).toBe(0);
    expect((await operator.get(`${t.url}${PAGE}`)).text).toContain('No failed ticket updates');
  });

  it('keyset pages newest first, redacts contacts from the error line, refuses foreign cursors; all: true', async () => {
    const tenantId = t.deps.tenants.all()[0]!.id;
    const base = Date.now() - 3_600_000;
    const made: string[] = [];
    for (let i = 0; i < 5; i++) {
      const ticket = tickets[1 + i]!;
      const v = await passedVerification(t, ticket);
      const row = await t.deps.db
        .insertInto('writeback_events')
        .values({
          tenant_id: tenantId,
          verification_id: v.id,
          seq: 1,
          kind: i % 2 ? 'sent' : 'outcome',
          fields: JSON.stringify({}),
          work_note: `imper.ai verification ${v.publicId}: note ${i}`,
          status: 'dead',
          attempts: 7,
          last_error: `http 400: ServiceNow PATCH /api/now/table/incident/${ticket}: Invalid value abel.tuter@example.com or +1 415 555 0100`,
          ticket_table: 'incident',
          ticket_sys_id: ticket,
          // Two share a time: the id breaks the tie.
          dead_at: new Date(base + Math.min(i, 3) * 60_000),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      made.push(row.id);
    }
    const seen: Array<{ id: string; deadAt: string; error: { detail: string } }> = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await admin.get(`${t.url}${API}?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.status).toBe(200);
      const body = res.json();
      expect(body.total).toBe(5);
      seen.push(...body.items);
      cursor = body.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen.map((s) => s.id).sort()).toEqual([...made].sort());
    const times = seen.map((s) => Date.parse(s.deadAt));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    for (const s of seen) {
      expect(s.error.detail).not.toContain('example.com');
      expect(s.error.detail).not.toContain('415 555 0100');
      expect(s.error.detail).toContain('[number]');
      expect(s.error.detail).toContain('[address]');
    }
    // A cursor is bound to its tenant, and to what the list gave out.
    const first = (await admin.get(`${t.url}${API}?limit=2`)).json();
    const foreign = await otherOperator.get(`${t.url}${API}?cursor=${first.nextCursor}`);
    expect(foreign.status).toBe(400);
    expect(foreign.json().error.code).toBe('CURSOR_INVALID');
    const forged = `${first.nextCursor.split('.')[0]}.AAAAAAAAAAAAAAAAAAAAAA`;
    expect((await admin.get(`${t.url}${API}?cursor=${forged}`)).json().error.code).toBe('CURSOR_INVALID');
    const older = await admin.get(`${t.url}${PAGE}?cursor=${first.nextCursor}`);
    expect(older.status).toBe(200);
    expect(older.text).toContain('Newest failed updates');

    // Bad input: a clear 400, nothing re-driven.
    for (const body of [{}, { ids: ['not-an-id'] }, { ids: [made[0]], all: true }, { ids: [] }]) {
      const res = await operator.post(`${t.url}${API}/retry`, body);
      expect(res.status).toBe(400);
      expect(res.json().error.code).toBe('VALIDATION_FAILED');
    }
    expect((await operator.request(`${t.url}${PAGE}/retry`, { form: { csrf: operator.csrf } })).status).toBe(
      400,
    );
    expect((await admin.get(`${t.url}${API}`)).json().total).toBe(5);

    // All of the tenant's at once (the JSON API); the worker delivers each once.
    const all = (await operator.post(`${t.url}${API}/retry`, { all: true })).json();
    expect(all.queued).toBe(5);
    expect([...all.ids].sort()).toEqual([...made].sort());
    await waitFor('all five delivered', async () => {
      const rows = await Promise.all(made.map((id) => eventRow(t, id)));
      return rows.every((r) => r.status === 'delivered');
    });
    expect((await admin.get(`${t.url}${API}`)).json().total).toBe(0);
  });
});
