import { createPublicKey, verify } from 'node:crypto';
import { startProviderStandins, type ProviderStandins } from '../src';
import { body, startReceiver } from './receiver';

const apiKey = 'SG.stand-in-key';
let standins: ProviderStandins;
let receiver: Awaited<ReturnType<typeof startReceiver>>;

beforeAll(async () => {
  receiver = await startReceiver(200);
  standins = await startProviderStandins({
    twilio: { accountSid: `AC${'1'.repeat(32)}`, authToken: 't' },
    sendgrid: { apiKey },
    sendgridEventWebhookUrl: `${receiver.url}/sendgrid/events`,
    callbackDelayMs: 5,
  });
});
afterAll(async () => {
  await standins.close();
  await receiver.close();
});
afterEach(async () => {
  await standins.idle();
  standins.reset();
  standins.setSendgridEventWebhookUrl(`${receiver.url}/sendgrid/events`);
  receiver.received.length = 0;
});

const validMail = (to = 'alex@example.com') => ({
  personalizations: [{ to: [{ email: to }], custom_args: { delivery_id: 'dl_1' } }],
  from: { email: 'helpdesk@example.com', name: 'Helpdesk' },
  subject: 'Verify',
  content: [
    { type: 'text/plain', value: 'text' },
    { type: 'text/html', value: '<p>html</p>' },
  ],
  custom_args: { verification_id: 'vf_1', delivery_id: 'overridden' },
});

