// Helpers for the API tests: an agent launched from the ServiceNow stand-in, raw HTTP requests (no URL
// normalisation, any method/body/header), the route table from /docs/json and from the router, and the checks
// every error answer must pass (S22).
import http from 'node:http';
import { generateKeyPairSync, sign } from 'node:crypto';
import { ERROR_CODES } from '@imper/shared';
import { twilioSignature } from '@imper/provider-standins';
import { DEMO_TICKET, type TestApp } from '../helper';
import { Browser } from '../browser-client';

export const STABLE_CODES = new Set(Object.keys(ERROR_CODES));

/** Signs in to the stand-in as Beth Anglin and launches the send page for a ticket; returns the agent's browser. */
export async function launchAgent(
  t: TestApp,
  sysId: string = DEMO_TICKET.sys_id,
): Promise<{ agent: Browser; csrf: string; cookie: string }> {
  const agent = new Browser();
  const login = await agent.request(`${t.standin.url}/login.do`, {
    form: { user_name: 'beth.anglin', user_password: t.agentPassword },
  });
  if (![200, 302, 303].includes(login.status)) throw new Error(`stand-in login: ${login.status}`);
  const viaInstance = await agent.get(
    `${t.standin.url}/x_imper_verify_launch.do?table=incident&sys_id=${sysId}`,
  );
  if (viaInstance.status !== 302) throw new Error(`launch from the instance: ${viaInstance.status}`);
  const token = new URL(viaInstance.location!).searchParams.get('token')!;
  const launched = await agent.get(`${t.url}/agent/launch?token=${encodeURIComponent(token)}`);
  if (launched.status !== 303) throw new Error(`launch: ${launched.status} ${launched.text}`);
  const cookie = launched.headers
    .getSetCookie()
    .map((c) => c.split(';')[0]!)
    .join('; ');
  const view = await agent.get(`${t.url}/agent/api/ticket`, { accept: 'application/json' });
  if (view.status !== 200) throw new Error(`ticket view: ${view.status} ${view.text}`);
  return { agent, csrf: view.json().csrf as string, cookie };
}

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
}

/** One HTTP request exactly as given: the path is sent byte for byte (malformed escapes included). */
export function rawRequest(
  base: string,
  opts: { method: string; path: string; headers?: Record<string, string>; body?: string | Buffer },
): Promise<RawResponse> {
  const u = new URL(base);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: u.hostname,
        port: u.port,
        method: opts.method,
        path: opts.path,
        // An explicit length: Node sends DELETE/OPTIONS bodies unframed otherwise, which is not valid HTTP.
        headers: {
          connection: 'close',
          ...(opts.body !== undefined ? { 'content-length': String(Buffer.byteLength(opts.body)) } : {}),
          ...opts.headers,
        },
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            text: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', (err: NodeJS.ErrnoException) => {
      // The server may answer 413 and close before it has read a huge body; that is an answer, not a failure.
      if (err.code === 'EPIPE' || err.code === 'ECONNRESET')
        resolve({ status: 0, headers: {}, text: `connection closed: ${err.code}` });
      else reject(err);
    });
    if (opts.body !== undefined) req.write(opts.body);
    req.end();
  });
}

export interface RouteSpec {
  method: string;
  /** Path with `:name` parameters, as Fastify spells it. */
  path: string;
  params: string[];
  documented: boolean;
}

/** The routes the OpenAPI document lists, as Fastify paths. */
export function routesFromOpenApi(doc: { paths: Record<string, Record<string, unknown>> }): RouteSpec[] {
  const out: RouteSpec[] = [];
  for (const [p, item] of Object.entries(doc.paths)) {
    for (const method of Object.keys(item)) {
      if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
      const path = p.replace(/\{([^}]+)\}/g, ':$1');
      out.push({
        method: method.toUpperCase(),
        path,
        params: [...path.matchAll(/:([A-Za-z0-9_]+)/g)].map((m) => m[1]!),
        documented: true,
      });
    }
  }
  return out;
}

