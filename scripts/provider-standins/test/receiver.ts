// A tiny HTTP receiver for the stand-ins' callbacks: keeps every request's raw body and headers.
import Fastify from 'fastify';

export interface Received {
  url: string;
  headers: Record<string, string | string[] | undefined>;
  rawBody: string;
}

export async function startReceiver(answer = 204) {
  const received: Received[] = [];
  const app = Fastify({ logger: false });
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => done(null, body));
  app.post('/*', async (request, reply) => {
    received.push({ url: request.url, headers: request.headers, rawBody: String(request.body ?? '') });
    return reply.code(answer).send();
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('no address');
  const url = `http://127.0.0.1:${address.port}`;
  return {
    url,
    received,
    async waitFor(predicate: (all: Received[]) => boolean, timeoutMs = 5000): Promise<Received[]> {
      const start = Date.now();
      while (!predicate(received)) {
        if (Date.now() - start > timeoutMs)
          throw new Error(`receiver: condition not met after ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 10));
      }
      return received;
    },
    close: () => app.close(),
  };
}

/** A JSON response body, for field-by-field assertions. */

export const body = (res: Response): Promise<any> => res.json();