function send(body: unknown, key = apiKey) {
  return fetch(`${standins.url}/v3/mail/send`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

function signatureValid(
  rawBody: string,
  signature: string,
  timestamp: string,
  publicKey = standins.sendgridPublicKey,
) {
  const key = createPublicKey({ key: Buffer.from(publicKey, 'base64'), format: 'der', type: 'spki' });
  return verify('sha256', Buffer.from(timestamp + rawBody), key, Buffer.from(signature, 'base64'));
}

describe('SendGrid Mail Send stand-in', () => {
  it('answers 202 with an empty body and X-Message-Id, and captures the mail', async () => {
    const res = await send(validMail());
    expect(res.status).toBe(202);
    expect(await res.text()).toBe('');
    const id = res.headers.get('x-message-id');
    expect(id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    const [captured] = standins.sendgridMessages();
    expect(captured).toMatchObject({ messageId: id, recipients: ['alex@example.com'] });
    expect(captured!.body).toMatchObject({ subject: 'Verify' });
  });

  it('answers 401 in SendGrid error form on a wrong key', async () => {
    const res = await send(validMail(), 'SG.wrong');
    expect(res.status).toBe(401);
    expect(await body(res)).toEqual({
      errors: [
        {
          message: 'The provided authorization grant is invalid, expired, or revoked',
          field: null,
          help: null,
        },
      ],
    });
    expect(standins.sendgridMessages()).toHaveLength(0);
  });

  it('answers 400 listing every invalid field', async () => {
    const res = await send({
      personalizations: [{ to: [{ email: 'not-an-address' }] }],
      from: {},
      content: [{ type: 'text/html', value: '' }],
      custom_args: { n: 3 },
    });
    expect(res.status).toBe(400);
    const { errors } = await body(res);
    expect(errors.map((e: { field: string }) => e.field).sort()).toEqual(
      ['content.0.value', 'custom_args.n', 'from.email', 'personalizations.0.to.0.email', 'subject'].sort(),
    );
    for (const e of errors) expect(typeof e.message).toBe('string');
  });

  it('requires personalizations and content, and text/plain before text/html', async () => {
    const a = await body(await send({ from: { email: 'a@example.com' }, subject: 's' }));
    expect(a.errors.map((e: { field: string }) => e.field)).toEqual(['personalizations', 'content']);
    const b = await send({
      ...validMail(),
      content: [
        { type: 'text/html', value: 'h' },
        { type: 'text/plain', value: 't' },
      ],
    });
    expect(b.status).toBe(400);
    expect((await body(b)).errors[0].message).toMatch(/text\/plain content must be first/);
  });

  it('posts signed events: processed then delivered, with sg_message_id and custom args', async () => {
    const res = await send(validMail());
    const id = res.headers.get('x-message-id')!;
    const got = await receiver.waitFor((all) => all.length >= 2);
    const batches = got.map((r) => JSON.parse(r.rawBody));
    expect(batches.map((b) => b.map((e: { event: string }) => e.event))).toEqual([
      ['processed'],
      ['delivered'],
    ]);
    for (const r of got) {
      expect(r.url).toBe('/sendgrid/events');
      expect(r.headers['content-type']).toBe('application/json');
      const signature = String(r.headers['x-twilio-email-event-webhook-signature']);
      const timestamp = String(r.headers['x-twilio-email-event-webhook-timestamp']);
      expect(Math.abs(Number(timestamp) - Date.now() / 1000)).toBeLessThan(30);
      expect(signatureValid(r.rawBody, signature, timestamp)).toBe(true);
      expect(signatureValid(r.rawBody.replace('example.com', 'example.org'), signature, timestamp)).toBe(
        false,
      );
      expect(signatureValid(r.rawBody, signature, String(Number(timestamp) + 1))).toBe(false);
    }
    const event = batches[1][0];
    expect(event).toMatchObject({
      email: 'alex@example.com',
      event: 'delivered',
      verification_id: 'vf_1',
      delivery_id: 'dl_1', // personalization-level custom_args win
    });
    expect(event.sg_message_id.startsWith(`${id}.filter`)).toBe(true);
    expect(typeof event.sg_event_id).toBe('string');
    expect(Number.isInteger(event.timestamp)).toBe(true);
  });

  it('signs with its own key: another P-256 key does not verify', async () => {
    const other = await startProviderStandins({
      twilio: { accountSid: `AC${'1'.repeat(32)}`, authToken: 't' },
      sendgrid: { apiKey },
    });
    try {
      expect(other.sendgridPublicKey).not.toBe(standins.sendgridPublicKey);
      await send(validMail());
      const [first] = await receiver.waitFor((all) => all.length >= 1);
      const sig = String(first!.headers['x-twilio-email-event-webhook-signature']);
      const ts = String(first!.headers['x-twilio-email-event-webhook-timestamp']);
      expect(signatureValid(first!.rawBody, sig, ts, other.sendgridPublicKey)).toBe(false);
    } finally {
      await other.close();
    }
  });

  it.each([
    ['bounce@example.com', ['processed', 'bounce']],
    ['dropped@example.com', ['dropped']],
    ['deferred+1@example.com', ['processed', 'deferred', 'delivered']],
    ['open@example.com', ['processed', 'delivered', 'open']],
  ])('follows the magic address %s through %j', async (to, events) => {
    await send(validMail(to));
    await standins.idle();
    const got = receiver.received.flatMap((r) => JSON.parse(r.rawBody) as Array<Record<string, unknown>>);
    expect(got.map((e) => e.event)).toEqual(events);
    if (to.startsWith('bounce')) expect(got[1]).toMatchObject({ status: '5.1.1', type: 'bounce' });
  });

  it('records events but posts nothing without a webhook URL', async () => {
    standins.setSendgridEventWebhookUrl(undefined);
    expect((await send(validMail())).status).toBe(202);
    await standins.idle();
    expect(receiver.received).toHaveLength(0);
    expect(standins.callbacks()).toHaveLength(0);
  });

  it('records how the receiver answered', async () => {
    standins.setSendgridEventWebhookUrl('http://127.0.0.1:9/nowhere');
    await send(validMail());
    await standins.idle();
    const attempts = standins.callbacks();
    expect(attempts).toHaveLength(2);
    expect(attempts[0]!.status).toBeUndefined();
    expect(attempts[0]!.error).toBeTruthy();
  });

  it('fails the next request on demand (500, then 202)', async () => {
    standins.faults.failNext('sendgrid', 1, 500);
    const a = await send(validMail());
    expect(a.status).toBe(500);
    expect((await body(a)).errors).toHaveLength(1);
    expect((await send(validMail())).status).toBe(202);
  });
});

describe('SendGrid scopes stand-in (GET /v3/scopes)', () => {
  const scopes = (key = apiKey) =>
    fetch(`${standins.url}/v3/scopes`, { headers: { authorization: `Bearer ${key}` } });

  it("lists the key's scopes to a valid key", async () => {
    const res = await scopes();
    expect(res.status).toBe(200);
    expect(await body(res)).toEqual({ scopes: ['mail.send'] });
  });

  it('401 "authorization required" in SendGrid error form on a wrong key', async () => {
    const res = await scopes('SG.wrong');
    expect(res.status).toBe(401);
    expect(await body(res)).toEqual({ errors: [{ field: null, message: 'authorization required' }] });
  });

  it('faults apply to it as to Mail Send', async () => {
    standins.faults.failNext('sendgrid', 1, 503);
    expect((await scopes()).status).toBe(503);
    expect((await scopes()).status).toBe(200);
  });
});
