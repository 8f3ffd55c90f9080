// `npm run bench [-- --duration 10 --connections 10 --warmup 3]`: the request-path benchmark (README,
// "Benchmarks"). In one process, on a throw-away PostgreSQL database, it measures with autocannon, one after the
// other and with the same settings (connections, duration, warm-up, pipelining 1):
//   baseline   POST /baseline                 a bare Fastify 5 route doing one INSERT (HTTP + JSON + one write)
//   send       POST /agent/api/verifications  sending a verification; every request a distinct ticket → 201
//   open link  GET  /v/<token>                opening a link for the first time; every request a distinct link → 200
//   baseline   again, so that a machine whose load changed during the run shows up as drift
// and reports send and open as ratios to the mean of the two baselines: absolute figures depend on the machine,
// ratios much less. Performance is only ever reported here, never asserted in the test suite. The run fails
// (exit 1) only when the benchmark itself is broken: fewer than 99 % of responses with the expected status,
// pre-created data running out, a server failing to start, bad flags. It writes scripts/bench/results/latest.json
// and cleans up (servers closed, database dropped) on every path, Ctrl-C included.
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import autocannon from 'autocannon';
import { sql } from 'kysely';
import pino from 'pino';
import { createDeps } from '../../verifier-service/src/bootstrap';
import { loadConfig } from '../../verifier-service/src/config';
import { openDatabase, type DatabaseHandle } from '../../verifier-service/src/db/connect';
import { migrateToLatest } from '../../verifier-service/src/db/migrate';
import { ADMIN_URL, createThrowawayDatabase, type ThrowawayDatabase } from './db';
import { seedAgentSessions, seedLinks, type SendTarget } from './seed';
import { BASELINE_TABLE_SQL, type TargetMessage, type TargetSpec } from './target';

const POOL_SIZE = 10; // the service's default DATABASE_POOL_SIZE; the baseline's pg pool gets the same
const MIN_OK_SHARE = 0.99;
/**
 * Sends and first opens are single-use (one active verification per ticket; a link is opened for the first time
 * once), so every request needs its own pre-created row, and seeding (one repository call per row) is not free.
 * So each of those scenarios starts with a calibration burst of CALIBRATION_PER_CONNECTION requests per
 * connection; the warm-up and the timed run then get enough rows for CALIBRATION_HEADROOM × the calibrated
 * rate, capped at the baseline's rate × BASELINE_HEADROOM (both do strictly more database work than the
 * baseline's one INSERT). Running out fails the run, with a message saying so.
 */
const CALIBRATION_PER_CONNECTION = 30;
const CALIBRATION_HEADROOM = 4;
const BASELINE_HEADROOM = 1.3;
/** The closing baseline is compared with the opening one; a bigger change means the machine was not quiet. */
const MAX_BASELINE_DRIFT = 0.15;
const SEND_BODY = JSON.stringify({ channel: 'email', contactKey: 'email' });
const RESULTS_FILE = path.join(__dirname, 'results', 'latest.json');

class BenchError extends Error {}

interface Options {
  duration: number;
  connections: number;
  warmup: number;
}

function parseOptions(argv: string[]): Options {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: { duration: { type: 'string' }, connections: { type: 'string' }, warmup: { type: 'string' } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    throw new BenchError(
      `${(err as Error).message}\nusage: npm run bench -- [--duration <s>=10] [--connections <n>=10] [--warmup <s>=3]`,
    );
  }
  const int = (name: string, v: string | undefined, def: number, min: number, max: number) => {
    if (v === undefined) return def;
    const n = Number(v);
    if (!Number.isInteger(n) || n < min || n > max)
      throw new BenchError(`--${name}: a whole number from ${min} to ${max} (got ${JSON.stringify(v)})`);
    return n;
  };
  return {
    duration: int('duration', values.duration, 10, 1, 600),
    connections: int('connections', values.connections, 10, 1, 1000),
    warmup: int('warmup', values.warmup, 3, 0, 60),
  };
}

