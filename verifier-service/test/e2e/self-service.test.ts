// F7 self-service, over HTTP against the real stand-in and database: the page (CONTRACTS.md "Actions, self-service"),
// S8 (no enumeration: same status, body and headers for any identifier; no ServiceNow call on the request path, so
// the time cannot depend on the account — measured by `npm run bench:s8`, never asserted here), S9 (the link goes
// only to the contact on file: the mobile first), S16 (per-account and per-IP limits), S7 (anti-CSRF) and the whole
// path of a self-service password reset to the ticket closed.
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { build, DEMO_TICKET, type TestApp } from '../helper';
import { Browser, eventually, hiddenField } from '../browser-client';
import { messageTo, ticketsWithContacts, type DevMessage, type TicketRef } from '../flows';
import { desktopChrome, deviceBrowser, homeCountryOf, verifyAsGenuine } from '../requester';
import { identifierHash, runSelfServiceStart } from '../../src/services/self-service';
import { runExpire } from '../../src/services/delivery';

jest.setTimeout(60_000);

let t: TestApp;
let tickets: TicketRef[];
let workerStarted = false;
const seen = new Set<string>();

beforeAll(async () => {
  t = await build({ env: { RATE_LIMIT_DIRECT_STARTS_PER_ACCOUNT_PER_HOUR: '2' } });
  tickets = ticketsWithContacts(t, 12);
});
afterAll(() => t.close());

/** The first tests run without the worker: what the request path alone does is then visible. */
async function withWorker() {
  if (workerStarted) return;
  workerStarted = true;
  await t.startWorker();
}

let addresses = 0;
/** A browser at an address of its own, so the per-IP limits of one test never touch another's. */
function visitor(): Browser {
  addresses += 1;
  const b = new Browser();
  b.identity = { 'x-forwarded-for': `198.51.${Math.floor(addresses / 250)}.${(addresses % 250) + 1}` };
  return b;
}

/** GET the form (sets the cookie nonce), then POST it as a person would. */
async function ask(identifier: string, action = 'password_reset', b: Browser = visitor()) {
  const form = await b.get(`${t.url}/self-service`);
  expect(form.status).toBe(200);
  const csrf = hiddenField(form.text, 'csrf');
  return b.request(`${t.url}/self-service`, { form: { csrf, identifier, action } });
}

const user = (sysId: string) => t.standin.store.get('sys_user', sysId)!;

/** The outcomes the job recorded for an identifier, oldest first (its audit events name it only by HMAC). */
async function outcomesFor(identifier: string) {
  const rows = await t.db.db
    .selectFrom('audit_events')
    .select(['data', 'verification_id'])
    .where('type', '=', 'self_service.requested')
    .where(sql<boolean>`data->>'identifierHash' = ${identifierHash(t.deps, identifier)}`)
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    ...(r.data as unknown as { outcome: string; publicId: string; action: string }),
    verificationId: r.verification_id,
  }));
}
async function outcomeAfter(identifier: string, count: number) {
  return eventually(async () => {
    const all = await outcomesFor(identifier);
    return all.length >= count ? all[count - 1] : null;
  });
}

const devMessages = async () => (await fetch(`${t.url}/dev/messages`).then((r) => r.json())) as DevMessage[];
const incidentsCorrelated = (publicId: string) =>
  t.standin.store.query('incident', `correlation_id=${publicId}`);

/** Headers whose value is per-request by nature: the time, the limiter's clock, a request id. */
const PER_REQUEST = new Set(['date', 'x-ratelimit-reset', 'x-request-id']);
function headerShape(h: Headers) {
  const names = [...h.keys()].sort();
  const values = Object.fromEntries(names.filter((n) => !PER_REQUEST.has(n)).map((n) => [n, h.get(n)]));
  return { names, values };
}

