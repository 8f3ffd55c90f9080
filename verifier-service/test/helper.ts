// Test harness (fastify/demo's helper, kysely's test context): every test file gets its own freshly migrated
// PostgreSQL database, the real ServiceNow stand-in, and the app wired exactly as in production, with its logs
// captured so tests can check what was logged (S20).
import { randomBytes } from 'node:crypto';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import type { Runner } from 'graphile-worker';
import { startDevInstance, DEMO_TICKET, type DevInstance } from '@imper/dev-instance';
import { createTestDatabase } from './db';
import { loadConfig, type Config } from '../src/config';
import { openDatabase, type DatabaseHandle } from '../src/db/connect';
import { migrateToLatest } from '../src/db/migrate';
import { createDeps } from '../src/bootstrap';
import { createServer } from '../src/server';
import app from '../src/app';
import type { Clock, Deps } from '../src/context';
import { startWorker } from '../src/jobs/worker';
import type { EmailConnector, SmsConnector } from '../src/delivery/types';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createNetServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** A clock tests can move. */
export function testClock(start = new Date()): Clock & { set(d: Date): void; advance(ms: number): void } {
  let now = start.getTime();
  return { now: () => new Date(now), set: (d) => (now = d.getTime()), advance: (ms) => (now += ms) };
}

/**
 * The default clock of a test app: real time, plus whatever a test skips ahead (a requester "thinking" over a
 * question for a few seconds, without the test waiting for them).
 */
export function followingClock(): Clock & { advance(ms: number): void } {
  let offset = 0;
  return { now: () => new Date(Date.now() + offset), advance: (ms) => (offset += ms) };
}

export const secret = (bytes = 32) => randomBytes(bytes).toString('base64');

export interface TestApp {
  url: string;
  server: ReturnType<typeof createServer>;
  deps: Deps;
  db: DatabaseHandle;
  standin: DevInstance;
  config: Config;
  launchSecret: Buffer;
  agentPassword: string;
  logs: string[];
  issuedSecrets: Set<string>;
  /** The app's clock; `advance` skips time ahead when the test gave a clock that can (the default one can). */
  clock: Clock & { advance?(ms: number): void };
  startWorker(opts?: { pollInterval?: number }): Promise<Runner>;
  close(): Promise<void>;
}

export interface BuildOptions {
  env?: Record<string, string>;
  clock?: Clock;
  email?: EmailConnector;
  sms?: SmsConnector;
  auth?: 'basic' | 'oauth';
  servicenowTimeoutMs?: number;
  servicenowSleep?: (ms: number) => Promise<void>;
  /** Settings added to the test tenant (e.g. `{ console: { sso } }`) */
  tenant?: Record<string, unknown>;
  /** The port to listen on (when something must know the service's URL before it starts, e.g. an OIDC client) */
  port?: number;
}

export async function build(opts: BuildOptions = {}): Promise<TestApp> {
  const database = await createTestDatabase();
  const launchSecret = secret();
  const integration = {
    password: secret(18),
    oauthClientId: `client-${randomBytes(4).toString('hex')}`,
    oauthClientSecret: secret(18),
  };
  const agentPassword = secret(12);
  const port = opts.port ?? (await freePort()); // chosen first, so the stand-in's launch redirects to this very service
  const standin = await startDevInstance({
    port: 0,
    adminPassword: secret(12),
    agentPassword,
    integration,
    launch: { secret: launchSecret, serviceUrl: `http://127.0.0.1:${port}` },
  });
  const auth =
    opts.auth === 'oauth'
      ? { type: 'oauth', clientId: integration.oauthClientId, clientSecret: integration.oauthClientSecret }
      : { type: 'basic', username: 'imper.integration', password: integration.password };
  const dataKey = secret();
  const config = loadConfig({
    APP_ENV: 'test',
    PORT: String(port),
    PUBLIC_BASE_URL: `http://127.0.0.1:${port}`,
    DATABASE_URL: database.url,
    DATABASE_POOL_SIZE: '5',
    DATA_ENCRYPTION_KEY: dataKey,
    LOG_LEVEL: 'debug',
    TENANTS: JSON.stringify([
      { slug: 'dev', name: 'Acme IT Helpdesk', instanceUrl: standin.url, auth, launchSecret, ...opts.tenant },
    ]),
    // As the demo (CONTRACTS.md): loopback is a trusted proxy, so a test presents the requester's address in
    // X-Forwarded-For. Production configurations trust nobody unless they say so.
    ...(opts.env?.APP_ENV === 'production' ? {} : { TRUST_PROXY: '127.0.0.1/8,::1' }),
    ...opts.env,
  });
  const logs: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, cb) {
      logs.push(String(chunk));
      cb();
    },
  });
  const server = createServer(config, stream);
  const db = await openDatabase({ databaseUrl: database.url, poolSize: 5, embeddedDir: '' });
  await migrateToLatest(db.db, db.pool);
  const clock = opts.clock ?? followingClock();
  const deps = await createDeps(config, db.db, server.log, {
    clock,
    ...(opts.email ? { email: opts.email } : {}),
    ...(opts.sms ? { sms: opts.sms } : {}),
    ...(opts.servicenowTimeoutMs ? { servicenowTimeoutMs: opts.servicenowTimeoutMs } : {}),
    ...(opts.servicenowSleep ? { servicenowSleep: opts.servicenowSleep } : {}),
  });
  await server.register(app, { deps });
  await server.listen({ host: '127.0.0.1', port });
  const url = config.publicBaseUrl;
  const runners: Runner[] = [];
  return {
    url,
    server,
    deps,
    db,
    standin,
    config,
    launchSecret: Buffer.from(launchSecret, 'base64'),
    agentPassword,
    logs,
    clock,
    issuedSecrets: new Set([
      launchSecret,
      dataKey,
      agentPassword,
      integration.password,
      integration.oauthClientSecret,
    ]),
    async startWorker(o = {}) {
      const r = await startWorker(deps, db.pool, { concurrency: 2, pollInterval: o.pollInterval ?? 100 });
      runners.push(r);
      return r;
    },
    async close() {
      for (const r of runners) await r.stop().catch(() => {});
      await server.close();
      await db.close();
      await standin.close();
      await database.drop();
    },
  };
}

export { DEMO_TICKET };

export { createTestDatabase };