// ── servers under test (worker threads, see target.ts) ─────────────────────────────────────────────────────

interface RunningTarget {
  url: string;
  stop(): Promise<void>;
}

const liveWorkers = new Set<Worker>();

function startTarget(spec: TargetSpec): Promise<RunningTarget> {
  // Worker threads do not inherit tsx's loader, so the worker registers it before loading target.ts.
  const bootstrap = `require(${JSON.stringify(require.resolve('tsx/cjs'))}); require(${JSON.stringify(path.join(__dirname, 'target.ts'))});`;
  const worker = new Worker(bootstrap, { eval: true, workerData: spec });
  liveWorkers.add(worker);
  let onClosed: (() => void) | null = null;
  let onFailure: ((err: Error) => void) | null = null;
  return new Promise((resolve, reject) => {
    onFailure = reject;
    worker.on('message', (msg: TargetMessage) => {
      if (msg.type === 'ready') {
        onFailure = null;
        resolve({
          url: `http://127.0.0.1:${msg.port}`,
          stop: () =>
            new Promise<void>((res, rej) => {
              const timer = setTimeout(
                () => rej(new BenchError(`${spec.kind} server did not close within 20 s`)),
                20_000,
              );
              onClosed = () => {
                clearTimeout(timer);
                res();
              };
              onFailure = (err) => {
                clearTimeout(timer);
                rej(err);
              };
              worker.postMessage('close');
            }).finally(async () => {
              await worker.terminate();
              liveWorkers.delete(worker);
            }),
        });
      } else if (msg.type === 'closed') onClosed?.();
      else onFailure?.(new BenchError(`${spec.kind} server failed: ${msg.message}`));
    });
    worker.on('error', (err) => onFailure?.(err));
    worker.on('exit', (code) => {
      liveWorkers.delete(worker);
      if (code !== 0) onFailure?.(new BenchError(`${spec.kind} server thread exited with code ${code}`));
    });
  });
}

// ── load ───────────────────────────────────────────────────────────────────────────────────────────────

/** Hands out pre-created items one by one across all connections; `exhausted` once it had to reuse one. */
function cursor<T>() {
  const items: T[] = [];
  let next = 0;
  const c = {
    exhausted: false,
    get used() {
      return next;
    },
    get seeded() {
      return items.length;
    },
    add(more: T[]) {
      for (const item of more) items.push(item);
    },
    take(): T {
      if (next >= items.length) c.exhausted = true;
      return items[next++ % items.length]!;
    },
  };
  return c;
}

interface ScenarioResult {
  name: string;
  method: string;
  path: string;
  expectedStatus: number;
  durationSeconds: number;
  requests: number;
  sent: number;
  requestsPerSecond: number;
  latencyMs: { average: number; p50: number; p90: number; p99: number; max: number };
  statusCounts: Record<string, number>;
  errors: number;
  timeouts: number;
  okShare: number;
}

async function load(
  name: string,
  url: string,
  request: autocannon.Request,
  expectedStatus: number,
  opts: { connections: number; duration: number } | { connections: number; amount: number },
): Promise<ScenarioResult> {
  const r = await autocannon({ url, ...opts, pipelining: 1, timeout: 10, requests: [request] });
  const statusCounts = Object.fromEntries(
    Object.entries(r.statusCodeStats).map(([code, s]) => [code, s.count]),
  );
  const attempted = r.requests.total + r.errors;
  const ok = statusCounts[String(expectedStatus)] ?? 0;
  return {
    name,
    method: request.method ?? 'GET',
    path: request.path ?? '/',
    expectedStatus,
    durationSeconds: r.duration,
    requests: r.requests.total,
    sent: r.requests.sent,
    requestsPerSecond: r.requests.total / r.duration,
    latencyMs: {
      average: r.latency.average,
      p50: r.latency.p50,
      p90: r.latency.p90,
      p99: r.latency.p99,
      max: r.latency.max,
    },
    statusCounts,
    errors: r.errors,
    timeouts: r.timeouts,
    okShare: attempted === 0 ? 0 : ok / attempted,
  };
}

