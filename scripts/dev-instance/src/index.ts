// The local ServiceNow stand-in (SERVICENOW.md is its contract): Table API, OAuth, seeded organisation data,
// a plain ticket page with the imper.ai Verification field, and the scoped app x_imper_verify (src/app.ts: its
// business rules, launch and REST API, run from servicenow-app on the Glide runtime). In memory; one call
// starts it, `close()` stops it.

import formbody from '@fastify/formbody';
import Fastify, { type FastifyReply, type FastifyRequest } from 'fastify';
import { Auth } from './auth';
import type { CustomRouteHandler, InstanceContext } from './context';
import { SnError, envelope } from './errors';
import { Faults, Requests, type FaultController, type LoggedRequest, type RequestLog } from './faults';
import { installApp } from './app';
import { decodeLaunchSecret, LAUNCH_MAX_LIFETIME_SECONDS } from './config';
import { devRoutes } from './routes/dev';
import { oauthRoutes } from './routes/oauth';
import { pageRoutes, pageUser } from './routes/pages';
import { apiAccount, tableApiRoutes } from './routes/table-api';
import { DEFAULT_SEED, seedStore, type SeedSummary } from './seed';
import { TableStore, type AfterWriteHook, type BeforeWriteHook, type Rec, type User } from './store';

export { DEMO_TICKET, DEFAULT_SEED, SEED_USERS, CATEGORY_POLICIES, Prng, seedStore } from './seed';
export type { SeedSummary } from './seed';
export { TableStore, SYSTEM_USER } from './store';
export type {
  Rec,
  User,
  WriteContext,
  WriteOp,
  BeforeWriteHook,
  AfterWriteHook,
  JournalEntry,
  WriteOptions,
} from './store';
export type { Fault, FaultController, QueuedFault, RateLimitRule, RequestLog, LoggedRequest } from './faults';
export { parseEncodedQuery, runQuery, formatGlideDateTime } from './query';
export { LAUNCH_MAX_LIFETIME_SECONDS } from './config';
export { installApp, LAUNCH_PATH, EVENTS_PATH, CLOSE_PATH, type InstalledApp } from './app';
export { SnError } from './errors';
export { personKnowledge, knownAnswer, KNOWLEDGE_KINDS } from './knowledge';
export type { PersonKnowledge, KnowledgeKind } from './knowledge';

export interface DevInstanceOptions {
  /** 0 = random free port (tests); default 8081. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Base URL used in links, `Location` and `Link` headers and as the launch token `iss`; default http://localhost:<actual port>. */
  publicUrl?: string;
  /** User `admin` (role admin). */
  adminPassword: string;
  /** User `beth.anglin` (itil + x_imper_verify.agent); the other seeded agents share it. */
  agentPassword: string;
  /** User `imper.integration` (x_imper_verify.integration) and the OAuth client. */
  integration: { password: string; oauthClientId: string; oauthClientSecret: string };
  launch: { secret: string; serviceUrl: string; lifetimeSeconds?: number };
  /** Deterministic seed; default DEFAULT_SEED. */
  seed?: number;
  logger?: boolean;
  /** Additions beyond the brief: OAuth token lifetimes (default 1799 s access, 100 days refresh). */
  oauth?: { accessTokenLifetimeSeconds?: number; refreshTokenLifetimeSeconds?: number };
  /** The store's clock (ms) — tokens, sessions, launch `iat`, sys_ dates. Default Date.now. Also settable later via `store.now`. */
  now?: () => number;
  /** The app's `x_imper_verify.guard_enabled` property (resolve/close guard); default true. */
  guardEnabled?: boolean;
}

export interface Hooks {
  /** Runs before every write that runs rules; may mutate `record`; return `{abort}` to refuse (403). */
  beforeWrite(fn: BeforeWriteHook): void;
  afterWrite(fn: AfterWriteHook): void;
  /**
   * Adds an authenticated route under `/api/` (e.g. scripted REST `/api/x_imper_verify/v1/outcome/:id`).
   * `req.params` holds the `:name` segments; a returned value is sent as `{"result": value}`, `undefined`
   * with nothing sent gives 204; throwing `SnError` gives the instance's error envelope.
   */
  route(method: string, path: string, handler: CustomRouteHandler): void;
}

