// Test helpers for the delivery layer: the provider stand-ins and a small webhook receiver that keeps the
// raw body (signature checks need the bytes as sent).
import Fastify from 'fastify';
import { startProviderStandins } from '@imper/provider-standins';

export const TWILIO = { accountSid: `AC${'a1'.repeat(16)}`, authToken: 'twilio-auth-token-for-tests' };
export const SENDGRID = { apiKey: 'SG.delivery-tests.key' };

export function standins() {
  return startProviderStandins({ twilio: TWILIO, sendgrid: SENDGRID, callbackDelayMs: 5 });
}

export interface ReceivedWebhook {
  path: string;
  /** Path + query as requested. */
  url: string;
  headers: Record<string, string | string[] | undefined>;
  rawBody: string;
  /** Form-decoded body (Twilio), repeated names as arrays. */
  form: Record<string, string | string[]>;
}

export async function startWebhookReceiver() {
  const received: ReceivedWebhook[] = [];
  const app = Fastify({ logger: false });
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => done(null, body));
  app.post('/*', async (request, reply) => {
    const rawBody = String(request.body ?? '');
    const form: Record<string, string | string[]> = {};
    if (String(request.headers['content-type']).startsWith('application/x-www-form-urlencoded')) {
      for (const [k, v] of new URLSearchParams(rawBody)) {
        const prev = form[k];
        form[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
      }
    }
    received.push({
      path: request.url.split('?')[0]!,
      url: request.url,
      headers: request.headers,
      rawBody,
      form,
    });
    return reply.code(200).send();
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('no address');
  const url = `http://127.0.0.1:${address.port}`;
  return {
    url,
    received,
    async waitFor(predicate: (all: ReceivedWebhook[]) => boolean, timeoutMs = 5000) {
      const start = Date.now();
      while (!predicate(received)) {
        if (Date.now() - start > timeoutMs) throw new Error(`no matching webhook after ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 10));
      }
      return received;
    },
    close: () => app.close(),
  };
}

/** Runs `fn`, expecting it to reject, and returns the rejection. */
export async function rejectionOf(fn: () => Promise<unknown>): Promise<unknown> {
  try {
    await fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected a rejection');
}
