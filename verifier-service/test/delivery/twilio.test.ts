import { createTwilioConnector } from '../../src/delivery/twilio';
import { DeliveryError, type OutgoingSms } from '../../src/delivery/types';
import { parseTwilioStatus, verifyTwilioSignature } from '../../src/delivery/webhooks';
import {
  TWILIO,
  rejectionOf,
  standins as startStandins,
  startWebhookReceiver,
  type ReceivedWebhook,
} from './helpers';

let providers: Awaited<ReturnType<typeof startStandins>>;
let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;

beforeAll(async () => {
  providers = await startStandins();
  receiver = await startWebhookReceiver();
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

const FROM = '+15005550006';
const statusCallbackUrl = (deliveryId: string) =>
  `${receiver.url}/webhooks/twilio?delivery=${encodeURIComponent(deliveryId)}`;
const connector = (over: Partial<Parameters<typeof createTwilioConnector>[0]> = {}) =>
  createTwilioConnector({
    ...TWILIO,
    from: FROM,
    baseUrl: providers.url,
    statusCallbackUrl,
    ...over,
  } as Parameters<typeof createTwilioConnector>[0]);

const sms = (to = '+14155550123'): OutgoingSms => ({
  to,
  body: 'Acme IT ticket INC0010001: verify at https://verify.example.com/v/abc (15 min)',
  verificationId: 'ver_1',
  deliveryId: 'del_1',
});

/** What the service's route will do: the public URL it was called on, the decoded form, the header. */
const verify = (hook: ReceivedWebhook, over: Partial<Parameters<typeof verifyTwilioSignature>[0]> = {}) =>
  verifyTwilioSignature({
    authToken: TWILIO.authToken,
    url: `${receiver.url}${hook.url}`,
    params: hook.form,
    signature: hook.headers['x-twilio-signature'] as string,
    ...over,
  });

describe('Twilio connector (real twilio SDK against the stand-in)', () => {
  it('sends the SMS with the status callback and returns the message SID', async () => {
    const result = await connector().send(sms());
    const [captured] = providers.twilioMessages();
    expect(result).toEqual({ provider: 'twilio', providerMessageId: captured!.sid });
    expect(result.providerMessageId).toMatch(/^SM[0-9a-f]{32}$/);
    expect(captured).toMatchObject({
      accountSid: TWILIO.accountSid,
      to: '+14155550123',
      from: FROM,
      body: sms().body,
      statusCallback: statusCallbackUrl('del_1'),
      numSegments: 1,
    });
  });

  it('can send through a Messaging Service instead of a From number', async () => {
    const mg = `MG${'b'.repeat(32)}`;
    await connector({ from: undefined, messagingServiceSid: mg }).send(sms());
    const [captured] = providers.twilioMessages();
    expect(captured!.messagingServiceSid).toBe(mg);
    expect(captured!.params.From).toBeUndefined();
  });

  it('receives signed status callbacks that verify, and parses them (S17)', async () => {
    const { providerMessageId } = await connector().send(sms());
    const hooks = await receiver.waitFor((all) => all.length >= 2);
    const updates = hooks.map((hook) => {
      expect(verify(hook)).toBe(true);
      const deliveryId = new URL(hook.url, receiver.url).searchParams.get('delivery') ?? undefined;
      return parseTwilioStatus(hook.form, { deliveryId });
    });
    expect(updates.map((u) => [u?.status, u?.providerMessageId, u?.deliveryId, u?.provider])).toEqual([
      ['sent', providerMessageId, 'del_1', 'twilio'],
      ['delivered', providerMessageId, 'del_1', 'twilio'],
    ]);
  });

  describe('rejects tampered callbacks (S17)', () => {
    let hook: ReceivedWebhook;
    beforeEach(async () => {
      await connector().send(sms());
      hook = (await receiver.waitFor((all) => all.length >= 1))[0]!;
    });
    it('accepts the untouched request (control)', () => expect(verify(hook)).toBe(true));
    it('a parameter changed', () =>
      expect(verify(hook, { params: { ...hook.form, MessageStatus: 'delivered' } })).toBe(false));
    it('a parameter added', () =>
      expect(verify(hook, { params: { ...hook.form, ErrorCode: '30003' } })).toBe(false));
    it('a parameter removed', () => {
      const { To: _to, ...rest } = hook.form;
      expect(verify(hook, { params: rest })).toBe(false);
    });
    it('another URL (delivery id swapped)', () =>
      expect(verify(hook, { url: `${receiver.url}/webhooks/twilio?delivery=del_2` })).toBe(false));
    it('signature altered or missing', () => {
      const sig = hook.headers['x-twilio-signature'] as string;
      expect(verify(hook, { signature: (sig[0] === 'A' ? 'B' : 'A') + sig.slice(1) })).toBe(false);
      expect(verify(hook, { signature: undefined })).toBe(false);
      expect(verify(hook, { signature: '' })).toBe(false);
    });
    it('signed with another auth token', () =>
      expect(verify(hook, { authToken: 'another-token' })).toBe(false));
  });

  it('reports an undeliverable handset as failed with its error code', async () => {
    await connector().send(sms('+14155550001'));
    await providers.idle();
    const last = receiver.received.at(-1)!;
    expect(verify(last)).toBe(true);
    expect(parseTwilioStatus(last.form, { deliveryId: 'del_1' })).toMatchObject({
      status: 'failed',
      errorCode: '30003',
      errorMessage: 'Unreachable destination handset',
      deliveryId: 'del_1',
    });
  });

  describe('maps provider errors', () => {
    it('21211 → permanent invalid number, message without the number (S20)', async () => {
      const err = (await rejectionOf(() => connector().send(sms('+15005550001')))) as DeliveryError;
      expect(err).toBeInstanceOf(DeliveryError);
      expect(err).toMatchObject({ code: '21211', retriable: false, permanent: true });
      expect(err.message).toMatch(/invalid 'To' number/);
      expect(err.message).not.toContain('5005550001');
      expect(JSON.stringify(err)).not.toContain('5005550001');
      expect(providers.twilioMessages()).toHaveLength(0);
    });

    it('a non-E.164 destination is refused before calling Twilio', async () => {
      const err = (await rejectionOf(() => connector().send(sms('0415 555 0123')))) as DeliveryError;
      expect(err).toMatchObject({ code: 'invalid_number', permanent: true, retriable: false });
      expect(err.message).not.toContain('0123');
    });

    it('wrong auth token → permanent 20003', async () => {
      const err = await rejectionOf(() => connector({ authToken: 'wrong' }).send(sms()));
      expect(err).toMatchObject({ code: '20003', retriable: false, permanent: true });
    });

    it.each([
      [500, '20500'],
      [503, '20503'],
      [429, '20429'],
    ])('HTTP %i → retriable (code %s), and the SDK does not retry on its own', async (status, code) => {
      providers.faults.failNext('twilio', 1, status);
      const err = await rejectionOf(() => connector().send(sms()));
      expect(err).toMatchObject({ code, retriable: true, permanent: false });
      expect(providers.twilioMessages()).toHaveLength(0);
      await expect(connector().send(sms())).resolves.toMatchObject({ provider: 'twilio' });
    });

    it('connection dropped → retriable network error', async () => {
      providers.faults.dropNext('twilio', 1);
      const err = await rejectionOf(() => connector().send(sms()));
      expect(err).toMatchObject({ code: 'network', retriable: true, permanent: false });
    });
  });
});
