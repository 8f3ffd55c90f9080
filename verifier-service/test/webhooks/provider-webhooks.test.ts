// SECURITY.md S17 end to end with the real SDKs: the service sends through `twilio` and `@sendgrid/mail` to the
// provider stand-ins, which call back exactly as the providers do (signed Twilio status callbacks, the signed
// SendGrid event webhook). Signed callbacks move the delivery; failures reach the agent and the ticket once (R5);
// forged callbacks are refused with 403 WEBHOOK_SIGNATURE_INVALID and change nothing.
import { createHmac, generateKeyPairSync, sign } from 'node:crypto';
import {
  startProviderStandins,
  twilioSignature,
  type CallbackAttempt,
  type ProviderStandins,
} from '@imper/provider-standins';
import { build, DEMO_TICKET, type TestApp } from '../helper';
import { eventually } from '../browser-client';
import { launchAgent, rawRequest } from '../api/support';

const TWILIO = { accountSid: `AC${'0123456789abcdef'.repeat(2)}`, authToken: 'webhook-e2e-twilio-token' };
const SENDGRID = { apiKey: 'SG.webhook-e2e.key' };

let providers: ProviderStandins;
let t: TestApp;
let agent: { csrf: string; cookie: string };
// Real time plus an offset the stale-timestamp test can move (a frozen clock would give every row the same time).
let offsetMs = 0;
const clock = { now: () => new Date(Date.now() + offsetMs) };

beforeAll(async () => {
  providers = await startProviderStandins({ twilio: TWILIO, sendgrid: SENDGRID, callbackDelayMs: 10 });
  t = await build({
    clock,
    env: {
      EMAIL_PROVIDER: 'sendgrid',
      SMS_PROVIDER: 'twilio',
      SENDGRID_API_KEY: SENDGRID.apiKey,
      SENDGRID_FROM_EMAIL: 'helpdesk@example.com',
      SENDGRID_BASE_URL: providers.url,
      SENDGRID_WEBHOOK_PUBLIC_KEY: providers.sendgridPublicKey,
      TWILIO_ACCOUNT_SID: TWILIO.accountSid,
      TWILIO_AUTH_TOKEN: TWILIO.authToken,
      TWILIO_FROM: '+15005550006',
      TWILIO_BASE_URL: providers.url,
      RATE_LIMIT_PER_IP_PER_MINUTE: '100000',
    },
  });
  providers.setSendgridEventWebhookUrl(`${t.url}/webhooks/sendgrid/events`);
  await t.startWorker({ pollInterval: 50 });
  agent = await launchAgent(t);
}, 60_000);
afterAll(async () => {
  await t?.close();
  await providers?.close();
}, 30_000);
jest.setTimeout(30_000);

const api = (method: string, path: string, json?: unknown) =>
  rawRequest(t.url, {
    method,
    path,
    headers: {
      cookie: agent.cookie,
      'x-csrf-token': agent.csrf,
      accept: 'application/json',
      ...(json ? { 'content-type': 'application/json' } : {}),
    },
    ...(json ? { body: JSON.stringify(json) } : {}),
  }).then((r) => ({ status: r.status, body: JSON.parse(r.text) }));

const view = async (id: string) => (await api('GET', `/agent/api/verifications/${id}`)).body;
const notes = () =>
  t.standin.store
    .query('sys_journal_field', `element_id=${DEMO_TICKET.sys_id}^element=work_notes`)
    .map((r) => String(r.value));
const ticket = () => t.standin.store.get('incident', DEMO_TICKET.sys_id)!;

async function sendAndSettle(body: Record<string, string>) {
  const sent = await api('POST', '/agent/api/verifications', body);
  expect(sent.status).toBe(201);
  const id = sent.body.id as string;
  await eventually(async () => (await view(id)).state !== 'sending', { timeoutMs: 10_000 });
  return id;
}

async function finish(id: string) {
  const v = await view(id);
  if (['sending', 'sent', 'in_progress'].includes(v.state))
    expect((await api('POST', `/agent/api/verifications/${id}/cancel`)).status).toBe(200);
}

/** Waits until the worker has nothing due (writebacks, deliveries), so a snapshot is not raced by earlier work. */
async function quiet() {
  await providers.idle();
  await eventually(
    async () =>
      (await t.db.pool.query('select count(*)::int as n from graphile_worker.jobs where run_at <= now()'))
        .rows[0].n === 0,
  );
}

async function state() {
  const q = async (text: string) => (await t.db.pool.query(text)).rows;
  return {
    verifications: await q(
      'select public_id, state, attention, updated_at from verifications order by public_id',
    ),
    deliveries: await q('select id, status, error_code, updated_at from deliveries order by id'),
    audit: await q('select count(*)::int as n from audit_events'),
    writeback: await q('select count(*)::int as n from writeback_events'),
  };
}

