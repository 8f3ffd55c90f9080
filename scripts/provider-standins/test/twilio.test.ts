import { createHmac } from 'node:crypto';
import { startProviderStandins, type ProviderStandins } from '../src';
import { body, startReceiver } from './receiver';

const accountSid = `AC${'1'.repeat(32)}`;
const authToken = 'twilio-test-auth-token';
const from = '+15005550006';

let standins: ProviderStandins;
let receiver: Awaited<ReturnType<typeof startReceiver>>;

beforeAll(async () => {
  standins = await startProviderStandins({
    twilio: { accountSid, authToken },
    sendgrid: { apiKey: 'SG.test' },
    callbackDelayMs: 5,
  });
  receiver = await startReceiver();
});
afterAll(async () => {
  await standins.close();
  await receiver.close();
});
afterEach(async () => {
  await standins.idle();
  standins.reset();
  receiver.received.length = 0;
});

function send(params: Record<string, string>, auth = `${accountSid}:${authToken}`, sid = accountSid) {
  return fetch(`${standins.url}/2010-04-01/Accounts/${sid}/Messages.json`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(auth).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams(params).toString(),
  });
}

/** Twilio's documented algorithm, written out independently of the stand-in. */
function expectedSignature(url: string, form: URLSearchParams): string {
  const names = [...new Set(form.keys())].sort();
  let data = url;
  for (const name of names) data += name + form.get(name);
  return createHmac('sha1', authToken).update(data).digest('base64');
}

