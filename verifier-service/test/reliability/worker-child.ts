// A worker in its own process, for the crash test (R4): the parent passes the configuration in the environment
// (the same variables the server reads) plus RECOVERY_HEARTBEAT_MS / RECOVERY_STALE_MS / SERVICENOW_TIMEOUT_MS,
// and kills this process with SIGKILL mid-job. Prints `ready <worker ids>` once the workers run.
import pino from 'pino';
import type { FastifyBaseLogger } from 'fastify';
import { loadConfig } from '../../src/config';
import { openDatabase } from '../../src/db/connect';
import { createDeps } from '../../src/bootstrap';
import { startWorker } from '../../src/jobs/worker';

async function main() {
  const config = loadConfig();
  const log = pino({ level: 'warn' }, pino.destination(2)) as unknown as FastifyBaseLogger;
  const handle = await openDatabase({ databaseUrl: config.databaseUrl, poolSize: 4, embeddedDir: '' });
  const deps = await createDeps(config, handle.db, log, {
    servicenowTimeoutMs: Number(process.env.SERVICENOW_TIMEOUT_MS ?? 10_000),
  });
  const runner = await startWorker(deps, handle.pool, {
    concurrency: 1,
    pollInterval: 100,
    recovery: {
      heartbeatMs: Number(process.env.RECOVERY_HEARTBEAT_MS),
      staleAfterMs: Number(process.env.RECOVERY_STALE_MS),
    },
  });
  let rows: { worker_id: string }[] = [];
  for (let i = 0; i < 100 && rows.length === 0; i++) {
    ({ rows } = await handle.pool.query<{ worker_id: string }>(
      'select worker_id from worker_heartbeats where pid = $1',
      [process.pid],
    ));
    if (rows.length === 0) await new Promise((r) => setTimeout(r, 20));
  }
  process.stdout.write(`ready ${rows.map((r) => r.worker_id).join(',')}\n`);
  process.on('SIGTERM', () => {
    void runner
      .stop()
      .then(() => handle.close())
      .then(() => process.exit(0));
  });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
