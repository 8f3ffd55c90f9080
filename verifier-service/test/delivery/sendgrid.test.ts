import { createSendGridConnector } from '../../src/delivery/sendgrid';
import { DeliveryError, type OutgoingEmail } from '../../src/delivery/types';
import { parseSendGridEvents, verifySendGridSignature } from '../../src/delivery/webhooks';
import { SENDGRID, rejectionOf, standins as startStandins, startWebhookReceiver } from './helpers';

let providers: Awaited<ReturnType<typeof startStandins>>;
let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;

beforeAll(async () => {
  providers = await startStandins();
  receiver = await startWebhookReceiver();
  providers.setSendgridEventWebhookUrl(`${receiver.url}/webhooks/sendgrid`);
});
afterAll(async () => {
  await providers.close();
  await receiver.close();
});
afterEach(async () => {
  await providers.idle();
  providers.reset();
  receiver.received.length = 0;
});

const connector = (apiKey = SENDGRID.apiKey) =>
  createSendGridConnector({
    apiKey,
    from: { email: 'helpdesk@acme.example', name: 'Acme IT' },
    baseUrl: providers.url,
  });

const email = (to = 'alex.requester@example.com'): OutgoingEmail => ({
  to,
  subject: 'Acme IT: verify your identity for ticket INC0010001',
  text: 'plain part',
  html: '<p>html part</p>',
  verificationId: 'ver_123',
  deliveryId: 'del_456',
});

