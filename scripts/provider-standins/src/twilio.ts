// Stand-in for Twilio's Programmable Messaging REST API (2010-04-01) and its status callbacks.
//
// Magic `To` numbers (the first five are Twilio's own test-credential numbers and fail at once, like Twilio):
//   +15005550001  400, code 21211  "The 'To' number … is not a valid phone number."
//   +15005550002  400, code 21612  cannot route to this number
//   +15005550003  400, code 21408  no permission to send to this region
//   +15005550004  400, code 21610  the recipient replied STOP (blocked)
//   +15005550009  400, code 21614  not a mobile number
// Any other number is accepted (201, `queued`), then the status callback receives `sent` and then:
//   ending in 0001  `undelivered`, ErrorCode 30003 (unreachable destination handset)
//   ending in 0005  `failed`, ErrorCode 30008 (unknown error)
//   ending in 0006  `undelivered`, ErrorCode 30006 (landline or unreachable carrier)
//   otherwise       `delivered`
// A `To` that is not E.164 (`+` and 7 to 15 digits) answers 400, code 21211.

import { createHmac } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { CallbackSender } from './callbacks';
import type { Faults } from './faults';
import { smsEncoding } from './sms-encoding';
import { delay, hex, rfc2822 } from './util';

export type TwilioMessageStatus = 'accepted' | 'queued' | 'sent' | 'delivered' | 'undelivered' | 'failed';

export interface TwilioCapturedMessage {
  sid: string;
  accountSid: string;
  to: string;
  /** The sender: the `From` given, or the number the Messaging Service picked. */
  from: string;
  messagingServiceSid: string | null;
  body: string;
  statusCallback: string | null;
  status: TwilioMessageStatus;
  errorCode: number | null;
  encoding: 'GSM-7' | 'UCS-2';
  numSegments: number;
  /** Every form parameter exactly as received. */
  params: Record<string, string>;
  receivedAt: Date;
}

/** The account `GET /2010-04-01/Accounts/{AccountSid}.json` describes. */
export interface TwilioAccountOptions {
  friendlyName?: string;
  status?: 'active' | 'suspended' | 'closed';
  type?: 'Trial' | 'Full';
}

export interface TwilioStandinOptions {
  accountSid: string;
  authToken: string;
  account?: TwilioAccountOptions;
  callbackDelayMs: number;
}

/** Number a Messaging Service "picks" when the request names a MessagingServiceSid and no From. */
export const MESSAGING_SERVICE_NUMBER = '+15005550006';

const E164 = /^\+[1-9]\d{6,14}$/;

const SYNC_FAILURES: Record<string, { code: number; message: (to: string) => string }> = {
  '+15005550001': { code: 21211, message: (to) => `The 'To' number ${to} is not a valid phone number.` },
  '+15005550002': {
    code: 21612,
    message: (to) =>
      `The 'To' phone number: ${to}, is not currently reachable using the 'From' phone number via SMS.`,
  },
  '+15005550003': {
    code: 21408,
    message: () =>
      "Permission to send an SMS has not been enabled for the region indicated by the 'To' number.",
  },
  '+15005550004': { code: 21610, message: () => 'Attempt to send to unsubscribed recipient' },
  '+15005550009': { code: 21614, message: (to) => `'To' number ${to} is not a valid mobile number` },
};

const ASYNC_OUTCOMES: Array<{ suffix: string; status: 'undelivered' | 'failed'; errorCode: number }> = [
  { suffix: '0001', status: 'undelivered', errorCode: 30003 },
  { suffix: '0005', status: 'failed', errorCode: 30008 },
  { suffix: '0006', status: 'undelivered', errorCode: 30006 },
];

function twilioError(reply: FastifyReply, status: number, code: number, message: string) {
  return reply
    .code(status)
    .type('application/json')
    .send({ code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status });
}

/** The signature Twilio puts in X-Twilio-Signature: HMAC-SHA1(authToken, url + sorted name+value pairs), base64. */
export function twilioSignature(authToken: string, url: string, params: Record<string, string>): string {
  const data = Object.keys(params)
    .sort()
    .reduce((acc, key) => acc + key + params[key], url);
  return createHmac('sha1', authToken).update(Buffer.from(data, 'utf-8')).digest('base64');
}

