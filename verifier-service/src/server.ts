// The one entry point: configuration, logger, database (embedded when DATABASE_URL is unset), migrations,
// worker, HTTP server, and a graceful shutdown (R6) that lets in-flight requests finish and the worker release
// its jobs.
import Fastify from 'fastify';
import closeWithGrace from 'close-with-grace';
import { randomUUID } from 'node:crypto';
import { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { loadConfig, ConfigError, type Config } from './config';
import { loggerOptions } from './logger';
import { openDatabase } from './db/connect';
import { migrateToLatest } from './db/migrate';
import { createDeps } from './bootstrap';
import { startWorker } from './jobs/worker';
import app from './app';
import { clientErrorHandler, frameworkErrors } from './plugins/app/error-handler';

/**
 * Fastify's `trustProxy` for TRUST_PROXY. A hop count becomes a function trusting the nearest `hops` addresses:
 * Fastify 5 deliberately ignores a plain number (it cannot tell a proxy from a client that wrote enough hops).
 */
export function trustProxyOption(tp: Config['trustProxy']) {
  if (tp === null) return false;
  if ('hops' in tp) return (_address: string, hop: number) => hop < tp.hops;
  return tp.proxies;
}

export function createServer(config: Config, logStream?: NodeJS.WritableStream) {
  const server = Fastify({
    logger: logStream
      ? { ...loggerOptions(config.logLevel), stream: logStream }
      : loggerOptions(config.logLevel),
    genReqId: () => randomUUID(),
    trustProxy: trustProxyOption(config.trustProxy),
    connectionTimeout: 30_000,
    requestTimeout: 30_000,
    keepAliveTimeout: 72_000,
    bodyLimit: 64 * 1024,
    routerOptions: { maxParamLength: 200 },
    // Router and HTTP-parser errors answer with a stable code like every other error (S22).
    frameworkErrors,
    clientErrorHandler,
    ajv: { customOptions: { removeAdditional: 'all', coerceTypes: 'array', allErrors: false } },
  }).withTypeProvider<TypeBoxTypeProvider>();
  // No route takes text/plain: without Fastify's default parser such a body is a 415, not a confusing 400 (S22).
  server.removeContentTypeParser('text/plain');
  return server;
}

export async function start(config: Config) {
  const server = createServer(config);
  server.addHook('onSend', async (req, reply) => {
    reply.header('x-request-id', req.id);
  });
  const handle = await openDatabase({
    databaseUrl: config.databaseUrl,
    poolSize: config.databasePoolSize,
    embeddedDir: config.embeddedDbDir,
    onError: (err) => server.log.error({ err }, 'database pool error'),
  });
  if (handle.embedded)
    server.log.info(
      { dir: config.embeddedDbDir },
      'using the embedded database (PGlite); set DATABASE_URL for PostgreSQL',
    );
  if (config.migrateOnStart) await migrateToLatest(handle.db, handle.pool);
  const deps = await createDeps(config, handle.db, server.log);
  await server.register(app, { deps });
  const worker = config.runWorker
    ? await startWorker(deps, handle.pool, {
        concurrency: config.workerConcurrency,
        noPreparedStatements: handle.embedded,
      })
    : null;
  await server.listen({ host: config.host, port: config.port });

  const close = async () => {
    // Stops accepting and waits for in-flight requests. A keep-alive connection whose request finishes after
    // close() began would otherwise stay open until keepAliveTimeout (72 s), holding the shutdown (R6).
    const idle = setInterval(() => server.server.closeIdleConnections(), 100);
    await server.close().finally(() => clearInterval(idle));
    await worker?.stop(); // finishes running jobs and releases the rest
    await handle.close();
  };
  return { server, close, deps, databaseUrl: handle.url };
}

if (require.main === module) {
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    console.error(err instanceof ConfigError ? err.message : err);
    process.exit(1);
  }
  start(config)
    .then(({ server, close }) => {
      closeWithGrace({ delay: 15_000 }, async ({ signal, err }) => {
        if (err) server.log.error({ err }, 'shutting down after an error');
        else server.log.info({ signal }, 'shutting down');
        await close();
      });
    })
    .catch((err) => {
      console.error('failed to start:', err instanceof Error ? err.message : err);
      process.exit(1);
    });
}