describe('Twilio Messages stand-in', () => {
  it('accepts a message with 201 and the message resource, and captures it', async () => {
    const res = await send({ To: '+14155550100', From: from, Body: 'Hello there' });
    expect(res.status).toBe(201);
    const json = await body(res);
    expect(json).toMatchObject({
      account_sid: accountSid,
      to: '+14155550100',
      from,
      body: 'Hello there',
      status: 'queued',
      num_segments: '1',
      direction: 'outbound-api',
      api_version: '2010-04-01',
      error_code: null,
    });
    expect(json.sid).toMatch(/^SM[0-9a-f]{32}$/);
    expect(json.uri).toBe(`/2010-04-01/Accounts/${accountSid}/Messages/${json.sid}.json`);
    expect(json.date_created).toMatch(/^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} \+0000$/);
    const captured = standins.twilioMessages();
    expect(captured).toHaveLength(1);
    expect(captured[0]).toMatchObject({
      sid: json.sid,
      to: '+14155550100',
      body: 'Hello there',
      encoding: 'GSM-7',
    });
  });

  it('answers 401 with Twilio error 20003 on wrong credentials and captures nothing', async () => {
    const res = await send({ To: '+14155550100', From: from, Body: 'x' }, `${accountSid}:wrong`);
    expect(res.status).toBe(401);
    expect(await body(res)).toEqual({
      code: 20003,
      message: 'Authenticate',
      more_info: 'https://www.twilio.com/docs/errors/20003',
      status: 401,
    });
    const other = await send(
      { To: '+14155550100', From: from, Body: 'x' },
      `AC${'2'.repeat(32)}:${authToken}`,
    );
    expect(other.status).toBe(401);
    expect(standins.twilioMessages()).toHaveLength(0);
  });

  it.each([
    [{ To: '0455 555 0100', From: from, Body: 'x' }, 21211],
    [{ To: '+15005550001', From: from, Body: 'x' }, 21211],
    [{ To: '+15005550009', From: from, Body: 'x' }, 21614],
    [{ From: from, Body: 'x' }, 21604],
    [{ To: '+14155550100', Body: 'x' }, 21603],
    [{ To: '+14155550100', From: from }, 21602],
    [{ To: '+14155550100', From: from, Body: 'x', StatusCallback: 'not a url' }, 21609],
  ])('rejects %j with code %i', async (params, code) => {
    const res = await send(params as Record<string, string>);
    expect(res.status).toBe(400);
    const json = await body(res);
    expect(json).toMatchObject({
      code,
      status: 400,
      more_info: `https://www.twilio.com/docs/errors/${code}`,
    });
    expect(standins.twilioMessages()).toHaveLength(0);
  });

  it("names the number in 21211's message, like Twilio", async () => {
    const json = await body(await send({ To: '+15005550001', From: from, Body: 'x' }));
    expect(json.message).toBe("The 'To' number +15005550001 is not a valid phone number.");
  });

  it('posts signed status callbacks: sent, then delivered', async () => {
    const callback = `${receiver.url}/twilio/status?delivery=d1`;
    const res = await send({ To: '+14155550100', From: from, Body: 'Hi', StatusCallback: callback });
    const { sid } = await body(res);
    const got = await receiver.waitFor((all) => all.length >= 2);
    const forms = got.map((r) => new URLSearchParams(r.rawBody));
    expect(forms.map((f) => f.get('MessageStatus'))).toEqual(['sent', 'delivered']);
    for (const [i, r] of got.entries()) {
      const form = forms[i]!;
      expect(r.url).toBe('/twilio/status?delivery=d1');
      expect(r.headers['content-type']).toMatch(/^application\/x-www-form-urlencoded/);
      expect(form.get('MessageSid')).toBe(sid);
      expect(form.get('AccountSid')).toBe(accountSid);
      expect(form.get('To')).toBe('+14155550100');
      expect(r.headers['x-twilio-signature']).toBe(expectedSignature(callback, form));
    }
    expect(forms[0]!.get('ErrorCode')).toBeNull();
    await standins.idle();
    const fetched = await fetch(`${standins.url}/2010-04-01/Accounts/${accountSid}/Messages/${sid}.json`, {
      headers: { authorization: `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString('base64')}` },
    });
    expect((await body(fetched)).status).toBe('delivered');
  });

  it('signs with the auth token: a different token does not reproduce the signature', async () => {
    const callback = `${receiver.url}/twilio/status`;
    await send({ To: '+14155550100', From: from, Body: 'Hi', StatusCallback: callback });
    const [first] = await receiver.waitFor((all) => all.length >= 1);
    const form = new URLSearchParams(first!.rawBody);
    const data = [...form.keys()].sort().reduce((acc, k) => acc + k + form.get(k), callback);
    const wrong = createHmac('sha1', 'another-token').update(data).digest('base64');
    expect(first!.headers['x-twilio-signature']).not.toBe(wrong);
    expect(first!.headers['x-twilio-signature']).toBe(expectedSignature(callback, form));
  });

  it.each([
    ['+14155550001', 'undelivered', '30003'],
    ['+14155550005', 'failed', '30008'],
  ])('reports %s as %s with ErrorCode %s', async (to, status, errorCode) => {
    await send({ To: to, From: from, Body: 'Hi', StatusCallback: `${receiver.url}/s` });
    const got = await receiver.waitFor((all) => all.length >= 2);
    const last = new URLSearchParams(got[1]!.rawBody);
    expect(new URLSearchParams(got[0]!.rawBody).get('MessageStatus')).toBe('sent');
    expect(last.get('MessageStatus')).toBe(status);
    expect(last.get('ErrorCode')).toBe(errorCode);
  });

  it('accepts a MessagingServiceSid instead of From (status accepted, from null)', async () => {
    const res = await send({ To: '+14155550100', MessagingServiceSid: `MG${'a'.repeat(32)}`, Body: 'Hi' });
    expect(res.status).toBe(201);
    expect(await body(res)).toMatchObject({
      status: 'accepted',
      from: null,
      messaging_service_sid: `MG${'a'.repeat(32)}`,
    });
  });

  it('counts segments like Twilio (GSM-7 160/153, extension chars double, UCS-2 70/67)', async () => {
    const cases: Array<[string, number]> = [
      ['a'.repeat(160), 1],
      ['a'.repeat(161), 2],
      ['{'.repeat(80), 1],
      ['{'.repeat(81), 2],
      ['é'.repeat(160), 1], // é is in the GSM-7 basic table
      ['ê'.repeat(70), 1], // ê is not: UCS-2
      ['ê'.repeat(71), 2],
    ];
    for (const [text, segments] of cases) {
      const json = await body(await send({ To: '+14155550100', From: from, Body: text }));
      expect([text.slice(0, 3), json.num_segments]).toEqual([text.slice(0, 3), String(segments)]);
    }
  });
});

