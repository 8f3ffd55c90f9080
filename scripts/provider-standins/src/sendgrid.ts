// Stand-in for SendGrid's v3 Mail Send API and its Signed Event Webhook.
//
// Magic recipients (by local part, case-insensitive; `bounce+anything@…` works too):
//   bounce…    processed, then bounce (550 5.1.1, bounce_classification "Invalid Address")
//   dropped…   dropped ("Bounced Address"), no processed
//   deferred…  processed, deferred (421), then delivered
//   open…      processed, delivered, then open
//   anything else: processed, then delivered
// Every event carries email, timestamp, event, sg_event_id, sg_message_id (`<X-Message-Id>.filter…`),
// smtp-id, category, and the request's custom_args (message-level, overridden by personalization-level) as
// top-level fields, like SendGrid.

import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { CallbackSender } from './callbacks';
import type { Faults } from './faults';
import { base64url, delay, isEmailAddress } from './util';

export interface SendGridCapturedMessage {
  /** What the 202 answered in X-Message-Id. */
  messageId: string;
  /** The request body as received (JSON). */
  body: Record<string, unknown>;
  /** Every recipient (to, cc, bcc) of every personalization. */
  recipients: string[];
  receivedAt: Date;
}

export interface SendGridStandinOptions {
  apiKey: string;
  /** What `GET /v3/scopes` lists for the key (default: a restricted Mail Send key's) */
  scopes?: string[];
  callbackDelayMs: number;
  getWebhookUrl: () => string | undefined;
}

interface SendGridErrorItem {
  message: string;
  field: string | null;
  help: string | null;
}

const HELP = 'http://sendgrid.com/docs/API_Reference/Web_API_v3/Mail/errors.html';

function sendgridErrors(reply: FastifyReply, status: number, errors: SendGridErrorItem[]) {
  return reply.code(status).type('application/json').send({ errors });
}

export interface SendGridKeys {
  privateKey: KeyObject;
  /** Base64 DER SubjectPublicKeyInfo, as SendGrid shows the verification key in Mail Settings. */
  publicKey: string;
}

export function generateSendGridKeys(): SendGridKeys {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  return { privateKey, publicKey: publicKey.export({ type: 'spki', format: 'der' }).toString('base64') };
}

