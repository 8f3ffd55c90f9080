// Issue 8 finding 4 (S22): NUL and other control characters. Text read from ServiceNow is cleaned where it enters the
// service (a ticket whose caller name or short description holds a U+0000 can still be verified); control characters
// in any request — forms, JSON, query strings, path segments, provider webhooks — are refused with a 400 and a
// stable code, never a 500 from the database ("invalid byte sequence for encoding UTF8: 0x00").
import { build, type TestApp } from '../helper';
import { Browser, eventually } from '../browser-client';
import { agentOn, messageTo, send, ticketsWithContacts, ticketView, type TicketRef } from '../flows';
import { verifyAsGenuine } from '../requester';
import { rawRequest, signedWebhooks } from './support';

const webhooks = signedWebhooks('control-chars-twilio-token');

let t: TestApp;
let tickets: TicketRef[];
beforeAll(async () => {
  t = await build({
    env: {
      RATE_LIMIT_PER_IP_PER_MINUTE: '100000',
      ...webhooks.env,
      LOG_LEVEL: 'warn',
    },
  });
  await t.startWorker({ pollInterval: 50 });
  tickets = ticketsWithContacts(t, 3);
}, 60_000);
afterAll(() => t?.close(), 30_000);
jest.setTimeout(30_000);

// eslint-disable-next-line no-control-regex -- the test looks for control characters
const CONTROLS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
const code = (text: string) => (JSON.parse(text) as { error: { code: string } }).error.code;

describe('issue 8 finding 4: ServiceNow data with control characters (S22)', () => {
  it('issue 8 finding 4: a caller name and short_description with U+0000 still let the agent send, and the requester verify', async () => {
    const ticket = tickets[0]!;
    t.standin.store.update('sys_user', ticket.caller.sys_id, { name: `Abel\u0000 Tu\u0007ter` });
    t.standin.store.update('incident', ticket.sys_id, {
      short_description: `VPN\u0000 is \u001b down\u0000`,
      description: `First line\r\nsecond\u0000 line\twith a tab\u000b`,
    });
    const agent = await agentOn(t, { ticket });
    const view = await ticketView(t, agent);
    expect(view.ticket).toMatchObject({ subject: 'VPN is  down' });
    expect(view.requester).toMatchObject({ name: 'Abel Tuter' });

    const publicId = await send(t, agent, { channel: 'email', contactKey: 'email' });
    const row = await t.db.db
      .selectFrom('verifications')
      .selectAll()
      .where('public_id', '=', publicId)
      .executeTakeFirstOrThrow();
    expect(row.ticket_subject).toBe('VPN is  down');
    expect(row.requester_name).toBe('Abel Tuter');
    expect(CONTROLS.test(JSON.stringify(row))).toBe(false);

    // The message goes out and the requester verifies.
    const message = await messageTo(t, ticket.caller.email);
    expect(CONTROLS.test(message.text)).toBe(false);
    const { link } = message;
    const phone = new Browser();
    const landing = await phone.get(link);
    expect(landing.status).toBe(200);
    expect(CONTROLS.test(landing.text)).toBe(false);
    const run = await verifyAsGenuine(t, agent, link, ticket.caller.sys_id);
    expect(run.asked.length).toBeGreaterThanOrEqual(4);
    for (const q of run.asked) expect(CONTROLS.test(JSON.stringify(q))).toBe(false);
    expect(CONTROLS.test(run.final.text)).toBe(false);
    await eventually(async () =>
      t.db.db
        .selectFrom('verifications')
        .select('state')
        .where('public_id', '=', publicId)
        .where('state', '=', 'passed')
        .executeTakeFirst(),
    );
  });
});

describe('issue 8 finding 4: control characters in requests are refused with 400, never 500 (S22)', () => {
  it('issue 8 finding 4: a signed Twilio status callback whose MessageSid holds U+0000 → 400 VALIDATION_FAILED', async () => {
    for (const params of <Array<Record<string, string>>>[
      { MessageSid: 'SM\u0000abc', MessageStatus: 'delivered' },
      { MessageSid: 'SMabc', MessageStatus: 'failed', ErrorCode: '3000\u00003' },
      { SmsSid: '\u0000', SmsStatus: 'sent' },
    ]) {
      const path = '/webhooks/twilio/status';
      const res = await webhooks.twilio(t.url, path, params);
      expect({ params, status: res.status }).toEqual({ params, status: 400 });
      expect(code(res.text)).toBe('VALIDATION_FAILED');
    }
  });

  it('issue 8 finding 4: a signed SendGrid event batch with U+0000 in sg_message_id, delivery_id or reason → 400 VALIDATION_FAILED', async () => {
    for (const event of [
      { event: 'delivered', sg_message_id: 'abc\u0000.filter' },
      { event: 'delivered', sg_message_id: 'abc.filter', delivery_id: '\u0000' },
      { event: 'bounce', sg_message_id: 'abc.filter', reason: 'mailbox\u0000 full', status: '5.0.0' },
    ]) {
      const payload = JSON.stringify([event]);
      const res = await webhooks.sendgrid(t.url, payload);
      expect({ event, status: res.status }).toEqual({ event, status: 400 });
      expect(code(res.text)).toBe('VALIDATION_FAILED');
    }
  });

  it('issue 8 finding 4: control characters in the agent API, forms, query strings and paths → 400 with a stable code', async () => {
    const ticket = tickets[1]!;
    const agent = await agentOn(t, { ticket });
    const { csrf } = await ticketView(t, agent);
    for (const destination of ['a\u0000@example.com', '+1415555\u00000100', 'a\u0007b@example.com']) {
      const res = await agent.request(`${t.url}/agent/api/verifications`, {
        json: { channel: destination.startsWith('+') ? 'sms' : 'email', destination },
        headers: { 'x-csrf-token': csrf, accept: 'application/json' },
      });
      expect({ destination, status: res.status }).toEqual({ destination, status: 400 });
      expect(res.json().error.code).toBe('VALIDATION_FAILED');
    }
    const form = await agent.request(`${t.url}/agent/send`, {
      method: 'POST',
      form: { csrf, contact: 'typed', channel: 'email', destination: 'a\u0000@example.com' },
    });
    expect(form.status).toBe(400);
    expect(form.text).toMatch(/<html/);
    // Nothing was created by any of that.
    expect(
      await t.db.db
        .selectFrom('verifications')
        .select('id')
        .where('ticket_sys_id', '=', ticket.sys_id)
        .execute(),
    ).toHaveLength(0);

    for (const path of [
      `/v/${'A'.repeat(20)}%00${'A'.repeat(22)}`,
      '/agent/launch?token=abcdefghijk%00lmnop',
      '/webhooks/twilio/status?d=%00',
    ]) {
      const res = await rawRequest(t.url, {
        method: path.startsWith('/webhooks') ? 'POST' : 'GET',
        path,
        headers: { accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' },
        body: '',
      });
      expect({ path, status: res.status }).toEqual({ path, status: 400 });
    }
  });
});