describe('S17: provider webhooks end to end through the real SDKs and the stand-ins', () => {
  it('S17: an SMS goes out through Twilio, and its signed status callbacks move the delivery to delivered', async () => {
    providers.reset();
    const id = await sendAndSettle({ channel: 'sms', contactKey: 'mobile_phone' });
    const [msg] = providers.twilioMessages();
    expect(msg).toMatchObject({ to: DEMO_TICKET.caller.mobile_phone, from: '+15005550006' });
    expect(msg!.body).toContain(`${t.url}/v/`);
    expect(msg!.statusCallback).toMatch(new RegExp(`^${t.url}/webhooks/twilio/status\\?d=[0-9a-f-]{36}$`));
    const v = await eventually(async () => {
      const cur = await view(id);
      return cur.delivery?.status === 'delivered' && cur;
    });
    expect(v).toMatchObject({ state: 'sent', delivery: { provider: 'twilio', status: 'delivered' } });
    await providers.idle();
    const callbacks = providers.callbacks().filter((c) => c.provider === 'twilio');
    expect(callbacks.map((c) => new URLSearchParams(c.body).get('MessageStatus'))).toEqual([
      'sent',
      'delivered',
    ]);
    for (const c of callbacks) expect(c.status).toBe(200);
    await finish(id);
  });

  it('S17: an email goes out through SendGrid, and its signed event webhook moves the delivery to delivered', async () => {
    providers.reset();
    const id = await sendAndSettle({ channel: 'email', contactKey: 'email' });
    const [msg] = providers.sendgridMessages();
    expect(msg!.recipients).toEqual([DEMO_TICKET.caller.email]);
    expect(JSON.stringify(msg!.body)).toContain(`${t.url}/v/`);
    const v = await eventually(async () => {
      const cur = await view(id);
      return cur.delivery?.status === 'delivered' && cur;
    });
    expect(v).toMatchObject({ state: 'sent', delivery: { provider: 'sendgrid', status: 'delivered' } });
    await providers.idle();
    const events = providers.callbacks().filter((c) => c.provider === 'sendgrid');
    expect(events.length).toBeGreaterThanOrEqual(1);
    for (const e of events) expect(e.status).toBe(200);
    await finish(id);
  });

  it.each([
    [
      'an undeliverable number (Twilio undelivered 30003)',
      { channel: 'sms', destination: '+1 415 555 0001' },
      'twilio',
      /Unreachable destination handset/,
    ],
    [
      'a bouncing address (SendGrid bounce)',
      { channel: 'email', destination: 'bounce.someone@example.com' },
      'sendgrid',
      /.+/,
    ],
  ] as const)(
    'S17/R5: %s fails the delivery, the agent sees it, the ticket is flagged and noted once, and resend or cancel stay possible',
    async (_name, body, provider, reason) => {
      providers.reset();
      const id = await sendAndSettle({ ...body });
      try {
        await failedAndRecoverable(id, provider, reason);
      } finally {
        await finish(id);
      }
    },
  );

  async function failedAndRecoverable(id: string, provider: string, reason: RegExp) {
    const failed = await eventually(async () => {
      const cur = await view(id);
      return cur.delivery?.status === 'failed' && cur;
    });
    expect(failed.delivery).toMatchObject({
      provider,
      status: 'failed',
      error: expect.stringMatching(reason),
    });
    expect(failed.attention).toMatch(/^Delivery failed/);
    expect(failed.delivery.error).not.toContain('bounce.someone@example.com'); // the provider's reason is redacted
    // The agent's page says so too.
    const page = await rawRequest(t.url, {
      method: 'GET',
      path: '/agent',
      headers: { cookie: agent.cookie, accept: 'text/html' },
    });
    expect(page.status).toBe(200);
    expect(page.text.replace(/\s+/g, ' ')).toMatch(
      /Needs attention<\/dt><dd class="warn"[^>]*>Delivery failed/,
    );
    // The ticket: the attention column, and exactly one work note about the failure.
    await eventually(async () =>
      String(ticket().x_imper_verify_attention ?? '').startsWith('Delivery failed'),
    );
    const failureNote = (n: string) => n.includes(id) && n.includes('could not be delivered');
    await eventually(async () => notes().filter(failureNote).length === 1);
    // A provider retrying the same signed callback changes nothing and writes no second note.
    await providers.idle();
    const final = providers
      .callbacks()
      .filter((c) => c.provider === provider)
      .at(-1)!;
    await quiet();
    const before = await state();
    const replay = await rawRequest(t.url, {
      method: 'POST',
      path: final.url.slice(t.url.length),
      headers: final.headers,
      body: final.body,
    });
    expect(replay.status).toBe(200);
    await new Promise((r) => setTimeout(r, 300)); // let the worker run anything the replay might have queued
    expect(notes().filter(failureNote)).toHaveLength(1);
    expect((await state()).deliveries).toEqual(before.deliveries);
    // R5: the agent can resend (a new delivery) or cancel.
    const resent = await api('POST', `/agent/api/verifications/${id}/resend`);
    expect(resent.status).toBe(200);
    expect(resent.body.state).toBe('sending');
    await eventually(
      async () =>
        (await view(id)).delivery?.status === 'failed' &&
        (await state()).deliveries.length > before.deliveries.length,
    );
    const canceled = await api('POST', `/agent/api/verifications/${id}/cancel`);
    expect(canceled.status).toBe(200);
    expect(canceled.body.state).toBe('canceled');
    await providers.idle();
  }
});

