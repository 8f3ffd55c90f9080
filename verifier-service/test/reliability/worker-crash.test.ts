// R4: the worker is killed (SIGKILL) in the middle of a write-back; a new worker recovers the job promptly (not
// after graphile-worker's 4-hour stale-lock timeout) and the outcome reaches the ticket exactly once.
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import type { Runner } from 'graphile-worker';
import { sql } from 'kysely';
import { build, type TestApp } from '../helper';
import { startWorker } from '../../src/jobs/worker';
import {
  eventRow,
  incidents,
  jobs,
  notesWithMarker,
  passedVerification,
  recordEvent,
  ticketRequests,
  waitFor,
} from './fixtures';

jest.setTimeout(45_000);

const HEARTBEAT_MS = 200;
const STALE_MS = 1500;
const ROOT = resolve(__dirname, '../../..');

let t: TestApp;
let child: ChildProcess | undefined;
let successor: Runner | undefined;
beforeAll(async () => {
  t = await build();
});
afterAll(async () => {
  if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await successor?.stop();
  await t.close();
});

/** A worker in a child process, configured like the server from the environment. */
function spawnWorker(): Promise<{ proc: ChildProcess; workerIds: string[] }> {
  const env = {
    PATH: process.env.PATH ?? '',
    APP_ENV: 'test',
    PORT: String(t.config.port),
    PUBLIC_BASE_URL: t.config.publicBaseUrl,
    DATABASE_URL: t.db.url,
    DATA_ENCRYPTION_KEY: t.config.dataEncryptionKey.toString('base64'),
    TENANTS: JSON.stringify(t.config.tenants),
    LOG_LEVEL: 'warn',
    SERVICENOW_TIMEOUT_MS: '30000',
    RECOVERY_HEARTBEAT_MS: String(HEARTBEAT_MS),
    RECOVERY_STALE_MS: String(STALE_MS),
  };
  // `node --import tsx`, not the tsx CLI: that one runs the script in a grandchild, which SIGKILL would miss.
  const proc = spawn(process.execPath, ['--import', 'tsx', resolve(__dirname, 'worker-child.ts')], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  proc.stderr!.on('data', (d) => (stderr += String(d)));
  return new Promise((ok, fail) => {
    let out = '';
    proc.stdout!.on('data', (d) => {
      out += String(d);
      const m = /ready (\S+)\n/.exec(out);
      if (m) ok({ proc, workerIds: m[1]!.split(',') });
    });
    proc.once('exit', (code, signal) =>
      fail(new Error(`worker child exited (${code ?? signal}) before ready: ${stderr}`)),
    );
  });
}

describe('worker killed mid-job', () => {
  it('R4: after SIGKILL during a write-back, a new worker completes the job exactly once, within seconds', async () => {
    const ticket = incidents(t)[0]!;
    const v = await passedVerification(t, ticket);
    const spawned = await spawnWorker();
    child = spawned.proc;
    expect(spawned.workerIds.some((id) => id.startsWith('pool-'))).toBe(true);

    // The job hangs on its first request (the journal look-up): the instance does not answer for 60 s.
    t.standin.faults.enqueue({ kind: 'delay', ms: 60_000 });
    const event = await recordEvent(t, v);
    await waitFor('the job to reach ServiceNow', () => ticketRequests(t, ticket).length > 0);
    const [held] = await jobs(t, event.id);
    expect(held).toMatchObject({ attempts: 1 });
    expect(spawned.workerIds).toContain(held!.locked_by);

    child.kill('SIGKILL');
    await new Promise((r) => child!.once('exit', r));
    const killedAt = Date.now();
    // Still locked by the dead worker: graphile-worker alone would leave it so for 4 hours.
    expect((await jobs(t, event.id))[0]).toMatchObject({ locked_by: held!.locked_by });

    successor = await startWorker(t.deps, t.db.pool, {
      concurrency: 1,
      pollInterval: 100,
      recovery: { heartbeatMs: HEARTBEAT_MS, staleAfterMs: STALE_MS },
    });
    await waitFor(
      'delivery after the restart',
      async () => (await eventRow(t, event.id)).status === 'delivered',
      15_000,
    ).catch(async (e) => {
      console.log(
        JSON.stringify(await jobs(t)),
        t.logs
          .filter((l) => /worker|sweep|heartbeat/.test(l))
          .slice(-10)
          .join('\n'),
        JSON.stringify(ticketRequests(t, ticket)),
      );
      throw e;
    });
    const recoveredInMs = Date.now() - killedAt;

    expect(notesWithMarker(t, v, event.seq)).toBe(1);
    expect(t.standin.store.get('incident', ticket)).toMatchObject({
      x_imper_verify_status: 'passed',
      x_imper_verify_id: v.publicId,
    });
    const patches = ticketRequests(t, ticket).filter((r) => r.method === 'PATCH');
    expect(patches).toHaveLength(1);
    expect(await jobs(t, event.id)).toEqual([]);
    // Bounded: the lock is freed once the heartbeat is stale (1.5 s here; 30 s by default).
    expect(recoveredInMs).toBeLessThan(STALE_MS + 5_000);
    // The dead worker's heartbeat is not taken for a live one; the audit shows one delivery.
    const { rows } = await sql<{
      n: number;
    }>`select count(*)::int as n from audit_events where verification_id = ${v.id} and type = 'ticket.updated'`.execute(
      t.deps.db,
    );
    expect(rows[0]!.n).toBe(1);
    console.log(`R4 worker crash: delivered ${recoveredInMs} ms after SIGKILL (stale after ${STALE_MS} ms)`);
  });
});
