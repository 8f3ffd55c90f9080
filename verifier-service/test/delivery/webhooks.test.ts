// Parsing of provider webhooks into DeliveryUpdate (signatures are tested against the stand-ins in
// sendgrid.test.ts and twilio.test.ts).
import { parseSendGridEvents, parseTwilioStatus } from '../../src/delivery/webhooks';

describe('parseTwilioStatus', () => {
  const base = { MessageSid: 'SM' + '0'.repeat(32), AccountSid: 'AC' + '1'.repeat(32), To: '+14155550100' };
  const now = new Date('2030-01-01T00:00:00Z');

  it.each(['accepted', 'queued', 'sending', 'scheduled', 'read', 'receiving'])('ignores %s', (status) => {
    expect(parseTwilioStatus({ ...base, MessageStatus: status })).toBeNull();
  });

  it.each([
    ['sent', 'sent'],
    ['delivered', 'delivered'],
    ['undelivered', 'failed'],
    ['failed', 'failed'],
  ])('maps %s to %s', (raw, status) => {
    expect(parseTwilioStatus({ ...base, MessageStatus: raw }, { deliveryId: 'del_1', now })).toMatchObject({
      provider: 'twilio',
      providerMessageId: base.MessageSid,
      deliveryId: 'del_1',
      status,
      at: now,
    });
  });

  it('keeps the error code and a description without the number', () => {
    const u = parseTwilioStatus({ ...base, MessageStatus: 'undelivered', ErrorCode: '30006' });
    expect(u).toMatchObject({
      status: 'failed',
      errorCode: '30006',
      errorMessage: 'Landline or unreachable carrier',
    });
    expect(JSON.stringify(u)).not.toContain('4155550100');
  });

  it('returns null without a SID or status', () => {
    expect(parseTwilioStatus({ MessageStatus: 'sent' })).toBeNull();
    expect(parseTwilioStatus({ MessageSid: base.MessageSid })).toBeNull();
  });
});

describe('parseSendGridEvents', () => {
  const ev = (event: string, extra: Record<string, unknown> = {}) => ({
    email: 'alex@example.com',
    timestamp: 1_900_000_000,
    event,
    sg_event_id: 'e1',
    sg_message_id: 'abcDEF123.filterdrecv-1-2-3.0',
    delivery_id: 'del_9',
    verification_id: 'ver_9',
    ...extra,
  });

  it('maps processed, delivered, bounce, dropped and open; skips deferred, click and the rest', () => {
    const updates = parseSendGridEvents([
      ev('processed'),
      ev('deferred'),
      ev('delivered'),
      ev('open'),
      ev('click'),
      ev('spamreport'),
      ev('bounce', { status: '5.1.1', reason: '550 5.1.1 <alex@example.com>: no such user' }),
      ev('dropped', { reason: 'Bounced Address' }),
    ]);
    expect(updates.map((u) => u.status)).toEqual(['sent', 'delivered', 'opened', 'failed', 'failed']);
    for (const u of updates) {
      expect(u).toMatchObject({ provider: 'sendgrid', providerMessageId: 'abcDEF123', deliveryId: 'del_9' });
      expect(u.at).toEqual(new Date(1_900_000_000_000));
    }
    expect(updates[3]).toMatchObject({ errorCode: '5.1.1' });
    expect(updates[3]!.errorMessage).not.toContain('alex@example.com');
    expect(updates[4]).toMatchObject({ errorCode: 'dropped', errorMessage: 'Bounced Address' });
  });

  it('ignores what is not an event array, and events without sg_message_id', () => {
    expect(parseSendGridEvents({ event: 'delivered' })).toEqual([]);
    expect(parseSendGridEvents(null)).toEqual([]);
    expect(parseSendGridEvents([null, 3, 'x', { event: 'delivered' }])).toEqual([]);
  });

  it('leaves deliveryId undefined when the custom arg is missing', () => {
    const [u] = parseSendGridEvents([{ ...ev('delivered'), delivery_id: undefined }]);
    expect(u!.deliveryId).toBeUndefined();
  });
});