describe('S17: forged provider callbacks are refused with 403 WEBHOOK_SIGNATURE_INVALID and change nothing', () => {
  let sms: { id: string; twilio: CallbackAttempt };
  let email: { id: string; sendgrid: CallbackAttempt };

  beforeAll(async () => {
    providers.reset();
    const smsId = await sendAndSettle({ channel: 'sms', destination: '+1 415 555 0123' });
    await eventually(async () => (await view(smsId)).delivery?.status === 'delivered');
    await providers.idle();
    sms = {
      id: smsId,
      twilio: providers
        .callbacks()
        .find((c) => c.provider === 'twilio' && c.body.includes('MessageStatus=sent'))!,
    };
    await finish(smsId);
    const emailId = await sendAndSettle({ channel: 'email', destination: 'someone.else@example.com' });
    await eventually(async () => (await view(emailId)).delivery?.status === 'delivered');
    await providers.idle();
    email = {
      id: emailId,
      sendgrid: providers
        .callbacks()
        .find((c) => c.provider === 'sendgrid' && c.body.includes('"processed"'))!,
    };
    expect(sms.twilio).toBeDefined();
    expect(email.sendgrid).toBeDefined();
  }, 60_000);

  const path = (c: CallbackAttempt) => c.url.slice(t.url.length);
  const withFailure = (body: string) => {
    const p = new URLSearchParams(body);
    p.set('MessageStatus', 'undelivered');
    p.set('ErrorCode', '30003');
    return p;
  };
  const twilioHeaders = (signature?: string): Record<string, string> => ({
    'content-type': 'application/x-www-form-urlencoded',
    ...(signature !== undefined ? { 'x-twilio-signature': signature } : {}),
  });
  const sendgridHeaders = (
    signature: string | undefined,
    timestamp: string | undefined,
  ): Record<string, string> => ({
    'content-type': 'application/json',
    ...(signature !== undefined ? { 'x-twilio-email-event-webhook-signature': signature } : {}),
    ...(timestamp !== undefined ? { 'x-twilio-email-event-webhook-timestamp': timestamp } : {}),
  });
  const bounced = (body: string) =>
    body.replace(/"event":"processed"/g, '"event":"bounce","reason":"550 forged","status":"5.1.1"');
  const otherKey = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey;

  const forgeries: Array<[string, () => { path: string; headers: Record<string, string>; body: string }]> = [
    [
      'Twilio: no signature',
      () => ({
        path: path(sms.twilio),
        headers: twilioHeaders(),
        body: withFailure(sms.twilio.body).toString(),
      }),
    ],
    [
      'Twilio: empty signature',
      () => ({
        path: path(sms.twilio),
        headers: twilioHeaders(''),
        body: withFailure(sms.twilio.body).toString(),
      }),
    ],
    [
      'Twilio: signed with the wrong auth token',
      () => {
        const p = withFailure(sms.twilio.body);
        return {
          path: path(sms.twilio),
          headers: twilioHeaders(twilioSignature('not-the-token', sms.twilio.url, Object.fromEntries(p))),
          body: p.toString(),
        };
      },
    ],
    [
      'Twilio: genuine signature, tampered parameters',
      () => ({
        path: path(sms.twilio),
        headers: twilioHeaders(sms.twilio.headers['x-twilio-signature']),
        body: withFailure(sms.twilio.body).toString(),
      }),
    ],
    [
      'Twilio: genuine signature, another delivery id in the URL',
      () => ({
        path: path(sms.twilio).replace(/d=[0-9a-f-]+/, 'd=00000000-0000-0000-0000-000000000000'),
        headers: twilioHeaders(sms.twilio.headers['x-twilio-signature']),
        body: sms.twilio.body,
      }),
    ],
    [
      'Twilio: valid signature, but for a different URL',
      () => {
        const p = withFailure(sms.twilio.body);
        const elsewhere = `https://attacker.example${path(sms.twilio)}`;
        return {
          path: path(sms.twilio),
          headers: twilioHeaders(twilioSignature(TWILIO.authToken, elsewhere, Object.fromEntries(p))),
          body: p.toString(),
        };
      },
    ],
    [
      'Twilio: raw HMAC of the body only (no URL)',
      () => {
        const p = withFailure(sms.twilio.body);
        return {
          path: path(sms.twilio),
          headers: twilioHeaders(createHmac('sha1', TWILIO.authToken).update(p.toString()).digest('base64')),
          body: p.toString(),
        };
      },
    ],
    [
      'SendGrid: no signature',
      () => ({
        path: path(email.sendgrid),
        headers: sendgridHeaders(undefined, email.sendgrid.headers['x-twilio-email-event-webhook-timestamp']),
        body: bounced(email.sendgrid.body),
      }),
    ],
    [
      'SendGrid: no timestamp',
      () => ({
        path: path(email.sendgrid),
        headers: sendgridHeaders(email.sendgrid.headers['x-twilio-email-event-webhook-signature'], undefined),
        body: email.sendgrid.body,
      }),
    ],
    [
      'SendGrid: garbage signature',
      () => ({
        path: path(email.sendgrid),
        headers: sendgridHeaders('bm90IGEgc2lnbmF0dXJl', String(Math.floor(Date.now() / 1000))),
        body: bounced(email.sendgrid.body),
      }),
    ],
    [
      'SendGrid: genuine signature, tampered body',
      () => ({
        path: path(email.sendgrid),
        headers: sendgridHeaders(
          email.sendgrid.headers['x-twilio-email-event-webhook-signature'],
          email.sendgrid.headers['x-twilio-email-event-webhook-timestamp'],
        ),
        body: bounced(email.sendgrid.body),
      }),
    ],
    [
      'SendGrid: genuine signature, another timestamp',
      () => ({
        path: path(email.sendgrid),
        headers: sendgridHeaders(
          email.sendgrid.headers['x-twilio-email-event-webhook-signature'],
          String(Number(email.sendgrid.headers['x-twilio-email-event-webhook-timestamp']) + 1),
        ),
        body: email.sendgrid.body,
      }),
    ],
    [
      'SendGrid: signed by another key',
      () => {
        const ts = String(Math.floor(Date.now() / 1000));
        const body = bounced(email.sendgrid.body);
        return {
          path: path(email.sendgrid),
          headers: sendgridHeaders(sign('sha256', Buffer.from(ts + body), otherKey).toString('base64'), ts),
          body,
        };
      },
    ],
  ];

  it.each(forgeries)('S17: %s → 403 WEBHOOK_SIGNATURE_INVALID, no state change', async (_name, forge) => {
    await quiet();
    const before = await state();
    const f = forge();
    const res = await rawRequest(t.url, { method: 'POST', path: f.path, headers: f.headers, body: f.body });
    expect(res.status).toBe(403);
    expect(JSON.parse(res.text).error.code).toBe('WEBHOOK_SIGNATURE_INVALID');
    expect(await state()).toEqual(before);
  });

  it('S17: a genuine SendGrid webhook replayed after the 10-minute window (stale timestamp) → 403, no state change', async () => {
    const genuine = {
      path: path(email.sendgrid),
      headers: email.sendgrid.headers,
      body: email.sendgrid.body,
    };
    // Within the window the genuine request is accepted (so the 403 below is about time, not about the request).
    expect((await rawRequest(t.url, { method: 'POST', ...genuine })).status).toBe(200);
    await quiet();
    const before = await state();
    offsetMs = 11 * 60_000;
    try {
      const res = await rawRequest(t.url, { method: 'POST', ...genuine });
      expect(res.status).toBe(403);
      expect(JSON.parse(res.text).error.code).toBe('WEBHOOK_SIGNATURE_INVALID');
      expect(await state()).toEqual(before);
    } finally {
      offsetMs = 0;
    }
  });

  it('S17: the genuine deliveries are unchanged by all of the above', async () => {
    expect((await view(sms.id)).delivery).toMatchObject({ provider: 'twilio', status: 'delivered' });
    expect((await view(email.id)).delivery).toMatchObject({ provider: 'sendgrid', status: 'delivered' });
    expect(
      notes().filter(
        (n) => (n.includes(sms.id) || n.includes(email.id)) && n.includes('could not be delivered'),
      ),
    ).toEqual([]);
  });

  it('the dev transport is off with real providers, so /dev/messages does not exist (404)', async () => {
    const res = await rawRequest(t.url, {
      method: 'GET',
      path: '/dev/messages',
      headers: { accept: 'application/json' },
    });
    expect(res.status).toBe(404);
    expect(JSON.parse(res.text).error.code).toBe('NOT_FOUND');
  });
});