describe('SendGrid connector (real @sendgrid/mail against the stand-in)', () => {
  it('sends the email and returns the X-Message-Id', async () => {
    const result = await connector().send(email());
    const [captured] = providers.sendgridMessages();
    expect(result).toEqual({ provider: 'sendgrid', providerMessageId: captured!.messageId });
    expect(captured!.recipients).toEqual(['alex.requester@example.com']);
    expect(captured!.body).toMatchObject({
      from: { email: 'helpdesk@acme.example', name: 'Acme IT' },
      subject: 'Acme IT: verify your identity for ticket INC0010001',
      content: [
        { type: 'text/plain', value: 'plain part' },
        { type: 'text/html', value: '<p>html part</p>' },
      ],
      custom_args: { verification_id: 'ver_123', delivery_id: 'del_456' },
      tracking_settings: { click_tracking: { enable: false, enable_text: false } },
    });
  });

  it('receives signed events that verify, and parses them into updates with the delivery id (S17)', async () => {
    const { providerMessageId } = await connector().send(email());
    const hooks = await receiver.waitFor((all) => all.length >= 2);
    const updates = hooks.flatMap((hook) => {
      expect(
        verifySendGridSignature({
          publicKey: providers.sendgridPublicKey,
          rawBody: hook.rawBody,
          signature: hook.headers['x-twilio-email-event-webhook-signature'] as string,
          timestamp: hook.headers['x-twilio-email-event-webhook-timestamp'] as string,
        }),
      ).toBe(true);
      return parseSendGridEvents(JSON.parse(hook.rawBody));
    });
    expect(updates.map((u) => [u.status, u.providerMessageId, u.deliveryId, u.provider])).toEqual([
      ['sent', providerMessageId, 'del_456', 'sendgrid'],
      ['delivered', providerMessageId, 'del_456', 'sendgrid'],
    ]);
    for (const u of updates) expect(Math.abs(u.at.getTime() - Date.now())).toBeLessThan(60_000);
  });

  describe('rejects tampered or stale webhooks (S17)', () => {
    let hook: Awaited<ReturnType<typeof receiver.waitFor>>[number];
    let signature: string;
    let timestamp: string;
    beforeEach(async () => {
      await connector().send(email());
      hook = (await receiver.waitFor((all) => all.length >= 1))[0]!;
      signature = hook.headers['x-twilio-email-event-webhook-signature'] as string;
      timestamp = hook.headers['x-twilio-email-event-webhook-timestamp'] as string;
    });
    const check = (over: Partial<Parameters<typeof verifySendGridSignature>[0]>) =>
      verifySendGridSignature({
        publicKey: providers.sendgridPublicKey,
        rawBody: hook.rawBody,
        signature,
        timestamp,
        ...over,
      });

    it('accepts the untouched request (control)', () => expect(check({})).toBe(true));
    it('body changed', () =>
      expect(check({ rawBody: hook.rawBody.replace('"processed"', '"delivered"') })).toBe(false));
    it('body re-serialised (whitespace)', () =>
      expect(check({ rawBody: JSON.stringify(JSON.parse(hook.rawBody), null, 1) })).toBe(false));
    it('timestamp changed', () => expect(check({ timestamp: String(Number(timestamp) - 1) })).toBe(false));
    it('signature altered', () => {
      const other = Buffer.from(signature, 'base64');
      other[other.length - 1] = other[other.length - 1]! ^ 1; // one bit of s
      expect(check({ signature: other.toString('base64') })).toBe(false);
    });
    it('garbage or missing signature', () => {
      expect(check({ signature: 'not-a-signature' })).toBe(false);
      expect(check({ signature: undefined })).toBe(false);
      expect(check({ timestamp: undefined })).toBe(false);
    });
    it('valid signature but older than 10 minutes', () => {
      expect(check({ now: new Date((Number(timestamp) + 599) * 1000) })).toBe(true);
      expect(check({ now: new Date((Number(timestamp) + 601) * 1000) })).toBe(false);
    });
    it('someone else’s key', async () => {
      const other = await startStandins();
      try {
        expect(check({ publicKey: other.sendgridPublicKey })).toBe(false);
      } finally {
        await other.close();
      }
    });
  });

  it('turns a bounce into a failed update that does not quote the address (S20)', async () => {
    await connector().send(email('bounce@example.com'));
    await providers.idle();
    const updates = receiver.received.flatMap((h) => parseSendGridEvents(JSON.parse(h.rawBody)));
    const failed = updates.find((u) => u.status === 'failed');
    expect(failed).toMatchObject({ errorCode: '5.1.1', deliveryId: 'del_456' });
    expect(receiver.received.some((h) => h.rawBody.includes('bounce@example.com'))).toBe(true);
    expect(failed!.errorMessage).toContain('Recipient address rejected');
    expect(failed!.errorMessage).not.toContain('bounce@example.com');
  });

  describe('maps provider errors', () => {
    it('wrong API key → permanent http_401', async () => {
      const err = await rejectionOf(() => connector('SG.wrong').send(email()));
      expect(err).toBeInstanceOf(DeliveryError);
      expect(err).toMatchObject({ code: 'http_401', retriable: false, permanent: true });
    });

    it('invalid address → permanent http_400, message without the address (S20)', async () => {
      const err = (await rejectionOf(() =>
        connector().send(email('alex.requester@@example')),
      )) as DeliveryError;
      expect(err).toMatchObject({ code: 'http_400', retriable: false, permanent: true });
      expect(err.message).toContain('personalizations.0.to.0.email');
      expect(err.message).not.toContain('alex.requester');
      expect(JSON.stringify(err)).not.toContain('alex.requester');
    });

    it.each([500, 503, 429])('HTTP %i → retriable', async (status) => {
      providers.faults.failNext('sendgrid', 1, status);
      const err = await rejectionOf(() => connector().send(email()));
      expect(err).toMatchObject({ code: `http_${status}`, retriable: true, permanent: false });
      // and the next attempt goes through
      await expect(connector().send(email())).resolves.toMatchObject({ provider: 'sendgrid' });
    });

    it('connection dropped → retriable network error', async () => {
      providers.faults.dropNext('sendgrid', 1);
      const err = await rejectionOf(() => connector().send(email()));
      expect(err).toMatchObject({ code: 'network', retriable: true, permanent: false });
    });

    it('too slow → retriable network error (timeout)', async () => {
      providers.faults.setLatency('sendgrid', 500);
      const slow = createSendGridConnector({
        apiKey: SENDGRID.apiKey,
        from: { email: 'helpdesk@acme.example', name: 'Acme IT' },
        baseUrl: providers.url,
        timeoutMs: 100,
      });
      const err = await rejectionOf(() => slow.send(email()));
      expect(err).toMatchObject({ code: 'network', retriable: true });
    });
  });
});