function requireOk(result: ScenarioResult, phase: string) {
  if (result.okShare < MIN_OK_SHARE) {
    throw new BenchError(
      `${result.name} (${phase}): ${(result.okShare * 100).toFixed(2)} % of responses were ${result.expectedStatus}, below ${MIN_OK_SHARE * 100} % ` +
        `(${result.sent} sent, status counts ${JSON.stringify(result.statusCounts)}, errors ${result.errors}, timeouts ${result.timeouts})`,
    );
  }
}

/** A checkpoint before each timed run, so the flush of what came before (seeding, the previous run) lands outside it. */
async function settle(db: DatabaseHandle['db'], notes: string[]) {
  try {
    await sql`checkpoint`.execute(db);
  } catch (err) {
    const note = `checkpoint before runs skipped: ${(err as Error).message}`;
    if (!notes.includes(note)) notes.push(note);
  }
}

/** Warm-up (checked, discarded), then the timed run (checked, kept). */
async function scenario(
  name: string,
  url: string,
  request: autocannon.Request,
  expectedStatus: number,
  opts: Options,
  db: DatabaseHandle['db'],
  notes: string[],
  /** Runs after each phase, before the status check: a more precise failure than "too few 2xx". */
  afterPhase: (result: ScenarioResult) => void = () => {},
): Promise<ScenarioResult> {
  if (opts.warmup > 0) {
    log(`${name}: warm-up ${opts.warmup} s`);
    const warmup = await load(name, url, request, expectedStatus, {
      connections: opts.connections,
      duration: opts.warmup,
    });
    afterPhase(warmup);
    requireOk(warmup, 'warm-up');
  }
  await settle(db, notes);
  log(`${name}: measuring ${opts.duration} s × ${opts.connections} connections`);
  const result = await load(name, url, request, expectedStatus, {
    connections: opts.connections,
    duration: opts.duration,
  });
  afterPhase(result);
  requireOk(result, 'timed run');
  return result;
}

async function analyze(db: DatabaseHandle['db']) {
  await sql`analyze`.execute(db);
}

interface SingleUse<T> {
  items: ReturnType<typeof cursor<T>>;
  noun: string;
  seed(from: number, count: number): Promise<T[]>;
  /** One request through the real route before any load, with a precise message if the seeded shape is wrong. */
  probe(item: T): Promise<void>;
}

/** Calibration burst (checked, discarded), seeding for what it predicts, warm-up, timed run. */
async function singleUseScenario<T>(
  name: string,
  url: string,
  request: autocannon.Request,
  expectedStatus: number,
  opts: Options,
  db: DatabaseHandle['db'],
  notes: string[],
  pool: SingleUse<T>,
  baselineRps: number,
) {
  const grow = async (count: number) => {
    pool.items.add(await pool.seed(pool.items.seeded, count));
    await analyze(db);
  };
  const burst = opts.connections * CALIBRATION_PER_CONNECTION;
  // autocannon builds each connection's first request before sending anything: a few rows are never sent.
  await grow(burst + opts.connections * 3 + 1);
  await pool.probe(pool.items.take());
  log(`${name}: calibration burst of ${burst} requests`);
  const calibration = await load(name, url, request, expectedStatus, {
    connections: opts.connections,
    amount: burst,
  });
  requireOk(calibration, 'calibration');
  const rate = Math.min(
    calibration.requestsPerSecond * CALIBRATION_HEADROOM,
    baselineRps * BASELINE_HEADROOM,
  );
  const need = Math.ceil(rate * (opts.warmup + opts.duration)) + opts.connections * 4;
  log(
    `${name}: calibrated at ${calibration.requestsPerSecond.toFixed(0)} req/s; seeding ${need} more ${pool.noun}`,
  );
  await grow(need);
  const result = await scenario(name, url, request, expectedStatus, opts, db, notes, (phase) => {
    if (!pool.items.exhausted) return;
    throw new BenchError(
      `${name} needed more than the ${pool.items.seeded} ${pool.noun} seeded (calibrated at ${calibration.requestsPerSecond.toFixed(0)} req/s, ` +
        `ran at ${phase.requestsPerSecond.toFixed(0)}); raise CALIBRATION_HEADROOM in scripts/bench/run.ts`,
    );
  });
  return {
    result,
    calibrationRequestsPerSecond: calibration.requestsPerSecond,
    seeded: pool.items.seeded,
    used: pool.items.used,
  };
}

