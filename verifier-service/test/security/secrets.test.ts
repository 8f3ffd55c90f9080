// SECURITY.md S19 (destinations encrypted at rest, masked to agents) and S20 (logs carry no tokens, codes, cookies,
// full destinations or launch JWTs): one full run at the most verbose log level — launch through the instance, send
// by SMS and by email (on file and typed), resend, cancel, open, start, the challenge, the manager's step-up for the
// typed address — then the database, every response the agent saw and every captured log line are searched for
// every secret the run issued.
import { build, DEMO_TICKET, type TestApp } from '../helper';
import { Browser, eventually, hiddenField } from '../browser-client';
import {
  agentOn,
  agentOp,
  messageTo,
  send,
  sendRaw,
  ticketsWithContacts,
  tokenOf,
  type TicketRef,
} from '../flows';
import {
  answerAs,
  answerChallenge,
  callCodeFor,
  desktopChrome,
  deviceBrowser,
  homeCountryOf,
  knowledgeOf,
  startAs,
} from '../requester';
import { columnsContaining, GENEROUS_LIMITS, parseSetCookies } from './support';

// Root-level jest runs ignore the preset's testTimeout (a global option); builds alone can take seconds.
jest.setTimeout(30_000);

let t: TestApp;
beforeAll(async () => {
  t = await build({ env: { ...GENEROUS_LIMITS, LOG_LEVEL: 'trace' } });
  await t.startWorker({ pollInterval: 50 });
});
afterAll(() => t.close());

/** Everything secret or personal the run issued or used; filled as the run goes. */
const secrets = new Map<string, string>(); // value → what it is
const remember = (what: string, value: string | null | undefined) => {
  if (!value) throw new Error(`no ${what} to remember`);
  secrets.set(value, what);
};
const secretNamed = (what: string) => {
  const found = [...secrets].find(([, w]) => w === what);
  if (!found) throw new Error(`no ${what} remembered`);
  return found[0];
};
/** Every body and header the agent's browser received. */
const agentSaw: string[] = [];
const digits = (phone: string) => phone.replace(/\D/g, '');

async function agentCall(agent: Browser, url: string, init: Parameters<Browser['request']>[1] = {}) {
  const res = await agent.request(url, init);
  agentSaw.push(res.text, JSON.stringify([...res.headers]));
  return res;
}

/** The genuine requester opens the link, presses Start and answers the call code `agent` reads and what they know. */
async function requesterCompletes(agent: Browser, link: string, requesterSysId: string) {
  const device = desktopChrome(homeCountryOf(t, requesterSysId));
  const phone = deviceBrowser(device);
  const landing = await phone.get(link);
  expect(landing.status).toBe(200);
  const nonce = parseSetCookies(landing.headers).find((c) => c.name === 'imper_start');
  remember('start nonce cookie', nonce?.value);
  const csrf = hiddenField(landing.text, 'csrf');
  remember('start CSRF value', csrf);
  const started = await startAs(phone, link, csrf, device);
  expect(started.status).toBe(303);
  expect(started.location).toBe('/v/challenge');
  remember(
    'requester session cookie',
    parseSetCookies(started.headers).find((c) => c.name === 'imper_requester')?.value,
  );
  const code = await callCodeFor(t, agent);
  const run = await answerChallenge(t, phone, answerAs(knowledgeOf(t, requesterSysId), code), {
    beforeEach: async (q) => remember('question CSRF value', q.csrf),
  });
  expect(run.asked.length).toBeGreaterThanOrEqual(4);
  return run;
}

/** The manager of `requesterSysId` approves from the emailed step-up link. */
async function managerApproves(requesterSysId: string) {
  const caller = t.standin.store.get('sys_user', requesterSysId)!;
  const manager = t.standin.store.get('sys_user', String(caller.manager))!;
  remember('manager email on file', String(manager.email));
  const mail = await messageTo(t, String(manager.email));
  remember('manager link', mail.link);
  remember('manager link token', tokenOf(mail.link));
  const boss = new Browser();
  const page = await boss.get(mail.link);
  expect(page.status).toBe(200);
  const csrf = hiddenField(page.text, 'csrf');
  remember('manager CSRF value', csrf);
  const approved = await boss.request(mail.link, { method: 'POST', form: { csrf, decision: 'approve' } });
  expect(approved.status).toBe(200);
}