describe('Twilio faults', () => {
  it('fails the next N requests with the given status, then recovers', async () => {
    standins.faults.failNext('twilio', 2, 503, { retryAfterSeconds: 7 });
    const a = await send({ To: '+14155550100', From: from, Body: 'x' });
    const b = await send({ To: '+14155550100', From: from, Body: 'x' });
    const c = await send({ To: '+14155550100', From: from, Body: 'x' });
    expect([a.status, b.status, c.status]).toEqual([503, 503, 201]);
    expect(a.headers.get('retry-after')).toBe('7');
    expect((await body(a)).code).toBe(20503);
    expect(standins.twilioMessages()).toHaveLength(1);
  });

  it('drops the connection', async () => {
    standins.faults.dropNext('twilio', 1);
    await expect(send({ To: '+14155550100', From: from, Body: 'x' })).rejects.toThrow();
    expect((await send({ To: '+14155550100', From: from, Body: 'x' })).status).toBe(201);
  });

  it('adds latency', async () => {
    standins.faults.setLatency('twilio', 150);
    const start = Date.now();
    await send({ To: '+14155550100', From: from, Body: 'x' });
    expect(Date.now() - start).toBeGreaterThanOrEqual(140);
  });

  it('does not touch SendGrid when failing Twilio', async () => {
    standins.faults.failNext('twilio', 1);
    const res = await fetch(`${standins.url}/v3/mail/send`, {
      method: 'POST',
      headers: { authorization: 'Bearer SG.test', 'content-type': 'application/json' },
      body: JSON.stringify({
        personalizations: [{ to: [{ email: 'a@example.com' }] }],
        from: { email: 'b@example.com' },
        subject: 's',
        content: [{ type: 'text/plain', value: 'v' }],
      }),
    });
    expect(res.status).toBe(202);
  });
});

describe('Twilio Account stand-in (GET /2010-04-01/Accounts/{Sid}.json)', () => {
  const fetchAccount = (sid = accountSid, auth = `${accountSid}:${authToken}`) =>
    fetch(`${standins.url}/2010-04-01/Accounts/${sid}.json`, {
      headers: { authorization: `Basic ${Buffer.from(auth).toString('base64')}` },
    });

  it('answers the account resource to its own credentials', async () => {
    const res = await fetchAccount();
    expect(res.status).toBe(200);
    expect(await body(res)).toMatchObject({
      sid: accountSid,
      owner_account_sid: accountSid,
      status: 'active',
      type: 'Full',
      auth_token: authToken, // as Twilio does
      uri: `/2010-04-01/Accounts/${accountSid}.json`,
    });
  });

  it('401 code 20003 on wrong credentials, 404 code 20404 for another account', async () => {
    const wrong = await fetchAccount(accountSid, `${accountSid}:nope`);
    expect(wrong.status).toBe(401);
    expect(await body(wrong)).toMatchObject({ code: 20003, status: 401 });
    const other = await fetchAccount(`AC${'2'.repeat(32)}`);
    expect(other.status).toBe(404);
    expect(await body(other)).toMatchObject({ code: 20404, status: 404 });
  });

  it('describes a suspended account when told to', async () => {
    const s = await startProviderStandins({
      twilio: { accountSid, authToken, account: { status: 'suspended', type: 'Trial' } },
      sendgrid: { apiKey: 'SG.test' },
    });
    try {
      const res = await fetch(`${s.url}/2010-04-01/Accounts/${accountSid}.json`, {
        headers: { authorization: `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString('base64')}` },
      });
      expect(await body(res)).toMatchObject({ status: 'suspended', type: 'Trial' });
    } finally {
      await s.close();
    }
  });
});