function basicAuth(header: string | undefined): { user: string; password: string } | undefined {
  if (!header?.startsWith('Basic ')) return undefined;
  const decoded = Buffer.from(header.slice(6), 'base64').toString('utf-8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

function firstString(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && typeof value[0] === 'string') return value[0];
  return undefined;
}

export function registerTwilio(
  app: FastifyInstance,
  opts: TwilioStandinOptions,
  faults: Faults,
  callbacks: CallbackSender,
): { messages: () => TwilioCapturedMessage[]; clear: () => void } {
  const messages: TwilioCapturedMessage[] = [];

  const resource = (m: TwilioCapturedMessage) => {
    const uri = `/2010-04-01/Accounts/${m.accountSid}/Messages/${m.sid}.json`;
    const created = rfc2822(m.receivedAt);
    return {
      account_sid: m.accountSid,
      api_version: '2010-04-01',
      body: m.body,
      date_created: created,
      date_sent: m.status === 'accepted' || m.status === 'queued' ? null : created,
      date_updated: rfc2822(new Date()),
      direction: 'outbound-api',
      error_code: m.errorCode,
      error_message: null,
      from: m.messagingServiceSid && m.status === 'accepted' ? null : m.from,
      messaging_service_sid: m.messagingServiceSid,
      num_media: '0',
      num_segments: String(m.numSegments),
      price: null,
      price_unit: 'USD',
      sid: m.sid,
      status: m.status,
      subresource_uris: { media: `/2010-04-01/Accounts/${m.accountSid}/Messages/${m.sid}/Media.json` },
      to: m.to,
      uri,
    };
  };

  /** Auth + faults common to every API route; answers and returns false when the request must stop here. */
  const guard = async (request: FastifyRequest<{ Params: { accountSid: string } }>, reply: FastifyReply) => {
    const latency = faults.latency('twilio');
    if (latency > 0) await delay(latency);
    const fault = faults.take('twilio');
    if (fault?.kind === 'drop') {
      reply.hijack();
      request.raw.socket.destroy();
      return false;
    }
    if (fault?.kind === 'status') {
      if (fault.retryAfterSeconds !== undefined) reply.header('Retry-After', String(fault.retryAfterSeconds));
      const code = fault.status === 429 ? 20429 : fault.status === 503 ? 20503 : 20500;
      const message =
        fault.status === 429
          ? 'Too Many Requests'
          : fault.status === 503
            ? 'Service Unavailable'
            : 'An internal server error has occurred';
      await twilioError(reply, fault.status, code, message);
      return false;
    }
    const auth = basicAuth(request.headers.authorization);
    if (!auth || auth.user !== opts.accountSid || auth.password !== opts.authToken) {
      reply.header('WWW-Authenticate', 'Basic realm="Twilio API"');
      await twilioError(reply, 401, 20003, 'Authenticate');
      return false;
    }
    if (request.params.accountSid !== auth.user) {
      await twilioError(reply, 404, 20404, `The requested resource ${request.url} was not found`);
      return false;
    }
    return true;
  };

  // The Account resource, as Twilio answers it to the account's own credentials (auth_token included, as Twilio
  // does: a client must not pass it on). Another account's SID: 404 code 20404; wrong credentials: 401 code 20003.
  const created = rfc2822(new Date());
  app.get<{ Params: { accountSid: string } }>(
    '/2010-04-01/Accounts/:accountSid.json',
    async (request, reply) => {
      if (!(await guard(request, reply))) return reply;
      const sid = opts.accountSid;
      const base = `/2010-04-01/Accounts/${sid}`;
      return reply.type('application/json').send({
        auth_token: opts.authToken,
        date_created: created,
        date_updated: created,
        friendly_name: opts.account?.friendlyName ?? `${sid}'s Account`,
        owner_account_sid: sid,
        sid,
        status: opts.account?.status ?? 'active',
        subresource_uris: {
          addresses: `${base}/Addresses.json`,
          calls: `${base}/Calls.json`,
          incoming_phone_numbers: `${base}/IncomingPhoneNumbers.json`,
          messages: `${base}/Messages.json`,
          notifications: `${base}/Notifications.json`,
          usage: `${base}/Usage.json`,
        },
        type: opts.account?.type ?? 'Full',
        uri: `${base}.json`,
      });
    },
  );

  app.post<{ Params: { accountSid: string }; Body: Record<string, unknown> }>(
    '/2010-04-01/Accounts/:accountSid/Messages.json',
    async (request, reply) => {
      if (!(await guard(request, reply))) return reply;
      const form = (request.body ?? {}) as Record<string, unknown>;
      const params: Record<string, string> = {};
      for (const [key, value] of Object.entries(form)) {
        const s = firstString(value);
        if (s !== undefined) params[key] = s;
      }
      const to = params.To;
      const from = params.From;
      const serviceSid = params.MessagingServiceSid;
      const body = params.Body;
      const statusCallback = params.StatusCallback;

      if (!to) return twilioError(reply, 400, 21604, "A 'To' phone number is required.");
      if (!from && !serviceSid) return twilioError(reply, 400, 21603, "A 'From' phone number is required.");
      if (serviceSid && !/^MG[0-9a-f]{32}$/.test(serviceSid))
        return twilioError(reply, 400, 21701, `The Messaging Service Sid ${serviceSid} is invalid.`);
      if (from && !E164.test(from))
        return twilioError(
          reply,
          400,
          21212,
          `The 'From' number ${from} is not a valid phone number, shortcode, or alphanumeric sender ID.`,
        );
      if (!body) return twilioError(reply, 400, 21602, 'Message body is required.');
      if (body.length > 1600)
        return twilioError(
          reply,
          400,
          21617,
          'The concatenated message body exceeds the 1600 character limit.',
        );
      if (!E164.test(to))
        return twilioError(reply, 400, 21211, `The 'To' number ${to} is not a valid phone number.`);
      const magic = SYNC_FAILURES[to];
      if (magic) return twilioError(reply, 400, magic.code, magic.message(to));
      if (statusCallback !== undefined) {
        let ok = false;
        try {
          const u = new URL(statusCallback);
          ok = (u.protocol === 'http:' || u.protocol === 'https:') && !u.hostname.includes('_');
        } catch {
          ok = false;
        }
        if (!ok) return twilioError(reply, 400, 21609, 'Invalid StatusCallback url');
      }

      const enc = smsEncoding(body);
      const message: TwilioCapturedMessage = {
        sid: `SM${hex(16)}`,
        accountSid: opts.accountSid,
        to,
        from: from ?? MESSAGING_SERVICE_NUMBER,
        messagingServiceSid: serviceSid ?? null,
        body,
        statusCallback: statusCallback ?? null,
        status: from ? 'queued' : 'accepted',
        errorCode: null,
        encoding: enc.encoding,
        numSegments: enc.segments,
        params,
        receivedAt: new Date(),
      };
      messages.push(message);
      const answer = resource(message);
      scheduleProgress(message);
      return reply.code(201).type('application/json').send(answer);
    },
  );

  app.get<{ Params: { accountSid: string; sid: string } }>(
    '/2010-04-01/Accounts/:accountSid/Messages/:sid.json',
    async (request, reply) => {
      if (!(await guard(request, reply))) return reply;
      const message = messages.find((m) => m.sid === request.params.sid);
      if (!message)
        return twilioError(reply, 404, 20404, `The requested resource ${request.url} was not found`);
      return reply.type('application/json').send(resource(message));
    },
  );

  function scheduleProgress(message: TwilioCapturedMessage) {
    const outcome = ASYNC_OUTCOMES.find((o) => message.to.endsWith(o.suffix));
    const steps: Array<{ status: TwilioMessageStatus; errorCode?: number }> = [
      { status: 'sent' },
      outcome ? { status: outcome.status, errorCode: outcome.errorCode } : { status: 'delivered' },
    ];
    const runStep = (index: number) => {
      const step = steps[index];
      if (!step) return;
      callbacks.schedule(opts.callbackDelayMs, async () => {
        message.status = step.status;
        if (step.errorCode !== undefined) message.errorCode = step.errorCode;
        // Schedule the next step before posting so "idle" covers the whole sequence.
        runStep(index + 1);
        if (message.statusCallback) await sendStatusCallback(message, message.statusCallback);
      });
    };
    runStep(0);
  }

  async function sendStatusCallback(message: TwilioCapturedMessage, url: string) {
    const params: Record<string, string> = {
      AccountSid: message.accountSid,
      ApiVersion: '2010-04-01',
      From: message.from,
      MessageSid: message.sid,
      MessageStatus: message.status,
      SmsSid: message.sid,
      SmsStatus: message.status,
      To: message.to,
    };
    if (message.messagingServiceSid) params.MessagingServiceSid = message.messagingServiceSid;
    if (message.errorCode !== null) params.ErrorCode = String(message.errorCode);
    if (message.status === 'delivered') {
      const d = new Date();
      const p = (n: number) => String(n).padStart(2, '0');
      params.RawDlrDoneDate = `${String(d.getUTCFullYear()).slice(2)}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}${p(d.getUTCHours())}${p(d.getUTCMinutes())}`;
    }
    await callbacks.post(
      'twilio',
      url,
      {
        'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
        'user-agent': 'TwilioProxy/1.1',
        'i-twilio-idempotency-token': `${message.sid}-${message.status}`,
        'x-twilio-signature': twilioSignature(opts.authToken, url, params),
      },
      new URLSearchParams(params).toString(),
    );
  }

  return {
    messages: () => messages.map((m) => ({ ...m, params: { ...m.params } })),
    clear: () => {
      messages.length = 0;
    },
  };
}