export interface DevInstance {
  /** Public base URL, no trailing slash. */
  url: string;
  close(): Promise<void>;
  faults: FaultController;
  requests: RequestLog;
  store: TableStore;
  hooks: Hooks;
  /** What the seeding created (counts, the seeded contact-change history). */
  seed: SeedSummary;
}

export async function startDevInstance(opts: DevInstanceOptions): Promise<DevInstance> {
  decodeLaunchSecret(opts.launch.secret); // throws with a clear message when malformed
  const lifetimeSeconds = opts.launch.lifetimeSeconds ?? 120;
  if (!(lifetimeSeconds > 0 && lifetimeSeconds <= LAUNCH_MAX_LIFETIME_SECONDS)) {
    throw new Error(`launch.lifetimeSeconds must be between 1 and ${LAUNCH_MAX_LIFETIME_SECONDS}`);
  }
  for (const [name, value] of Object.entries({
    adminPassword: opts.adminPassword,
    agentPassword: opts.agentPassword,
    'integration.password': opts.integration.password,
    'integration.oauthClientId': opts.integration.oauthClientId,
    'integration.oauthClientSecret': opts.integration.oauthClientSecret,
    'launch.serviceUrl': opts.launch.serviceUrl,
  })) {
    if (!value) throw new Error(`dev-instance: ${name} is required`);
  }

  const store = new TableStore({ now: opts.now ?? Date.now });
  const faults = new Faults(() => store.now());
  const requests = new Requests();
  const auth = new Auth(store, {
    clientId: opts.integration.oauthClientId,
    clientSecret: opts.integration.oauthClientSecret,
    accessTokenLifetimeSeconds: opts.oauth?.accessTokenLifetimeSeconds ?? 1799,
    refreshTokenLifetimeSeconds: opts.oauth?.refreshTokenLifetimeSeconds ?? 100 * 86400,
    clientCredentialsUser: 'imper.integration',
  });

  let publicUrl = '';
  // The scoped app (servicenow-app) on the Glide runtime: business rules now, properties once the URL is known.
  const app = installApp(store, {
    instanceUrl: () => publicUrl,
    serviceUrl: opts.launch.serviceUrl.replace(/\/+$/, ''),
    launchSecret: opts.launch.secret.trim(),
    launchLifetimeSeconds: lifetimeSeconds,
    guardEnabled: opts.guardEnabled ?? true,
  });
  const sleeps = new Set<{ timer: NodeJS.Timeout; resolve: () => void }>();
  const ctx: InstanceContext = {
    store,
    auth,
    faults,
    requests,
    url: () => publicUrl,
    app,
    customRoutes: [],
    logEntry: new WeakMap<FastifyRequest, LoggedRequest>(),
    sleep: (ms) =>
      new Promise<void>((resolve) => {
        const s = {
          resolve,
          timer: setTimeout(() => {
            sleeps.delete(s);
            resolve();
          }, ms),
        };
        sleeps.add(s);
      }),
  };

  const server = Fastify({
    logger: opts.logger
      ? { level: 'info', redact: ['req.headers.authorization', 'req.headers.cookie'] }
      : false,
    forceCloseConnections: true,
    bodyLimit: 1024 * 1024,
  });
  await server.register(formbody);
  // Bodies arrive as text; handlers decide (415 for non-JSON writes, the SN envelope for bad JSON).
  server.removeContentTypeParser(['application/json']);
  server.addContentTypeParser(['application/json', '*'], { parseAs: 'string' }, (_req, body, done) =>
    done(null, body),
  );

  server.addHook('onRequest', async (req: FastifyRequest, reply: FastifyReply) => {
    const path = req.url.split('?')[0] as string;
    if (!path.startsWith('/api/') && path !== '/oauth_token.do') return;
    const query: Record<string, string> = {};
    for (const [k, v] of Object.entries((req.query ?? {}) as Record<string, unknown>))
      query[k] = Array.isArray(v) ? v.join(',') : String(v);
    const entry: LoggedRequest = { at: Date.now(), method: req.method, path, query, status: 0, user: null };
    requests.entries.push(entry);
    ctx.logEntry.set(req, entry);

    const fault = faults.take(req.method, path);
    if (path.startsWith('/api/') && faults.latencyMs > 0) await ctx.sleep(faults.latencyMs);
    if (!fault) return;
    switch (fault.kind) {
      case 'drop':
        reply.hijack();
        req.raw.socket.destroy();
        return;
      case 'delay':
        await ctx.sleep(fault.ms);
        return;
      case 'status':
        return reply
          .code(fault.status)
          .send(
            envelope(
              fault.status === 503
                ? 'Service Unavailable'
                : fault.status === 502
                  ? 'Bad Gateway'
                  : 'Internal Server Error',
              'Injected fault',
            ),
          );
      case 'rate_limit': {
        const reset = Math.ceil(store.now() / 1000) + fault.retryAfterSeconds;
        return reply
          .code(429)
          .headers({
            'Retry-After': String(fault.retryAfterSeconds),
            'X-RateLimit-Limit': String(faults.rule?.limit ?? 0),
            'X-RateLimit-Reset': String(reset),
            'X-RateLimit-Rule': faults.rule?.name ?? 'imper-dev-instance-injected',
          })
          .send(
            envelope(
              'Rate limit exceeded',
              `Injected rate limit; retry after ${fault.retryAfterSeconds} seconds`,
            ),
          );
      }
    }
  });
  server.addHook('onResponse', async (req, reply) => {
    const entry = ctx.logEntry.get(req);
    if (entry) entry.status = reply.statusCode;
  });

  server.setErrorHandler((err: unknown, req, reply) => {
    if (err instanceof SnError) return reply.code(err.status).headers(err.headers).send(err.body());
    const e = err as { statusCode?: number; message?: string };
    const status = e.statusCode && e.statusCode >= 400 && e.statusCode < 500 ? e.statusCode : 500;
    if (status === 500) req.log.error({ err }, 'unhandled error');
    return reply
      .code(status)
      .send(envelope(status === 500 ? 'Internal server error' : (e.message ?? 'Bad request'), null));
  });
  server.setNotFoundHandler((req, reply) => {
    if (req.url.startsWith('/api/'))
      return reply.code(400).send(envelope('Requested URI does not represent any resource', null));
    return reply.code(404).type('text/plain').send('Not found');
  });

  tableApiRoutes(server, ctx);
  oauthRoutes(server, ctx);
  pageRoutes(server, ctx);
  devRoutes(server, ctx);
  app.routes(
    server,
    (req) => pageUser(ctx, req),
    (req, reply, user) => apiAccount(ctx, req, reply, user),
  );

  const host = opts.host ?? '127.0.0.1';
  await server.listen({ port: opts.port ?? 8081, host });
  const address = server.server.address();
  const port = typeof address === 'object' && address ? address.port : (opts.port ?? 8081);
  publicUrl = (opts.publicUrl ?? `http://localhost:${port}`).replace(/\/+$/, '');

  app.seedProperties();
  const seed = seedStore(store, {
    seed: opts.seed ?? DEFAULT_SEED,
    now: store.now(),
    applyPolicy: app.applyPolicyOnInsert,
    adminPassword: opts.adminPassword,
    agentPassword: opts.agentPassword,
    integrationPassword: opts.integration.password,
  });

  const hooks: Hooks = {
    beforeWrite: (fn) => store.onBeforeWrite(fn),
    afterWrite: (fn) => store.onAfterWrite(fn),
    route: (method, path, handler) => {
      if (!path.startsWith('/api/')) throw new Error('hooks.route: path must start with /api/');
      if (path.startsWith('/api/now/table/'))
        throw new Error('hooks.route: /api/now/table/ is the Table API');
      ctx.customRoutes.push({
        method: method.toUpperCase(),
        path,
        segments: path.split('/').filter(Boolean),
        handler,
      });
    },
  };

  let closed = false;
  return {
    url: publicUrl,
    store,
    faults,
    requests,
    hooks,
    seed,
    close: async () => {
      if (closed) return;
      closed = true;
      for (const s of sleeps) {
        clearTimeout(s.timer);
        s.resolve();
      }
      sleeps.clear();
      await server.close();
    },
  };
}

export type { Rec as DevRecord, User as DevUser };