/**
 * Every route the router knows, read from Fastify's route tree (`printRoutes({ commonPrefix: false })`), so a
 * route hidden from the docs is still fuzzed. HEAD twins of GET routes are left out (HEAD is sent separately).
 */
export function routesFromRouter(tree: string): Array<{ method: string; path: string }> {
  const out: Array<{ method: string; path: string }> = [];
  const stack: string[] = [];
  for (const line of tree.split('\n')) {
    const m = /^((?:│ {3}| {4})*)(?:├── |└── )(.*?)(?: \(([A-Z, ]+)\))?$/.exec(line);
    if (!m) continue;
    const depth = m[1]!.length / 4;
    stack.length = depth;
    stack.push(m[2]!);
    if (!m[3]) continue;
    const path = stack.join('');
    for (const method of m[3].split(',').map((s) => s.trim()))
      if (method !== 'HEAD') out.push({ method, path });
  }
  return out;
}

/** What any answer to client input must satisfy (S22): never 5xx, stable codes, nothing internal in the body. */
export function checkAnswer(res: RawResponse, what: string): string | null {
  if (res.status === 0) return null; // connection closed after a 413 on an oversized upload (checked elsewhere)
  if (res.status >= 500) return `${what} → ${res.status} ${res.text.slice(0, 300)}`;
  const type = String(res.headers['content-type'] ?? '');
  const leak =
    /\bat \/|at [A-Za-z]+ \(|node_modules|\.ts:\d+|\bselect .* from\b|\binsert into\b|syntax error at or near|violates .* constraint|relation ".*" does not exist|invalid input syntax for type/i;
  if (leak.test(res.text)) return `${what} → ${res.status} leaks internals: ${res.text.slice(0, 300)}`;
  if (res.status >= 400 && !(what.startsWith('HEAD') && res.text === '')) {
    if (type.startsWith('application/json')) {
      let code: unknown;
      try {
        code = (JSON.parse(res.text) as { error?: { code?: unknown } }).error?.code;
      } catch {
        return `${what} → ${res.status} with a JSON content type but not JSON: ${res.text.slice(0, 200)}`;
      }
      if (typeof code !== 'string' || !STABLE_CODES.has(code))
        return `${what} → ${res.status} without a stable error code: ${res.text.slice(0, 200)}`;
    } else if (type.startsWith('text/html')) {
      if (!/<html/i.test(res.text)) return `${what} → ${res.status} text/html that is not a page`;
    } else if (!(res.text === '' && (res.status === 304 || what.startsWith('HEAD')))) {
      return `${what} → ${res.status} with content type "${type}": ${res.text.slice(0, 200)}`;
    }
  }
  return null;
}

/**
 * Provider webhook secrets for a test app (`env` goes into build()), and webhook requests signed with them the way
 * Twilio (status callback, form body) and SendGrid (event webhook, ECDSA over timestamp + body) sign theirs.
 */
export function signedWebhooks(twilioToken: string) {
  const keys = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  return {
    env: {
      TWILIO_AUTH_TOKEN: twilioToken,
      SENDGRID_WEBHOOK_PUBLIC_KEY: keys.publicKey.export({ type: 'spki', format: 'der' }).toString('base64'),
    },
    twilio: (base: string, path: string, params: Record<string, string>) =>
      rawRequest(base, {
        method: 'POST',
        path,
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'x-twilio-signature': twilioSignature(twilioToken, `${base}${path}`, params),
        },
        body: new URLSearchParams(params).toString(),
      }),
    sendgrid: (base: string, payload: string) => {
      const ts = String(Math.floor(Date.now() / 1000));
      return rawRequest(base, {
        method: 'POST',
        path: '/webhooks/sendgrid/events',
        headers: {
          'content-type': 'application/json',
          'x-twilio-email-event-webhook-signature': sign(
            'sha256',
            Buffer.from(ts + payload),
            keys.privateKey,
          ).toString('base64'),
          'x-twilio-email-event-webhook-timestamp': ts,
        },
        body: payload,
      });
    },
  };
}
