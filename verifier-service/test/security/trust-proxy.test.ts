// Issue 8 finding 3 (S16, S21): which client IP the service believes. Only the proxies TRUST_PROXY names may speak
// for the client in X-Forwarded-For; by default (every environment, production included) nobody may, so a forged
// header neither dodges the per-IP limit nor lands in the audit chain. The demo trusts loopback (CONTRACTS.md).
import { randomBytes, randomUUID } from 'node:crypto';
import { build, secret, type TestApp } from '../helper';
import { launchToken } from '../flows';
import { PRODUCTION_ENV as PRODUCTION, rawRequest } from './support';
import { loadConfig } from '../../src/config';
import { createServer } from '../../src/server';

jest.setTimeout(30_000);

const PER_IP = 20;

/** The service's own address: a production PUBLIC_BASE_URL is https and names a host these tests cannot reach. */
const local = (t: TestApp) => `http://127.0.0.1:${t.config.port}`;

/** Launches from a local address (any 127.x reaches the app), and returns the IP its audit event recorded. */
async function launchFrom(t: TestApp, localAddress: string, xff?: string) {
  const token = launchToken(t, { jti: randomBytes(16).toString('hex') });
  const res = await rawRequest(`${local(t)}/agent/launch?token=${encodeURIComponent(token)}`, {
    localAddress,
    headers: xff ? { 'x-forwarded-for': xff } : {},
  });
  expect(res.status).toBe(303);
  const row = await t.db.db
    .selectFrom('audit_events')
    .select('data')
    .where('type', '=', 'agent.launched')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirstOrThrow();
  return ((typeof row.data === 'string' ? JSON.parse(row.data) : row.data) as { ip?: string }).ip;
}

describe('issue 8 finding 3: production trusts no proxy unless TRUST_PROXY names it', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await build({ env: { ...PRODUCTION, RATE_LIMIT_PER_IP_PER_MINUTE: String(PER_IP) } });
  });
  afterAll(() => t.close());

  it('issue 8 finding 3: a forged X-Forwarded-For does not dodge the per-IP limit (S16)', async () => {
    const from = (i: number) =>
      rawRequest(`${local(t)}/v/${randomBytes(32).toString('base64url')}`, {
        localAddress: '127.0.0.3',
        headers: { accept: 'application/json', 'x-forwarded-for': `203.0.113.${i}, 10.0.0.1` },
      });
    const statuses: number[] = [];
    for (let i = 0; i < PER_IP; i++) statuses.push((await from(i)).status);
    expect(statuses).toEqual(statuses.map(() => 404));
    const over = await from(PER_IP);
    expect(over.status).toBe(429);
    expect(over.text).toContain('data-code="RATE_LIMITED"');
    expect(Number(over.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('issue 8 finding 3: the audit event of a launch records the socket IP, not a forged X-Forwarded-For (S21)', async () => {
    expect(await launchFrom(t, '127.0.0.4', '6.6.6.6')).toBe('127.0.0.4');
  });
});

describe('issue 8 finding 3: TRUST_PROXY names the proxies whose X-Forwarded-For is believed', () => {
  let t: TestApp;
  beforeAll(async () => {
    // The demo's setting (scripts/demo.ts): loopback is the proxy, so tests can present other client IPs.
    t = await build({
      env: { TRUST_PROXY: '127.0.0.1/8,::1', RATE_LIMIT_PER_IP_PER_MINUTE: String(PER_IP) },
    });
  });
  afterAll(() => t.close());

  it('issue 8 finding 3: with TRUST_PROXY=loopback the X-Forwarded-For client is recorded (the demo case)', async () => {
    expect(await launchFrom(t, '127.0.0.5', '198.51.100.7')).toBe('198.51.100.7');
    // Loopback hops are skipped; the right-most address no trusted proxy vouches for is the client.
    expect(await launchFrom(t, '127.0.0.5', '6.6.6.6, 198.51.100.8, 127.0.0.9')).toBe('198.51.100.8');
  });

  it('issue 8 finding 3: with TRUST_PROXY=loopback the per-IP limit counts the forwarded client', async () => {
    const from = (client: string) =>
      rawRequest(`${local(t)}/v/${randomBytes(32).toString('base64url')}`, {
        localAddress: '127.0.0.6',
        headers: { accept: 'application/json', 'x-forwarded-for': client },
      });
    for (let i = 0; i < PER_IP; i++) expect((await from('198.51.100.20')).status).toBe(404);
    expect((await from('198.51.100.20')).status).toBe(429);
    // Another client behind the same proxy is not limited by that one.
    expect((await from('198.51.100.21')).status).toBe(404);
  });
});

describe('issue 8 finding 3: TRUST_PROXY as a hop count', () => {
  const ipOf = async (trustProxy: string | undefined, xff: string) => {
    const config = loadConfig({
      APP_ENV: 'test',
      DATA_ENCRYPTION_KEY: secret(),
      TENANTS: JSON.stringify([
        {
          slug: 'x',
          name: 'X',
          instanceUrl: 'https://x.service-now.com',
          auth: { type: 'basic', username: 'u', password: 'p' },
          launchSecret: secret(),
        },
      ]),
      ...(trustProxy ? { TRUST_PROXY: trustProxy } : {}),
    });
    const server = createServer(config);
    server.get('/ip', async (req) => ({ ip: req.ip, id: randomUUID() }));
    const address = await server.listen({ host: '127.0.0.1', port: 0 });
    try {
      const res = await rawRequest(`${address}/ip`, { headers: { 'x-forwarded-for': xff } });
      return JSON.parse(res.text).ip as string;
    } finally {
      await server.close();
    }
  };

  it('issue 8 finding 3: with a hop count the right-most entry beyond the trusted hops is the client', async () => {
    // One proxy in front: it appended the address it saw; whatever the client wrote before that is ignored.
    expect(await ipOf('1', '6.6.6.6, 203.0.113.9')).toBe('203.0.113.9');
    // Two proxies: the first appended the client, the second the first proxy.
    expect(await ipOf('2', '6.6.6.6, 203.0.113.9, 10.0.0.2')).toBe('203.0.113.9');
    // Without TRUST_PROXY, or with 0 hops, the socket's address.
    expect(await ipOf(undefined, '6.6.6.6, 203.0.113.9')).toBe('127.0.0.1');
    expect(await ipOf('0', '6.6.6.6, 203.0.113.9')).toBe('127.0.0.1');
  });
});
