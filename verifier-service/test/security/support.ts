// Helpers for the security tests: scanning the whole database for a secret, reading Set-Cookie headers, and
// requests with headers fetch will not forge (Host).
import { request as httpRequest } from 'node:http';
import { sql } from 'kysely';
import type { TestApp } from '../helper';

/**
 * Every column (`schema.table.column`) of every table outside PostgreSQL's own schemas whose value contains the
 * string — text, varchar, json and jsonb columns as text; bytea columns as the string's UTF-8 bytes and as any extra
 * byte sequences given (e.g. the token's decoded bytes).
 */
export async function columnsContaining(
  t: Pick<TestApp, 'db'>,
  needle: string,
  extraBytes: Buffer[] = [],
): Promise<string[]> {
  const cols = await sql<{
    table_schema: string;
    table_name: string;
    column_name: string;
    data_type: string;
  }>`
    select c.table_schema, c.table_name, c.column_name, c.data_type
    from information_schema.columns c
    join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name and t.table_type = 'BASE TABLE'
    where c.table_schema not in ('pg_catalog', 'information_schema') and c.table_schema not like 'pg_toast%'
      and c.data_type in ('text', 'character varying', 'character', 'json', 'jsonb', 'bytea', 'ARRAY', 'USER-DEFINED')
  `.execute(t.db.db);
  if (cols.rows.length < 20)
    throw new Error(`only ${cols.rows.length} columns to scan: the schema query is wrong`);
  const hits: string[] = [];
  for (const c of cols.rows) {
    const ref = sql.raw(`"${c.table_schema}"."${c.table_name}"`);
    const col = sql.raw(`"${c.column_name}"`);
    let found: boolean;
    if (c.data_type === 'bytea') {
      const needles = [Buffer.from(needle, 'utf8'), ...extraBytes];
      const r = await sql<{ n: string }>`select count(*) as n from ${ref} where ${sql.join(
        needles.map((b) => sql`position(${b}::bytea in ${col}) > 0`),
        sql` or `,
      )}`.execute(t.db.db);
      found = Number(r.rows[0]!.n) > 0;
    } else {
      const r = await sql<{
        n: string;
      }>`select count(*) as n from ${ref} where position(${needle} in ${col}::text) > 0`.execute(t.db.db);
      found = Number(r.rows[0]!.n) > 0;
    }
    if (found) hits.push(`${c.table_schema}.${c.table_name}.${c.column_name}`);
  }
  return hits;
}

export interface ParsedCookie {
  name: string;
  value: string;
  attrs: Map<string, string | true>;
}

export function parseSetCookies(headers: Headers): ParsedCookie[] {
  return headers.getSetCookie().map((line) => {
    const [pair, ...rest] = line.split(';');
    const eq = pair!.indexOf('=');
    const attrs = new Map<string, string | true>();
    for (const a of rest) {
      const [k, ...v] = a.trim().split('=');
      attrs.set(k!.toLowerCase(), v.length ? v.join('=') : true);
    }
    return { name: pair!.slice(0, eq).trim(), value: pair!.slice(eq + 1).trim(), attrs };
  });
}

/**
 * A raw HTTP/1.1 request (node:http), for what fetch does not let a caller choose: the Host header, or the local
 * address (any 127.x.y.z reaches the app listening on 127.0.0.1, as another client IP).
 */
export function rawRequest(
  url: string,
  opts: { method?: string; headers?: Record<string, string>; body?: string; localAddress?: string } = {},
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; text: string }> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: u.hostname,
        port: u.port,
        path: `${u.pathname}${u.search}`,
        method: opts.method ?? 'GET',
        headers: opts.headers ?? {},
        agent: false,
        ...(opts.localAddress ? { localAddress: opts.localAddress } : {}),
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
    req.on('error', reject);
    if (opts.body) req.write(opts.body);
    req.end();
  });
}

/** Settings shared by builds that must not trip the (separately tested) rate limits. */
export const GENEROUS_LIMITS = {
  RATE_LIMIT_PER_IP_PER_MINUTE: '100000',
  RATE_LIMIT_SENDS_PER_AGENT_PER_HOUR: '10000',
  RATE_LIMIT_SENDS_PER_RECIPIENT_PER_HOUR: '1000',
};

/**
 * The app's clock for tests that move time: the wall clock until `freeze(at)`, then exactly `at` until `thaw()`;
 * `advance(ms)` skips ahead of either until the next `freeze` or `thaw`. (Unlike `testClock`, it keeps ticking by default, so launch tokens minted with the wall clock stay valid.)
 */
export function movableClock() {
  let frozen: number | null = null;
  let offset = 0;
  return {
    now: () => new Date((frozen ?? Date.now()) + offset),
    freeze: (at: Date | number) => void ((frozen = typeof at === 'number' ? at : at.getTime()), (offset = 0)),
    /** Skips time ahead (a requester reading a question) without the test waiting. */
    advance: (ms: number) => void (offset += ms),
    thaw: () => void ((frozen = null), (offset = 0)),
  };
}

/** Added to a build's env: a complete production configuration (delivery through the providers' clouds, which these tests never reach). */
export const PRODUCTION_ENV = {
  APP_ENV: 'production',
  PUBLIC_BASE_URL: 'https://verify.example.com',
  SENDGRID_API_KEY: 'SG.test-sendgrid-api-key',
  SENDGRID_FROM_EMAIL: 'helpdesk@example.com',
  SENDGRID_WEBHOOK_PUBLIC_KEY: 'MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE-public-key',
  TWILIO_ACCOUNT_SID: `AC${'0'.repeat(32)}`,
  TWILIO_AUTH_TOKEN: 'twilio-auth-token-test',
  TWILIO_FROM: '+15005550006',
};
