// A scripted local HTTP server that answers like ServiceNow's Table API and OAuth endpoint (SERVICENOW.md),
// for fault sequences the shared stand-in is not meant to produce: rate limits, 5xx, hangs, dropped
// connections. Each request is recorded with its arrival time (real, and on the test's clock if given).

import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Recorded {
  method: string;
  path: string;
  params: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: string;
  /** Date.now() when the request arrived. */
  at: number;
  /** Date.now() when the answer was sent (undefined for hangs and dropped connections). */
  respondedAt?: number;
  /** The test clock when the request arrived. */
  clockAt?: number;
}

export type Reply =
  | { status: number; headers?: Record<string, string>; json?: unknown; text?: string }
  /** Never answer (until the server closes). */
  | 'hang'
  /** Drop the connection without answering (after reading the request). */
  | 'destroy';

export type Handler = (r: Recorded) => Reply | Promise<Reply>;

export interface FakeInstance {
  url: string;
  requests: Recorded[];
  /** Requests other than token requests. */
  tableRequests(): Recorded[];
  tokenRequests(): Recorded[];
  close(): Promise<void>;
}

export function snError(
  status: number,
  message: string,
  detail: string | null = null,
  headers?: Record<string, string>,
): Reply {
  return { status, json: { error: { message, detail }, status: 'failure' }, ...(headers ? { headers } : {}) };
}

export function ok(result: unknown, status = 200, headers?: Record<string, string>): Reply {
  return { status, json: { result }, ...(headers ? { headers } : {}) };
}

/** A handler answering with the given replies in order; extra requests get a 500 the test will notice. */
export function sequence(...replies: Reply[]): Handler {
  let i = 0;
  return () => replies[i++] ?? snError(500, 'script exhausted');
}

export async function startFakeInstance(
  handler: Handler,
  opts: { clock?: () => number } = {},
): Promise<FakeInstance> {
  const requests: Recorded[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://fake');
      const rec: Recorded = {
        method: req.method ?? 'GET',
        path: url.pathname,
        params: url.searchParams,
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        at: Date.now(),
        ...(opts.clock ? { clockAt: opts.clock() } : {}),
      };
      requests.push(rec);
      Promise.resolve(handler(rec)).then(
        (reply) => {
          if (reply === 'hang') return;
          if (reply === 'destroy') {
            req.socket.destroy();
            return;
          }
          const body = reply.json !== undefined ? JSON.stringify(reply.json) : (reply.text ?? '');
          rec.respondedAt = Date.now();
          res.writeHead(reply.status, {
            ...(reply.json !== undefined ? { 'content-type': 'application/json' } : {}),
            ...reply.headers,
          });
          res.end(body);
        },
        (e: unknown) => {
          res.writeHead(500, { 'content-type': 'text/plain' });
          res.end(String(e));
        },
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    tableRequests: () => requests.filter((r) => r.path !== '/oauth_token.do'),
    tokenRequests: () => requests.filter((r) => r.path === '/oauth_token.do'),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A clock for the client: `sleep` advances it instantly and records how long was asked for. */
export function testClock(start = Date.UTC(2030, 0, 1, 0, 0, 0)) {
  let t = start;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => t,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      t += ms;
    },
    advance: (ms: number) => {
      t += ms;
    },
  };
}

export const SYS_ID_A = 'a'.repeat(32);
export const SYS_ID_B = 'b'.repeat(32);