describe('F7 self-service', () => {
  it('CONTRACTS: GET /self-service shows one identifier input, a select of actions, a hidden csrf and a submit button', async () => {
    const page = await visitor().get(`${t.url}/self-service`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.headers.get('cache-control')).toBe('no-store');
    expect(page.headers.get('set-cookie')).toMatch(/imper_start=[A-Za-z0-9_-]{43};.*HttpOnly/i);
    const form = /<form[^>]*action="\/self-service"[\s\S]*?<\/form>/.exec(page.text)?.[0] ?? '';
    expect(form).toMatch(/method="post"/);
    const inputs = [...form.matchAll(/<input\b[^>]*>/g)].map((m) => m[0]);
    expect(inputs.filter((i) => !/type="hidden"/.test(i))).toHaveLength(1);
    expect(inputs.find((i) => !/type="hidden"/.test(i))).toMatch(
      /name="identifier"[^>]*autocomplete="username"/,
    );
    expect(form).toContain('>User name or work email</label>');
    expect(form).toMatch(/<select[^>]*name="action"/);
    const options = [...form.matchAll(/<option value="([a-z_]+)"( selected)?/g)];
    expect(options.map((o) => o[1])).toEqual(['password_reset', 'account_unlock', 'mfa_reset']);
    expect(options[0]![2]).toBe(' selected');
    expect(form).toContain('What do you need?');
    expect(hiddenField(form, 'csrf')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(form.match(/<button[^>]*type="submit"/g)).toHaveLength(1);
    // French too, from the message files.
    const fr = await visitor().get(`${t.url}/self-service`, { 'accept-language': 'fr' });
    expect(fr.text).toContain('Nom d’utilisateur ou e-mail professionnel');
  });

  it('S8: known, unknown, known email, disabled and ambiguous accounts get the same status, body and headers — and no ServiceNow call', async () => {
    const known = tickets[1]!.caller;
    const disabled = t.standin.store.query('sys_user', 'active=false')[0]!;
    const shared = `shared.${randomBytes(3).toString('hex')}@example.org`;
    for (const n of [1, 2])
      t.standin.store.insert('sys_user', {
        user_name: `twin.${n}.${randomBytes(3).toString('hex')}`,
        name: `Twin ${n}`,
        email: shared,
        mobile_phone: `+1202555${String(1000 + n)}`,
        active: 'true',
      });
    const identifiers = {
      known: String(user(known.sys_id).user_name),
      unknown: `nobody.${randomBytes(4).toString('hex')}`,
      knownEmail: known.email,
      unknownEmail: `nobody.${randomBytes(4).toString('hex')}@example.org`,
      disabled: String(disabled.user_name),
      ambiguous: shared,
    };
    const before = t.standin.requests.all().length;
    const answers: Record<string, Awaited<ReturnType<typeof ask>>> = {};
    for (const [kind, id] of Object.entries(identifiers)) answers[kind] = await ask(id);
    // The request path never asked the instance anything (the worker is not running yet).
    expect(t.standin.requests.all().slice(before)).toEqual([]);

    const reference = answers.known!;
    expect(reference.status).toBe(200);
    expect(reference.text).toContain('If an account matches, we sent a link to the contact on file for it.');
    expect(reference.text).toContain(`It expires in ${t.config.linkTtlMinutes} minutes.`);
    expect(reference.text).toContain('Nothing arrived?');
    for (const [kind, res] of Object.entries(answers)) {
      expect({ kind, status: res.status }).toEqual({ kind, status: reference.status });
      // Byte-identical: the answer page carries no per-request nonce and nothing of the identifier.
      expect({ kind, body: res.text }).toEqual({ kind, body: reference.text });
      expect({ kind, headers: headerShape(res.headers) }).toEqual({
        kind,
        headers: headerShape(reference.headers),
      });
      expect(res.headers.get('set-cookie')).toBeNull();
      for (const id of Object.values(identifiers)) expect(res.text).not.toContain(id);
    }
    // The same work was queued for each: one job, the identifier sealed in it (never readable there either).
    const jobs = await sql<{ payload: Record<string, string> }>`
      select j.payload from graphile_worker._private_jobs j
        join graphile_worker._private_tasks k on k.id = j.task_id
       where k.identifier = 'self_service_start'`.execute(t.db.db);
    expect(jobs.rows).toHaveLength(Object.keys(identifiers).length);
    for (const j of jobs.rows) {
      expect(Object.keys(j.payload).sort()).toEqual(['action', 'identifierSealed', 'publicId', 'tenantId']);
      for (const id of Object.values(identifiers)) expect(JSON.stringify(j.payload)).not.toContain(id);
    }

    // Then the worker: the known account (by user name, then by email: already running) starts; the rest end quietly.
    await withWorker();
    expect((await outcomeAfter(identifiers.known, 1)).outcome).toBe('started');
    expect((await outcomeAfter(identifiers.knownEmail, 1)).outcome).toMatch(/^(started|already_running)$/);
    // S9: the one link goes to the mobile on file.
    await messageTo(t, known.mobile_phone, seen, '/v/');
    for (const kind of ['unknown', 'unknownEmail', 'disabled', 'ambiguous'] as const)
      expect({ kind, outcome: (await outcomeAfter(identifiers[kind], 1)).outcome }).toEqual({
        kind,
        outcome: 'unknown_account',
      });
    // S20: the identifiers are in no log line and no audit event.
    const audit = JSON.stringify(await t.db.db.selectFrom('audit_events').select('data').execute());
    for (const id of Object.values(identifiers)) {
      expect(t.logs.join('\n')).not.toContain(id);
      expect(audit).not.toContain(id);
    }
  });

  it('S8: bad input is answered by the form with a message, the same for every identifier', async () => {
    const empty = await ask('   ');
    expect(empty.status).toBe(400);
    expect(empty.text).toContain('Enter your user name or work email.');
    expect(empty.text).toMatch(/role="alert"/);
    expect(empty.text).toMatch(/name="identifier"[^>]*aria-invalid="true"/);
    const known = String(user(tickets[2]!.caller.sys_id).user_name);
    const long = [`${known}${'x'.repeat(300)}`, `nobody${'x'.repeat(300)}`].map((id) => ask(id));
    const [a, b] = await Promise.all(long);
    for (const r of [a!, b!]) {
      expect(r.status).toBe(400);
      expect(r.text).toContain('at most 254 characters');
      expect(r.text).not.toContain('xxxx');
    }
    // Only the per-browser anti-CSRF value differs.
    const norm = (s: string) => s.replace(/name="csrf" value="[^"]*"/, 'name="csrf" value=""');
    expect(norm(a!.text)).toBe(norm(b!.text));
    const action = await ask(known, 'delete_everything');
    expect(action.status).toBe(400);
    expect(action.text).toContain('Choose what you need from the list.');
  });

  it('S7: a POST without the anti-CSRF value, without the cookie (another site) or with a wrong one is refused, and queues nothing', async () => {
    const count = async () =>
      Number(
        (
          await sql<{
            n: string;
          }>`select count(*) as n from graphile_worker.jobs where task_identifier = 'self_service_start'`.execute(
            t.db.db,
          )
        ).rows[0]!.n,
      );
    const before = await count();
    const id = String(user(tickets[3]!.caller.sys_id).user_name);
    const b = visitor();
    const csrf = hiddenField((await b.get(`${t.url}/self-service`)).text, 'csrf');
    const missing = await b.request(`${t.url}/self-service`, { form: { identifier: id } });
    // Another site's form: the SameSite cookie is not sent, only the fields.
    const crossSite = await visitor().request(`${t.url}/self-service`, { form: { csrf, identifier: id } });
    const wrong = await b.request(`${t.url}/self-service`, {
      form: { csrf: 'x'.repeat(43), identifier: id },
    });
    const json = await b.request(`${t.url}/self-service`, { json: { csrf, identifier: id } });
    for (const r of [missing, crossSite, wrong, json]) {
      expect(r.status).toBe(403);
      expect(r.headers.get('content-type')).toMatch(/^text\/html/);
      expect(r.text).toContain('data-code="CSRF_FAILED"');
    }
    expect(await count()).toBe(before);
  });

  it('S9: a known account gets the link at its mobile on file only; an unknown one gets nothing and no ticket', async () => {
    await withWorker();
    const tk = tickets[4]!;
    const unknown = `nobody.${randomBytes(4).toString('hex')}`;
    const incidents = t.standin.store.query('incident').length;
    const messagesBefore = (await devMessages()).length;
    await ask(String(user(tk.caller.sys_id).user_name), 'account_unlock');
    await ask(unknown, 'account_unlock');
    const sms = await messageTo(t, tk.caller.mobile_phone, seen, '/v/');
    expect(sms.channel).toBe('sms');
    const started = await outcomeAfter(String(user(tk.caller.sys_id).user_name), 1);
    expect(started.outcome).toBe('started');
    expect((await outcomeAfter(unknown, 1)).outcome).toBe('unknown_account');
    const v = await t.db.db
      .selectFrom('verifications')
      .selectAll()
      .where('public_id', '=', started.publicId)
      .executeTakeFirstOrThrow();
    expect({
      by: v.initiated_by,
      channel: v.channel,
      onFile: v.destination_on_file,
      action: v.action,
    }).toEqual({
      by: 'self_service',
      channel: 'sms',
      onFile: true,
      action: 'account_unlock',
    });
    // Exactly one new message (the SMS), none to the email on file, one new ticket (the known account's).
    await new Promise((r) => setTimeout(r, 500));
    const after = (await devMessages()).slice(0, (await devMessages()).length - messagesBefore);
    expect(after.map((m) => m.to)).toEqual([tk.caller.mobile_phone]);
    expect(t.standin.store.query('incident').length).toBe(incidents + 1);
    const unknownOutcome = await outcomeAfter(unknown, 1);
    expect(incidentsCorrelated(unknownOutcome.publicId)).toHaveLength(0);
    expect(incidentsCorrelated(started.publicId)).toHaveLength(1);
  });

  it('S16: a second start while one runs sends nothing new; starts per account per hour are limited; 10 requests per IP per minute', async () => {
    await withWorker();
    const tk = tickets[5]!;
    const id = String(user(tk.caller.sys_id).user_name);
    await ask(id);
    const first = await outcomeAfter(id, 1);
    expect(first.outcome).toBe('started');
    await messageTo(t, tk.caller.mobile_phone, seen, '/v/');
    await ask(id);
    expect((await outcomeAfter(id, 2)).outcome).toBe('already_running');
    // The first one times out; a new start is allowed (2 an hour here), then the limit.
    t.clock.advance!((t.config.linkTtlMinutes + 1) * 60_000);
    expect(await runExpire(t.deps, first.verificationId!)).toBe(true);
    await ask(id);
    const third = await outcomeAfter(id, 3);
    expect(third.outcome).toBe('started');
    await messageTo(t, tk.caller.mobile_phone, seen, '/v/');
    t.clock.advance!((t.config.linkTtlMinutes + 1) * 60_000);
    expect(await runExpire(t.deps, third.verificationId!)).toBe(true);
    await ask(id);
    expect((await outcomeAfter(id, 4)).outcome).toBe('rate_limited');
    // Nothing was sent for the second and the fourth: only the two links reached the mobile.
    await new Promise((r) => setTimeout(r, 500));
    const toMobile = (await devMessages()).filter(
      (m) => m.to === tk.caller.mobile_phone && m.link?.includes('/v/'),
    );
    expect(toMobile).toHaveLength(2);
    const verifications = await t.db.db
      .selectFrom('verifications')
      .select('id')
      .where('requester_sys_id', '=', tk.caller.sys_id)
      .execute();
    expect(verifications).toHaveLength(2);

    // The per-IP limit of the form: the 11th POST from one address within a minute is refused, whatever it names.
    const b = visitor();
    const csrf = hiddenField((await b.get(`${t.url}/self-service`)).text, 'csrf');
    const statuses: number[] = [];
    let limited: Awaited<ReturnType<Browser['request']>> | null = null;
    for (let i = 0; i < 11; i++) {
      const r = await b.request(`${t.url}/self-service`, {
        form: { csrf, identifier: i % 2 ? id : `nobody.${i}` },
      });
      statuses.push(r.status);
      limited = r;
    }
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(200));
    expect(limited!.status).toBe(429);
    expect(limited!.headers.get('retry-after')).toMatch(/^[0-9]+$/);
    expect(limited!.text).toContain('data-code="RATE_LIMITED"');
  });

  it('R3: a start retried with the same public ID creates one ticket and one verification', async () => {
    await withWorker();
    // (1) The job run again after it succeeded (its completion lost): the same verification, no second ticket.
    const tk = tickets[6]!;
    const job = {
      tenantId: t.deps.tenants.all()[0]!.id,
      identifierSealed: t.deps.sealer.seal(tk.caller.email),
      action: 'password_reset' as const,
      publicId: `VRF-R3${randomBytes(2).toString('hex').toUpperCase()}`,
    };
    expect(await runSelfServiceStart(t.deps, job)).toBe('started');
    expect(await runSelfServiceStart(t.deps, job)).toBe('started');
    expect(incidentsCorrelated(job.publicId)).toHaveLength(1);
    const rows = await t.db.db
      .selectFrom('verifications')
      .select(['public_id', 'ticket_sys_id'])
      .where('requester_sys_id', '=', tk.caller.sys_id)
      .execute();
    expect(rows).toEqual([
      { public_id: job.publicId, ticket_sys_id: incidentsCorrelated(job.publicId)[0]!.sys_id },
    ]);

    // (2) An attempt that created the ticket and then died: the retry finds that ticket by correlation_id.
    const tk2 = tickets[7]!;
    const publicId = `VRF-R3${randomBytes(2).toString('hex').toUpperCase()}`;
    const orphan = t.standin.store.insert('incident', {
      caller_id: tk2.caller.sys_id,
      short_description: 'Password reset requested through self-service',
      correlation_id: publicId,
      contact_type: 'self-service',
    });
    expect(
      await runSelfServiceStart(t.deps, {
        ...job,
        identifierSealed: t.deps.sealer.seal(String(user(tk2.caller.sys_id).user_name)),
        publicId,
      }),
    ).toBe('started');
    expect(incidentsCorrelated(publicId).map((r) => r.sys_id)).toEqual([orphan.sys_id]);

    // (3) ServiceNow failing on the first attempt: the worker retries the job, still one ticket.
    const tk3 = tickets[8]!;
    const id3 = String(user(tk3.caller.sys_id).user_name);
    // More 503s than the client's own attempts (3): the first run of the job fails as a whole.
    const logged = t.logs.length;
    t.standin.faults.enqueue(
      ...Array.from({ length: 3 }, () => ({
        kind: 'status' as const,
        status: 503 as const,
        match: { method: 'GET', pathPrefix: '/api/now/table/sys_user' },
      })),
    );
    await ask(id3);
    const retried = await eventually(async () => (await outcomesFor(id3))[0], { timeoutMs: 30_000 });
    expect(retried.outcome).toBe('started');
    const failedRuns = t.logs
      .slice(logged)
      .filter((l) => /self_service_start/.test(l) && /fail/i.test(l) && /"level":(40|50)/.test(l));
    expect(failedRuns.length).toBeGreaterThanOrEqual(1);
    expect(t.logs.join('\n')).not.toContain(id3);
    expect(incidentsCorrelated(retried.publicId)).toHaveLength(1);
  });

  it('F7: self-service password reset → genuine verification at Verified → new password → ticket for the record Resolved then Closed, S11 notice', async () => {
    await withWorker();
    const tk = tickets.find((x) => x.sys_id === DEMO_TICKET.sys_id)!;
    const sysId = tk.caller.sys_id;
    const userName = String(user(sysId).user_name);
    await ask(userName, 'password_reset');
    const started = await outcomeAfter(userName, 1);
    expect(started.outcome).toBe('started');
    const sms = await messageTo(t, tk.caller.mobile_phone, seen, '/v/');
    const phone = deviceBrowser(desktopChrome(homeCountryOf(t, sysId)));
    const run = await verifyAsGenuine(t, null, sms.link, sysId, { phone });
    expect(run.asked.map((q) => q.kind)).not.toContain('call_code');
    expect(run.final.status).toBe(200);
    expect(run.final.text).toMatch(/<form[^>]*data-step="action"[^>]*data-action="password_reset"/);
    const v = await t.db.db
      .selectFrom('verifications')
      .selectAll()
      .where('public_id', '=', started.publicId)
      .executeTakeFirstOrThrow();
    expect({ state: v.state, risk: v.risk_level }).toEqual({ state: 'passed', risk: 'verified' });

    const csrf = hiddenField(run.final.text, 'csrf');
    const password = 'harbour lantern pebble violet 58';
    const done = await phone.request(`${t.url}/v/action`, { form: { csrf, password, confirm: password } });
    expect(done.status).toBe(303);
    const login = await fetch(`${t.standin.url}/login.do`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ user_name: userName, user_password: password }).toString(),
      redirect: 'manual',
    });
    await login.text();
    expect(login.status).toBe(302);
    expect(login.headers.get('set-cookie') ?? '').toContain('JSESSIONID=');

    // The ticket created for the record: the user as caller, in the policy's category, from self-service.
    const [ticket] = incidentsCorrelated(started.publicId);
    expect(ticket).toBeDefined();
    expect({
      caller: ticket!.caller_id,
      category: ticket!.category,
      contact: ticket!.contact_type,
      correlation: ticket!.correlation_id,
    }).toEqual({
      caller: sysId,
      category: 'password_reset',
      contact: 'self-service',
      correlation: started.publicId,
    });
    const ticketId = String(ticket!.sys_id);
    expect(v.ticket_sys_id).toBe(ticketId);
    // Resolved, then Closed (7), with a valid close code and a work note, once.
    await eventually(async () => t.standin.store.get('incident', ticketId)?.state === '7', {
      timeoutMs: 30_000,
    });
    const closed = t.standin.store.get('incident', ticketId)!;
    const codes = t.standin.store
      .query('sys_choice', 'name=incident^element=close_code')
      .map((c) => String(c.value));
    expect(codes).toContain(String(closed.close_code));
    expect(String(closed.close_notes)).toContain(started.publicId);
    // Resolved on the way (the scoped app's close route resolves, then closes): both stamps, in that order.
    expect(String(closed.resolved_at)).not.toBe('');
    expect(String(closed.closed_at)).not.toBe('');
    expect(String(closed.resolved_at) <= String(closed.closed_at)).toBe(true);
    const notes = t.standin.store.journal(ticketId, 'work_notes');
    expect(notes.length).toBeGreaterThan(0);
    expect(notes.filter((n) => n.value.includes('close]'))).toHaveLength(1);

    // S11: the notice with "This wasn't me" reaches the contacts on file.
    const notice = await messageTo(t, tk.caller.email, seen, '/r/');
    expect(notice.text).toContain('password of your account was changed');
    const page = await new Browser().get(notice.link);
    expect(page.text).toContain('This wasn&#39;t me');
    expect(t.logs.join('\n')).not.toContain(password);
  });
});