let typedPhone: string;
let typedEmail: string;
let other: TicketRef;
const phoneOnFile = DEMO_TICKET.caller.mobile_phone;
const emailOnFile = DEMO_TICKET.caller.email;

describe('S19/S20: a full run, then the secrets it issued are looked for everywhere', () => {
  beforeAll(async () => {
    for (const s of t.issuedSecrets) remember('configured secret', s);
    other = ticketsWithContacts(t, 2)[1]!;
    typedPhone = '(312) 555-0199'; // typed by the agent, not on file; stored as +13125550199
    typedEmail = 'Private.Person+helpdesk@Example.NET';

    // The agent launches from the ticket through the instance (as in test/e2e).
    const agent = new Browser();
    const login = await agent.request(`${t.standin.url}/login.do`, {
      form: { user_name: 'beth.anglin', user_password: t.agentPassword },
    });
    expect([200, 302, 303]).toContain(login.status);
    const viaInstance = await agent.get(
      `${t.standin.url}/x_imper_verify_launch.do?table=incident&sys_id=${DEMO_TICKET.sys_id}`,
    );
    const jwt = new URL(viaInstance.location!).searchParams.get('token')!;
    remember('launch JWT', jwt);
    remember('launch JWT signature', jwt.split('.')[2]);
    const launched = await agentCall(agent, `${t.url}/agent/launch?token=${encodeURIComponent(jwt)}`);
    expect(launched.status).toBe(303);
    remember(
      'agent session cookie',
      parseSetCookies(launched.headers).find((c) => c.name === 'imper_agent')?.value,
    );

    const page = await agentCall(agent, `${t.url}/agent`);
    expect(page.status).toBe(200);
    const view = (
      await agentCall(agent, `${t.url}/agent/api/ticket`, { headers: { accept: 'application/json' } })
    ).json();
    remember('agent CSRF value', view.csrf);
    const json = (body: unknown) => ({
      json: body,
      headers: { 'x-csrf-token': view.csrf, accept: 'application/json' },
    });

    // 1. SMS to the mobile on file; the requester verifies.
    const sms = await agentCall(
      agent,
      `${t.url}/agent/api/verifications`,
      json({ channel: 'sms', contactKey: 'mobile_phone' }),
    );
    expect(sms.status).toBe(201);
    const smsMessage = await messageTo(t, phoneOnFile);
    remember('SMS link', smsMessage.link);
    remember('SMS link token', tokenOf(smsMessage.link));
    const smsRun = await requesterCompletes(agent, smsMessage.link, DEMO_TICKET.caller.sys_id);
    expect(smsRun.final.text).toContain('You are verified');
    await agentCall(agent, `${t.url}/agent/api/verifications/${sms.json().id}`, {
      headers: { accept: 'application/json' },
    });

    // 2. Email to a typed address (not on file): resent once, then the requester verifies with the new link, and
    //    the verification waits for the manager, who approves.
    const mail = await agentCall(
      agent,
      `${t.url}/agent/api/verifications`,
      json({ channel: 'email', destination: typedEmail }),
    );
    expect(mail.status).toBe(201);
    const firstMail = await messageTo(t, 'Private.Person+helpdesk@example.net');
    remember('email link (superseded)', tokenOf(firstMail.link));
    const resent = await agentCall(agent, `${t.url}/agent/api/verifications/${mail.json().id}/resend`, {
      method: 'POST',
      headers: { 'x-csrf-token': view.csrf, accept: 'application/json' },
    });
    expect(resent.status).toBe(200);
    const secondMail = await messageTo(t, 'Private.Person+helpdesk@example.net', new Set([firstMail.id]));
    remember('email link', secondMail.link);
    remember('email link token', tokenOf(secondMail.link));
    await requesterCompletes(agent, secondMail.link, DEMO_TICKET.caller.sys_id);
    const waiting = await t.db.db
      .selectFrom('verifications')
      .select(['state', 'step'])
      .where('public_id', '=', mail.json().id)
      .executeTakeFirstOrThrow();
    expect(waiting).toEqual({ state: 'in_progress', step: 'step_up' });
    await managerApproves(DEMO_TICKET.caller.sys_id);
    await agentCall(agent, `${t.url}/agent/api/verifications/${mail.json().id}`, {
      headers: { accept: 'application/json' },
    });

    // 3. SMS to a typed number, through the HTML form, then canceled.
    const form = await agentCall(agent, `${t.url}/agent/send`, {
      method: 'POST',
      form: { csrf: view.csrf, contact: 'typed', channel: 'sms', destination: typedPhone },
    });
    expect(form.status).toBe(303);
    const typedSms = await messageTo(t, '+13125550199');
    remember('typed-SMS link token', tokenOf(typedSms.link));
    const after = (
      await agentCall(agent, `${t.url}/agent/api/ticket`, { headers: { accept: 'application/json' } })
    ).json();
    const canceled = await agentCall(agent, `${t.url}/agent/verifications/${after.verification.id}/cancel`, {
      method: 'POST',
      form: { csrf: view.csrf },
    });
    expect(canceled.status).toBe(303);
    await agentCall(agent, `${t.url}/agent`);

    // 4. Email to the address on file from another ticket and agent session; the requester verifies.
    const agent2 = await agentOn(t, { ticket: other });
    await send(t, agent2, { channel: 'email', contactKey: 'email' });
    const otherMail = await messageTo(t, other.caller.email);
    remember('other email link token', tokenOf(otherMail.link));
    const otherRun = await requesterCompletes(agent2, otherMail.link, other.caller.sys_id);
    expect(otherRun.final.text).toContain('You are verified');
    // A refused send (already active would need one; use a bad contact) also goes through the logs.
    expect((await sendRaw(t, agent2, { channel: 'sms', contactKey: 'no-such-contact' })).status).toBe(400);
    await agentOp(t, agent2, 'VRF-ZZZZZZ', 'cancel');

    // Let the write-back outbox drain, so that its work (and its logging) is part of what is checked.
    await eventually(
      async () =>
        (
          await t.db.db
            .selectFrom('writeback_events')
            .select('id')
            .where('status', '<>', 'delivered')
            .execute()
        ).length === 0,
    );

    // Destinations, in every spelling that identifies them.
    for (const [what, value] of [
      ['phone on file', phoneOnFile],
      ['phone on file (digits)', digits(phoneOnFile).slice(1)],
      ['email on file', emailOnFile],
      ['typed phone', typedPhone],
      ['typed phone (E.164)', '+13125550199'],
      ['typed phone (digits)', '3125550199'],
      ['typed email', typedEmail],
      ['typed email (normalised)', 'Private.Person+helpdesk@example.net'],
      ['typed email (local part)', 'Private.Person+helpdesk'],
      ['other email on file', other.caller.email],
      ['other phone on file', other.caller.mobile_phone],
    ] as const) {
      remember(what, value);
    }
  });

  it('S20: no captured log line carries a secret, token, cookie, CSRF value, launch JWT or full destination', () => {
    const logs = t.logs.join('');
    // The scan is meaningful: the run logged plenty, at trace/debug level, about the very requests that carried them.
    expect(t.logs.length).toBeGreaterThan(50);
    expect(logs).toContain('"url":"/agent/launch"');
    expect(logs).toContain('"url":"/v/[token]/start"');
    expect(logs).toMatch(/"level":(10|20)/);
    const leaks = [...secrets].filter(([value]) => logs.includes(value)).map(([, what]) => what);
    expect(leaks).toEqual([]);
    // Nor, case-insensitively, any email address at all beyond masked ones.
    expect(logs.toLowerCase()).not.toContain(emailOnFile);
    expect(logs.toLowerCase()).not.toContain('private.person');
  });

  it('S19: destinations are stored encrypted (sealed, not containing them) and masked; the plain value is nowhere else in the database but the dev outbox', async () => {
    const rows = await t.db.db
      .selectFrom('verifications')
      .select(['channel', 'state', 'destination_sealed', 'destination_masked', 'destination_on_file'])
      .orderBy('created_at')
      .execute();
    expect(rows).toHaveLength(4);
    const plain = [phoneOnFile, 'Private.Person+helpdesk@example.net', '+13125550199', other.caller.email];
    rows.forEach((r, i) => {
      expect(r.destination_sealed).toMatch(/^v1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
      expect(t.deps.sealer.open(r.destination_sealed)).toBe(plain[i]); // it is the destination, encrypted
      expect(r.destination_sealed).not.toContain(plain[i]);
      if (r.channel === 'sms') expect(r.destination_sealed).not.toContain(digits(plain[i]!).slice(-7));
      else expect(r.destination_sealed.toLowerCase()).not.toContain(plain[i]!.split('@')[0]!.toLowerCase());
      expect(r.destination_masked).toContain('•');
      expect(r.destination_masked).not.toContain(plain[i]);
    });
    expect(rows.map((r) => r.destination_masked)).toEqual([
      '+•••••••0100',
      'P•••@example.net',
      '+•••••••0199',
      `${other.caller.email[0]}•••@example.com`,
    ]);
    expect(rows.map((r) => r.destination_on_file)).toEqual([true, false, false, true]);
    expect(rows.map((r) => r.state)).toEqual(['passed', 'passed', 'canceled', 'passed']);
    // A table-by-table scan: only the development transport's outbox (by design, it is the "sent" mail) has them.
    for (const value of [
      phoneOnFile,
      'Private.Person+helpdesk',
      '+13125550199',
      '3125550199',
      other.caller.email,
      secretNamed('manager email on file'),
    ]) {
      const hits = await columnsContaining(t, value);
      expect({ value, hits: hits.filter((h) => !h.startsWith('public.dev_messages.')) }).toEqual({
        value,
        hits: [],
      });
    }
  });

  it('S19: the manager’s address, the questions with their answers, the transcript and the call code are stored sealed', async () => {
    const sealed = /^v1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
    const managerEmail = secretNamed('manager email on file');
    const attestations = await t.db.db
      .selectFrom('attestations')
      .select(['destination_sealed', 'destination_masked', 'status'])
      .execute();
    expect(attestations).toHaveLength(1); // the typed address's step-up
    const [attestation] = attestations;
    expect(attestation!.status).toBe('approved');
    expect(attestation!.destination_sealed).toMatch(sealed);
    expect(t.deps.sealer.open(attestation!.destination_sealed)).toBe(managerEmail);
    expect(attestation!.destination_masked).toContain('•');
    expect(attestation!.destination_masked).not.toContain(managerEmail.split('@')[0]);

    const verifications = await t.db.db
      .selectFrom('verifications')
      .select(['state', 'transcript_sealed', 'call_code_sealed'])
      .where('state', '=', 'passed')
      .execute();
    expect(verifications).toHaveLength(3);
    for (const v of verifications) {
      expect(v.transcript_sealed).toMatch(sealed);
      expect(v.call_code_sealed).toMatch(sealed);
      expect(t.deps.sealer.open(v.call_code_sealed!)).toMatch(/\d{2}/); // it is the code, encrypted
      expect(t.deps.sealer.open(v.transcript_sealed!).length).toBeGreaterThan(20);
    }
    const challenges = await t.db.db
      .selectFrom('verification_challenges')
      .select('questions_sealed')
      .execute();
    expect(challenges).toHaveLength(3);
    for (const c of challenges) {
      expect(c.questions_sealed).toMatch(sealed);
      // The right answers are inside, encrypted: none of the person's facts appears in the stored value.
      expect(t.deps.sealer.open(c.questions_sealed).length).toBeGreaterThan(c.questions_sealed.length / 3);
    }
  });

  it('S19: no response to the agent (pages, JSON, headers) carries a full destination; the ticket notes only masked ones', () => {
    const seen = agentSaw.join('\n');
    expect(seen).toContain('•••'); // masked values were shown
    for (const value of [
      phoneOnFile,
      digits(phoneOnFile).slice(1),
      emailOnFile,
      typedEmail,
      'Private.Person+helpdesk',
      '+13125550199',
      '3125550199',
      '555-0199',
    ]) {
      expect({ value, found: seen.includes(value) }).toEqual({ value, found: false });
    }
    // Work notes written to ServiceNow name the destination masked only (the typed ones are not on the ticket).
    const notes = t.standin.store
      .query('sys_journal_field', `element_id=${DEMO_TICKET.sys_id}^element=work_notes`)
      .map((r) => String(r.value))
      .join('\n');
    expect(notes).toContain('•••');
    for (const value of ['Private.Person', '+13125550199', '3125550199', phoneOnFile])
      expect(notes).not.toContain(value);
  });
});
