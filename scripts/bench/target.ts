// The server under test, run in a worker thread so that it has an event loop of its own and autocannon (on the
// main thread) does not compete with it for one; both stay in the one benchmark process. Two kinds:
//   baseline — a bare Fastify 5 app (logger off) whose one route does one INSERT through a pg pool of the same
//              size as the service's, and answers 201;
//   app      — the real service exactly as `server.ts` `start()` wires it (createServer + openDatabase +
//              createDeps + app), with the worker off so only the request path is measured.
// Protocol: the worker posts { type: 'ready', port } once listening; on a 'close' message it closes the server
// and its pool and posts { type: 'closed' }; any failure is posted as { type: 'error' } and exits non-zero.
import type { AddressInfo } from 'node:net';
import { parentPort, workerData } from 'node:worker_threads';
import Fastify from 'fastify';
import pg from 'pg';
import { loadConfig } from '../../verifier-service/src/config';
import { start } from '../../verifier-service/src/server';

export type TargetSpec =
  { kind: 'baseline'; databaseUrl: string; poolSize: number } | { kind: 'app'; env: Record<string, string> };

export type TargetMessage =
  { type: 'ready'; port: number } | { type: 'closed' } | { type: 'error'; message: string };

/** Above anything a run can reach; see `startApp`. */
export const UNREACHABLE_PER_IP_LIMIT = 1_000_000_000;

export const BASELINE_TABLE_SQL = `create table bench_baseline (
  id bigserial primary key,
  channel text not null,
  contact_key text not null,
  created_at timestamptz not null default now()
)`;

async function startBaseline(spec: Extract<TargetSpec, { kind: 'baseline' }>) {
  const pool = new pg.Pool({ connectionString: spec.databaseUrl, max: spec.poolSize });
  const app = Fastify({ logger: false });
  // Same JSON body as the send request, so both pay for parsing the same bytes; no schema, no plugins.
  app.post('/baseline', async (req, reply) => {
    const body = req.body as { channel?: string; contactKey?: string };
    const { rows } = await pool.query<{ id: string }>(
      'insert into bench_baseline (channel, contact_key) values ($1, $2) returning id',
      [body.channel ?? '', body.contactKey ?? ''],
    );
    return reply.status(201).send({ id: rows[0]!.id });
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  return {
    port: (app.server.address() as AddressInfo).port,
    close: async () => {
      await app.close();
      await pool.end();
    },
  };
}

async function startApp(spec: Extract<TargetSpec, { kind: 'app' }>) {
  const config = loadConfig(spec.env);
  // The per-IP limit (S16) keys on the client address and autocannon sends everything from 127.0.0.1, so the
  // largest value the environment accepts (100 000/min) could cut a long run short. The limiter still runs and
  // counts on every request — only its ceiling is lifted, here and nowhere else.
  config.rateLimits.perIpPerMinute = UNREACHABLE_PER_IP_LIMIT;
  const running = await start(config);
  return { port: (running.server.server.address() as AddressInfo).port, close: running.close };
}

async function main() {
  const port = parentPort;
  if (!port) throw new Error('target.ts runs in a worker thread (started by run.ts)');
  const spec = workerData as TargetSpec;
  const target = spec.kind === 'baseline' ? await startBaseline(spec) : await startApp(spec);
  port.on('message', (msg: unknown) => {
    if (msg !== 'close') return;
    target.close().then(
      () => port.postMessage({ type: 'closed' } satisfies TargetMessage),
      (err: unknown) => fail(err),
    );
  });
  port.postMessage({ type: 'ready', port: target.port } satisfies TargetMessage);
}

function fail(err: unknown) {
  parentPort?.postMessage({
    type: 'error',
    message: err instanceof Error ? (err.stack ?? err.message) : String(err),
  } satisfies TargetMessage);
  process.exitCode = 1;
}

if (parentPort) main().catch(fail);