/** ECDSA P-256 / SHA-256 over `timestamp + payload`, DER, base64 — SendGrid's signed event webhook. */
export function sendgridSignature(privateKey: KeyObject, timestamp: string, payload: string): string {
  return sign('sha256', Buffer.from(timestamp + payload, 'utf-8'), privateKey).toString('base64');
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Validates the Mail Send body with the rules (and wording) of SendGrid's most common 400 errors. */
export function validateMailSend(body: unknown): SendGridErrorItem[] {
  const errors: SendGridErrorItem[] = [];
  const add = (message: string, field: string | null, anchor: string) =>
    errors.push({ message, field, help: `${HELP}#message.${anchor}` });
  if (!isObject(body)) {
    add('Bad Request', null, 'body');
    return errors;
  }
  const hasTemplate = typeof body.template_id === 'string' && body.template_id.length > 0;
  const ps = body.personalizations;
  if (!Array.isArray(ps) || ps.length === 0) {
    add(
      'The personalizations field is required and must have at least one personalization.',
      'personalizations',
      'personalizations',
    );
  } else if (ps.length > 1000) {
    add(
      'The personalizations field must have 1000 or fewer personalizations.',
      'personalizations',
      'personalizations',
    );
  } else {
    ps.forEach((p, i) => {
      if (!isObject(p) || !Array.isArray(p.to) || p.to.length === 0) {
        add(
          'The to array is required for all personalization objects, and must have at least one email object with a valid email address.',
          `personalizations.${i}.to`,
          'personalizations.to',
        );
        return;
      }
      for (const kind of ['to', 'cc', 'bcc'] as const) {
        const list = p[kind];
        if (list === undefined) continue;
        if (!Array.isArray(list)) {
          add(
            'Invalid type. Expected: array, given: ' + typeof list + '.',
            `personalizations.${i}.${kind}`,
            `personalizations.${kind}`,
          );
          continue;
        }
        list.forEach((r, j) => {
          if (!isObject(r) || !isEmailAddress(r.email))
            add(
              'Does not contain a valid address.',
              `personalizations.${i}.${kind}.${j}.email`,
              `personalizations.${kind}`,
            );
        });
      }
      if (p.custom_args !== undefined) checkCustomArgs(p.custom_args, `personalizations.${i}.custom_args`);
    });
  }
  if (!isObject(body.from) || !isEmailAddress(body.from.email)) {
    add(
      'The from object must be provided for every email send. It is an object that requires the email parameter, but may also contain a name parameter.  e.g. {"email" : "example@example.com"}  or {"email" : "example@example.com", "name" : "Example Recipient"}',
      'from.email',
      'from',
    );
  }
  if (body.reply_to !== undefined && (!isObject(body.reply_to) || !isEmailAddress(body.reply_to.email)))
    add('Does not contain a valid address.', 'reply_to.email', 'reply_to');
  const everyPersonalizationHasSubject =
    Array.isArray(ps) &&
    ps.length > 0 &&
    ps.every((p) => isObject(p) && typeof p.subject === 'string' && p.subject.length > 0);
  if (
    !hasTemplate &&
    !everyPersonalizationHasSubject &&
    (typeof body.subject !== 'string' || body.subject.length === 0)
  ) {
    add(
      'The subject is required. You can get around this requirement if you use a template with a subject defined or if every personalization has a subject defined.',
      'subject',
      'subject',
    );
  }
  const content = body.content;
  if (content === undefined || (Array.isArray(content) && content.length === 0)) {
    if (!hasTemplate)
      add(
        'Unless a valid template_id is provided, the content parameter is required. There must be at least one defined content block. We typically suggest both text/plain and text/html blocks are included, but only one block is required.',
        'content',
        'contents',
      );
  } else if (!Array.isArray(content)) {
    add('Invalid type. Expected: array, given: ' + typeof content + '.', 'content', 'contents');
  } else {
    content.forEach((c, i) => {
      if (!isObject(c) || typeof c.type !== 'string' || c.type.length === 0)
        add('The content type is required.', `content.${i}.type`, 'contents.type');
      if (!isObject(c) || typeof c.value !== 'string' || c.value.length === 0)
        add(
          'The content value must be a string at least one character in length.',
          `content.${i}.value`,
          'contents.value',
        );
    });
    const types = content.map((c) => (isObject(c) ? c.type : undefined));
    const plain = types.indexOf('text/plain');
    const html = types.indexOf('text/html');
    if (plain > 0 || (html >= 0 && html !== (plain === 0 ? 1 : 0)))
      add(
        'If present, text/plain content must be first, followed by text/html, followed by any other content.',
        'content',
        'contents',
      );
  }
  if (body.custom_args !== undefined) checkCustomArgs(body.custom_args, 'custom_args');
  return errors;

  function checkCustomArgs(args: unknown, field: string) {
    if (!isObject(args)) {
      add('Invalid type. Expected: object, given: ' + typeof args + '.', field, 'custom_args');
      return;
    }
    for (const [key, value] of Object.entries(args)) {
      if (typeof value !== 'string')
        add(`Invalid type. Expected: string, given: ${typeof value}.`, `${field}.${key}`, 'custom_args');
    }
    if (JSON.stringify(args).length > 10000)
      add('The custom_args object must be smaller than 10000 bytes.', field, 'custom_args');
  }
}

type Stage = 'processed' | 'delivered' | 'bounce' | 'dropped' | 'deferred' | 'open';

function stagesFor(email: string): Stage[] {
  const local = email.split('@')[0]!.toLowerCase();
  if (local.startsWith('bounce')) return ['processed', 'bounce'];
  if (local.startsWith('dropped')) return ['dropped'];
  if (local.startsWith('deferred')) return ['processed', 'deferred', 'delivered'];
  if (local.startsWith('open')) return ['processed', 'delivered', 'open'];
  return ['processed', 'delivered'];
}

export function registerSendGrid(
  app: FastifyInstance,
  opts: SendGridStandinOptions,
  keys: SendGridKeys,
  faults: Faults,
  callbacks: CallbackSender,
): { messages: () => SendGridCapturedMessage[]; clear: () => void } {
  const messages: SendGridCapturedMessage[] = [];

  /** Latency and faults common to every API route; answers and returns false when the request must stop here. */
  const faulted = async (request: FastifyRequest, reply: FastifyReply) => {
    const latency = faults.latency('sendgrid');
    if (latency > 0) await delay(latency);
    const fault = faults.take('sendgrid');
    if (fault?.kind === 'drop') {
      reply.hijack();
      request.raw.socket.destroy();
      return false;
    }
    if (fault?.kind === 'status') {
      if (fault.retryAfterSeconds !== undefined) reply.header('Retry-After', String(fault.retryAfterSeconds));
      const message =
        fault.status === 429
          ? 'too many requests'
          : fault.status === 503
            ? 'Service Unavailable'
            : 'internal server error';
      await sendgridErrors(reply, fault.status, [{ message, field: null, help: null }]);
      return false;
    }
    return true;
  };

  // API Keys › Retrieve a list of scopes for which this user has access: any valid key may call it (no scope of
  // its own needed); 200 `{scopes: [...]}`, 401 `{errors: [{field: null, message: 'authorization required'}]}`.
  app.get('/v3/scopes', async (request, reply) => {
    if (!(await faulted(request, reply))) return reply;
    if (request.headers.authorization !== `Bearer ${opts.apiKey}`)
      return reply
        .code(401)
        .type('application/json')
        .send({ errors: [{ field: null, message: 'authorization required' }] });
    return reply.type('application/json').send({ scopes: opts.scopes ?? ['mail.send'] });
  });

  app.post<{ Body: unknown }>('/v3/mail/send', async (request, reply) => {
    if (!(await faulted(request, reply))) return reply;
    if (request.headers.authorization !== `Bearer ${opts.apiKey}`) {
      return sendgridErrors(reply, 401, [
        {
          message: 'The provided authorization grant is invalid, expired, or revoked',
          field: null,
          help: null,
        },
      ]);
    }
    const body = request.body;
    const errors = validateMailSend(body);
    if (errors.length > 0) return sendgridErrors(reply, 400, errors);

    const mail = body as Record<string, unknown>;
    const messageId = base64url(16).slice(0, 22);
    const recipients: Array<{ email: string; customArgs: Record<string, string> }> = [];
    const baseArgs = (isObject(mail.custom_args) ? mail.custom_args : {}) as Record<string, string>;
    for (const p of mail.personalizations as Array<Record<string, unknown>>) {
      const args = {
        ...baseArgs,
        ...((isObject(p.custom_args) ? p.custom_args : {}) as Record<string, string>),
      };
      for (const kind of ['to', 'cc', 'bcc'] as const) {
        const list = p[kind];
        if (Array.isArray(list))
          for (const r of list as Array<{ email: string }>)
            recipients.push({ email: r.email, customArgs: args });
      }
    }
    messages.push({
      messageId,
      body: mail,
      recipients: recipients.map((r) => r.email),
      receivedAt: new Date(),
    });
    const categories = Array.isArray(mail.categories) ? (mail.categories as string[]) : [];
    scheduleEvents(messageId, recipients, categories);
    return reply.code(202).header('X-Message-Id', messageId).send();
  });

  function scheduleEvents(
    messageId: string,
    recipients: Array<{ email: string; customArgs: Record<string, string> }>,
    categories: string[],
  ) {
    // One webhook request per stage, carrying that stage's event for every recipient (SendGrid batches too).
    const perRecipient = recipients.map((r, index) => ({ ...r, stages: stagesFor(r.email), index }));
    const depth = Math.max(...perRecipient.map((r) => r.stages.length));
    const runStage = (n: number) => {
      if (n >= depth) return;
      callbacks.schedule(opts.callbackDelayMs, async () => {
        runStage(n + 1);
        const events = perRecipient
          .filter((r) => r.stages[n] !== undefined)
          .map((r) => eventFor(r.stages[n]!, messageId, r.index, r.email, r.customArgs, categories));
        const url = opts.getWebhookUrl();
        if (!url || events.length === 0) return;
        const payload = JSON.stringify(events);
        const timestamp = String(Math.floor(Date.now() / 1000));
        await callbacks.post(
          'sendgrid',
          url,
          {
            'content-type': 'application/json',
            'user-agent': 'SendGrid Event API',
            'x-twilio-email-event-webhook-signature': sendgridSignature(keys.privateKey, timestamp, payload),
            'x-twilio-email-event-webhook-timestamp': timestamp,
          },
          payload,
        );
      });
    };
    runStage(0);
  }

  return {
    messages: () => messages.map((m) => ({ ...m, recipients: [...m.recipients] })),
    clear: () => {
      messages.length = 0;
    },
  };
}

function eventFor(
  stage: Stage,
  messageId: string,
  index: number,
  email: string,
  customArgs: Record<string, string>,
  categories: string[],
): Record<string, unknown> {
  const common: Record<string, unknown> = {
    ...customArgs,
    email,
    timestamp: Math.floor(Date.now() / 1000),
    'smtp-id': `<${messageId}@geopod-ismtpd-1-0>`,
    event: stage,
    category: categories,
    sg_event_id: base64url(16).slice(0, 22),
    sg_message_id: `${messageId}.filterdrecv-5645d9c87f-6r5pl-1-5F7F0D6A-${index}.0`,
  };
  switch (stage) {
    case 'delivered':
      return { ...common, response: '250 2.0.0 OK', ip: '168.245.0.1', tls: 1 };
    case 'bounce':
      return {
        ...common,
        reason: `550 5.1.1 <${email}>: Recipient address rejected: User unknown in virtual mailbox table`,
        status: '5.1.1',
        type: 'bounce',
        bounce_classification: 'Invalid Address',
        ip: '168.245.0.1',
        tls: 1,
      };
    case 'dropped':
      return { ...common, reason: 'Bounced Address', status: '5.0.0' };
    case 'deferred':
      return { ...common, response: '421 4.7.0 Try again later', attempt: '1', ip: '168.245.0.1', tls: 1 };
    case 'open':
      return { ...common, useragent: 'Mozilla/5.0', ip: '203.0.113.7', sg_machine_open: false };
    default:
      return common;
  }
}