// ── main ───────────────────────────────────────────────────────────────────────────────────────────────

const started = Date.now();
const log = (msg: string) =>
  console.log(`[bench ${((Date.now() - started) / 1000).toFixed(1).padStart(5)} s] ${msg}`);

let database: ThrowawayDatabase | null = null;
let handle: DatabaseHandle | null = null;

async function cleanup() {
  const problems: string[] = [];
  for (const w of liveWorkers)
    await w.terminate().catch((err: Error) => problems.push(`thread: ${err.message}`));
  liveWorkers.clear();
  if (handle) await handle.close().catch((err: Error) => problems.push(`pool: ${err.message}`));
  handle = null;
  if (database)
    await database.drop().catch((err: Error) => problems.push(`drop ${database?.name}: ${err.message}`));
  return problems;
}

async function main() {
  const opts = parseOptions(process.argv.slice(2));
  const notes: string[] = [];

  database = await createThrowawayDatabase();
  log(`database ${database.name} on ${new URL(ADMIN_URL).host}`);
  const env: Record<string, string> = {
    APP_ENV: 'test',
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: 'silent', // the baseline runs with logger: false; neither writes a log line
    DATABASE_URL: database.url,
    DATABASE_POOL_SIZE: String(POOL_SIZE),
    MIGRATE_ON_START: 'false', // migrated below, once
    RUN_WORKER: 'false', // only the request path is measured; delivery and expiry jobs queue up untouched
    DATA_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    // Port 9 (discard) never answers: a send or an open that called ServiceNow would fail the run.
    TENANTS: JSON.stringify([
      {
        slug: 'bench',
        name: 'Acme IT Helpdesk',
        instanceUrl: 'http://127.0.0.1:9',
        auth: {
          type: 'basic',
          username: 'imper.integration',
          password: randomBytes(12).toString('base64url'),
        },
        launchSecret: randomBytes(32).toString('base64'),
      },
    ]),
    LINK_TTL_MINUTES: '60',
    AGENT_SESSION_MINUTES: '720',
    RATE_LIMIT_SENDS_PER_AGENT_PER_HOUR: '10000',
    RATE_LIMIT_SENDS_PER_RECIPIENT_PER_HOUR: '1000',
  };
  const config = loadConfig(env);
  handle = await openDatabase({ databaseUrl: database.url, poolSize: POOL_SIZE, embeddedDir: '' });
  const db = handle.db;
  await migrateToLatest(db, handle.pool);
  await sql.raw(BASELINE_TABLE_SQL).execute(db);
  // The same wiring as the server's (sealer, derived keys, tenant rows), used here only to write the seed data.
  const deps = await createDeps(config, db, pino({ level: 'silent' }));
  const tenantId = deps.tenants.all()[0]!.id;
  const pgVersion = (await sql<{ server_version: string }>`show server_version`.execute(db)).rows[0]!
    .server_version;

  const baselineTarget = await startTarget({
    kind: 'baseline',
    databaseUrl: database.url,
    poolSize: POOL_SIZE,
  });
  const appTarget = await startTarget({ kind: 'app', env });
  const baselineRequest: autocannon.Request = {
    method: 'POST',
    path: '/baseline',
    headers: { 'content-type': 'application/json' },
    body: SEND_BODY,
  };

  const opening = await scenario('baseline', baselineTarget.url, baselineRequest, 201, opts, db, notes);

  const sessions: SingleUse<SendTarget> = {
    items: cursor<SendTarget>(),
    noun: 'agent sessions',
    seed: (from, count) => seedAgentSessions(deps, tenantId, from, count),
    async probe(s) {
      const res = await fetch(`${appTarget.url}/agent/api/verifications`, {
        method: 'POST',
        headers: s.headers,
        body: SEND_BODY,
      });
      const text = await res.text();
      if (res.status !== 201) throw new BenchError(`a seeded session cannot send: ${res.status} ${text}`);
      if (!(JSON.parse(text) as { destinationOnFile?: boolean }).destinationOnFile)
        throw new BenchError('the seeded contact was not recognised as on file');
    },
  };
  const send = await singleUseScenario(
    'send',
    appTarget.url,
    {
      method: 'POST',
      path: '/agent/api/verifications',
      body: SEND_BODY,
      setupRequest: (req) => ({ ...req, headers: sessions.items.take().headers }),
    },
    201,
    opts,
    db,
    notes,
    sessions,
    opening.requestsPerSecond,
  );

  const links: SingleUse<string> = {
    items: cursor<string>(),
    noun: 'links',
    seed: (from, count) => seedLinks(deps, tenantId, from, count),
    async probe(token) {
      const res = await fetch(`${appTarget.url}/v/${token}`);
      await res.arrayBuffer();
      if (res.status !== 200) throw new BenchError(`a seeded link does not open: ${res.status}`);
    },
  };
  const open = await singleUseScenario(
    'open link',
    appTarget.url,
    {
      method: 'GET',
      path: '/v/<token>',
      setupRequest: (req) => ({ ...req, path: `/v/${links.items.take()}` }),
    },
    200,
    opts,
    db,
    notes,
    links,
    opening.requestsPerSecond,
  );

  const closing = await scenario('baseline', baselineTarget.url, baselineRequest, 201, opts, db, notes);
  closing.name = 'baseline (again)';
  await appTarget.stop();
  await baselineTarget.stop();

  // What the server wrote must account for every success autocannon counted (it may hold more: requests still
  // in flight when a run stopped are finished by the server but not counted).
  const stored = await db
    .selectFrom('verifications')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('state', '=', 'sending')
    .executeTakeFirstOrThrow();
  const opened = await db
    .selectFrom('verification_links')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('opened_at', 'is not', null)
    .executeTakeFirstOrThrow();
  const sent201 = send.result.statusCounts['201'] ?? 0;
  const opened200 = open.result.statusCounts['200'] ?? 0;
  if (Number(stored.n) < sent201)
    throw new BenchError(`autocannon counted ${sent201} sends, the database holds ${stored.n}`);
  if (Number(opened.n) < opened200)
    throw new BenchError(`autocannon counted ${opened200} first opens, the database holds ${opened.n}`);

  // The two baselines bracket the service's runs; ratios are to their mean.
  const reference = {
    requestsPerSecond: (opening.requestsPerSecond + closing.requestsPerSecond) / 2,
    p99: (opening.latencyMs.p99 + closing.latencyMs.p99) / 2,
  };
  const drift = closing.requestsPerSecond / opening.requestsPerSecond - 1;
  if (Math.abs(drift) > MAX_BASELINE_DRIFT) {
    notes.push(
      `the baseline moved ${(drift * 100).toFixed(0)} % between the opening and closing runs: the machine was not quiet; rerun for figures worth quoting`,
    );
  }
  const round = (n: number) => Math.round(n * 1000) / 1000;
  const ratios = {
    sendThroughput: round(send.result.requestsPerSecond / reference.requestsPerSecond),
    sendP99: round(send.result.latencyMs.p99 / reference.p99),
    openThroughput: round(open.result.requestsPerSecond / reference.requestsPerSecond),
    openP99: round(open.result.latencyMs.p99 / reference.p99),
  };
  const cpus = os.cpus();
  const report = {
    finishedAt: new Date().toISOString(),
    machine: {
      cpus: cpus.length,
      cpuModel: cpus[0]?.model.trim() ?? 'unknown',
      memoryGiB: Math.round(os.totalmem() / 2 ** 30),
      loadAverage1m: round(os.loadavg()[0] ?? 0),
      os: `${os.type()} ${os.release()} ${os.arch()}`,
      node: process.version,
      postgres: pgVersion,
    },
    settings: {
      connections: opts.connections,
      durationSeconds: opts.duration,
      warmupSeconds: opts.warmup,
      calibrationRequestsPerConnection: CALIBRATION_PER_CONNECTION,
      pipelining: 1,
      databasePoolSize: POOL_SIZE,
      placement:
        'autocannon on the main thread; each server in its own worker thread of the same process; PostgreSQL on the same machine',
    },
    scenarios: { baseline: opening, send: send.result, open: open.result, baselineAgain: closing },
    reference: { ...reference, drift: round(drift) },
    ratios,
    singleUse: {
      send: {
        calibratedRequestsPerSecond: round(send.calibrationRequestsPerSecond),
        seeded: send.seeded,
        used: send.used,
        storedSends: Number(stored.n),
      },
      open: {
        calibratedRequestsPerSecond: round(open.calibrationRequestsPerSecond),
        seeded: open.seeded,
        used: open.used,
        linksOpened: Number(opened.n),
      },
    },
    notes,
  };
  mkdirSync(path.dirname(RESULTS_FILE), { recursive: true });
  writeFileSync(RESULTS_FILE, `${JSON.stringify(report, null, 2)}\n`);

  const fixed = (n: number, digits: number) => n.toFixed(digits);
  const rows = [
    ['scenario', 'req/s', 'p50 ms', 'p99 ms', 'expected status', '÷ baseline req/s', '÷ baseline p99'],
    ...[opening, send.result, open.result, closing].map((s) => {
      const isBaseline = s === opening || s === closing;
      return [
        `${s.name} (${s.method} ${s.path})`,
        fixed(s.requestsPerSecond, 0),
        fixed(s.latencyMs.p50, 1),
        fixed(s.latencyMs.p99, 1),
        `${fixed(s.okShare * 100, 2)} % ${s.expectedStatus}`,
        isBaseline ? '' : fixed(s.requestsPerSecond / reference.requestsPerSecond, 3),
        isBaseline ? '' : fixed(s.latencyMs.p99 / reference.p99, 2),
      ];
    }),
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  console.log('');
  for (const r of rows)
    console.log(
      r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  '),
    );
  console.log('');
  console.log(
    `${cpus.length} × ${report.machine.cpuModel}, load ${fixed(report.machine.loadAverage1m, 2)}, Node ${process.version}, PostgreSQL ${pgVersion}; ` +
      `${opts.connections} connections, ${opts.duration} s per timed run after ${opts.warmup} s warm-up; ratios to the mean of the two baselines`,
  );
  for (const n of notes) console.log(`note: ${n}`);
  console.log(`results: ${path.relative(process.cwd(), RESULTS_FILE)}`);
}

let interrupted = false;
process.once('SIGINT', () => {
  interrupted = true;
  console.error('\ninterrupted; cleaning up');
  void cleanup().finally(() => process.exit(130));
});

main()
  .then(async () => {
    const problems = await cleanup();
    if (problems.length) {
      console.error(`cleanup failed:\n  ${problems.join('\n  ')}`);
      process.exit(1);
    }
    process.exit(0);
  })
  .catch(async (err: unknown) => {
    if (interrupted) return; // the SIGINT handler is cleaning up and exits
    console.error(
      `bench failed: ${err instanceof BenchError ? err.message : err instanceof Error ? (err.stack ?? err.message) : String(err)}`,
    );
    const problems = await cleanup();
    if (problems.length) console.error(`cleanup failed:\n  ${problems.join('\n  ')}`);
    process.exit(1);
  });
