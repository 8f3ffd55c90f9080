// `npm run bench:s8 [-- --requests 200 --warmup 40]`: SECURITY.md S8 measured — does POST /self-service take the
// same time for a known account as for an unknown one? (README, "Benchmarks".) A benchmark, never a test assertion.
//
// One process: a throw-away PostgreSQL database, the ServiceNow stand-in (@imper/dev-instance, its deterministic
// seed) on the main thread, and the real service in a worker thread exactly as `start()` wires it (target.ts) —
// with its graphile-worker ON, so the `self_service_start` jobs of known accounts really look the account up,
// create tickets and send (dev transport) while the timed requests go on: background work a known account causes
// is part of what is measured. Each request: a POST of the form with the page's anti-CSRF value and cookie, from an
// address of its own (X-Forwarded-For, loopback trusted as in the demo) so the per-IP limit never answers; timed on
// the client (hrtime, from send to the last byte of the body), one at a time.
//
// Two runs; each run sends `--requests` POSTs for known accounts (seeded active users, by user name or email) and
// as many for unknown ones, interleaved in random order, after a discarded warm-up. Reported per kind and run:
// median and p90; the difference of the medians known − unknown (per run and over both runs); the noise of each
// kind = |median(run 1) − median(run 2)|. Verdict "within noise" when |median(known) − median(unknown)| (both runs)
// ≤ max(noise of known, noise of unknown). Writes scripts/bench/results/s8-latest.json. Exit 1 only when the
// benchmark itself is broken (a response that is not 200 or not the same page for both kinds, bad flags).
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import { startDevInstance, type DevInstance } from '@imper/dev-instance';
import { createThrowawayDatabase, type ThrowawayDatabase } from './db';
import type { TargetMessage, TargetSpec } from './target';

const RESULTS_FILE = path.join(__dirname, 'results', 's8-latest.json');

class BenchError extends Error {}

const started = Date.now();
const log = (msg: string) =>
  console.log(`[bench:s8 ${((Date.now() - started) / 1000).toFixed(1).padStart(5)} s] ${msg}`);

function options(argv: string[]) {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: { requests: { type: 'string' }, warmup: { type: 'string' } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    throw new BenchError(
      `${(err as Error).message}\nusage: npm run bench:s8 -- [--requests <n>=200] [--warmup <n>=40]`,
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
    requests: int('requests', values.requests, 200, 10, 5000),
    warmup: int('warmup', values.warmup, 40, 0, 1000),
  };
}

function startService(
  spec: TargetSpec,
  workers: Set<Worker>,
): Promise<{ url: string; stop(): Promise<void> }> {
  const bootstrap = `require(${JSON.stringify(require.resolve('tsx/cjs'))}); require(${JSON.stringify(path.join(__dirname, 'target.ts'))});`;
  const worker = new Worker(bootstrap, { eval: true, workerData: spec });
  workers.add(worker);
  return new Promise((resolve, reject) => {
    let closed: (() => void) | null = null;
    worker.on('message', (msg: TargetMessage) => {
      if (msg.type === 'ready')
        resolve({
          url: `http://127.0.0.1:${msg.port}`,
          stop: () =>
            new Promise<void>((res) => {
              closed = res;
              worker.postMessage('close');
              setTimeout(res, 20_000).unref();
            }).finally(async () => {
              await worker.terminate();
              workers.delete(worker);
            }),
        });
      else if (msg.type === 'closed') closed?.();
      else reject(new BenchError(`service failed: ${msg.message}`));
    });
    worker.on('error', reject);
    worker.on('exit', (code) => {
      if (code !== 0) reject(new BenchError(`service thread exited with code ${code}`));
    });
  });
}

type Kind = 'known' | 'unknown';
interface Sample {
  kind: Kind;
  ms: number;
}

function shuffle<T>(items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = randomBytes(4).readUInt32BE() % (i + 1);
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

const quantile = (sorted: number[], q: number) => {
  if (!sorted.length) return NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
};
const stats = (ms: number[]) => {
  const s = [...ms].sort((a, b) => a - b);
  return { n: s.length, median: quantile(s, 0.5), p90: quantile(s, 0.9), min: s[0]!, max: s[s.length - 1]! };
};
const round = (n: number) => Math.round(n * 1000) / 1000;

async function main() {
  const opts = options(process.argv.slice(2));
  const workers = new Set<Worker>();
  let database: ThrowawayDatabase | null = null;
  let standin: DevInstance | null = null;
  let service: { url: string; stop(): Promise<void> } | null = null;
  const cleanup = async () => {
    await service?.stop().catch(() => {});
    for (const w of workers) await w.terminate().catch(() => {});
    await standin?.close().catch(() => {});
    await database?.drop().catch(() => {});
  };
  process.once('SIGINT', () => void cleanup().finally(() => process.exit(130)));
  try {
    database = await createThrowawayDatabase();
    const secret = () => randomBytes(24).toString('base64url');
    const integration = { password: secret(), oauthClientId: 'bench-client', oauthClientSecret: secret() };
    const launchSecret = randomBytes(32).toString('base64');
    standin = await startDevInstance({
      port: 0,
      adminPassword: secret(),
      agentPassword: secret(),
      integration,
      launch: { secret: launchSecret, serviceUrl: 'http://127.0.0.1:9' },
    });
    log(`database ${database.name}; ServiceNow stand-in at ${standin.url}`);
    const env: Record<string, string> = {
      APP_ENV: 'test',
      HOST: '127.0.0.1',
      PORT: '0',
      LOG_LEVEL: 'silent',
      DATABASE_URL: database.url,
      DATABASE_POOL_SIZE: '10',
      MIGRATE_ON_START: 'true',
      RUN_WORKER: 'true', // the jobs run during the measurement (see the top of this file)
      DATA_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      EMAIL_PROVIDER: 'dev',
      SMS_PROVIDER: 'dev',
      TRUST_PROXY: '127.0.0.1/8,::1',
      TENANTS: JSON.stringify([
        {
          slug: 'bench',
          name: 'Acme IT Helpdesk',
          instanceUrl: standin.url,
          auth: { type: 'basic', username: 'imper.integration', password: integration.password },
          launchSecret,
        },
      ]),
    };
    service = await startService({ kind: 'app', env }, workers);
    log(`service at ${service.url} (worker on)`);

    // Known: the stand-in's active users with a contact, by user name and (every other one) by email.
    const users = standin.store
      .query('sys_user', 'active=true')
      .filter((u) => u.user_name && (u.mobile_phone || u.email) && u.user_name !== 'imper.integration');
    if (users.length < 50) throw new BenchError(`only ${users.length} usable stand-in users`);
    const knownIds = users.map((u, i) => String(i % 2 && u.email ? u.email : u.user_name));
    log(
      `${knownIds.length} known accounts; ${opts.requests} known + ${opts.requests} unknown per run, 2 runs`,
    );

    // The page's anti-CSRF value and its cookie, once (the same for every POST of this "browser").
    const form = await fetch(`${service.url}/self-service`);
    const cookie = (form.headers.get('set-cookie') ?? '').split(';')[0]!;
    const csrf = /name="csrf" value="([^"]+)"/.exec(await form.text())?.[1];
    if (!cookie || !csrf) throw new BenchError('GET /self-service gave no cookie or anti-CSRF value');

    let address = 0;
    let referenceBody: string | null = null;
    let k = 0;
    let u = 0;
    const post = async (kind: Kind): Promise<number> => {
      address += 1;
      const identifier =
        kind === 'known'
          ? knownIds[k++ % knownIds.length]!
          : `nobody.${randomBytes(5).toString('hex')}${u++}`;
      const body = new URLSearchParams({ csrf, identifier, action: 'password_reset' }).toString();
      const t0 = process.hrtime.bigint();
      const res = await fetch(`${service!.url}/self-service`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          cookie,
          'x-forwarded-for': `10.${(address >> 16) & 255}.${(address >> 8) & 255}.${address & 255}`,
        },
        body,
      });
      const text = await res.text();
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      if (res.status !== 200)
        throw new BenchError(`${kind} POST answered ${res.status}: ${text.slice(0, 200)}`);
      referenceBody ??= text;
      if (text !== referenceBody)
        throw new BenchError(`a ${kind} POST answered a different page (S8 broken)`);
      return ms;
    };

    if (opts.warmup) {
      log(`warm-up: ${opts.warmup} requests (discarded)`);
      for (const kind of shuffle(
        Array.from({ length: opts.warmup }, (_, i): Kind => (i % 2 ? 'known' : 'unknown')),
      ))
        await post(kind);
    }
    const runs: Sample[][] = [];
    for (const r of [1, 2]) {
      const order = shuffle([
        ...Array.from({ length: opts.requests }, (): Kind => 'known'),
        ...Array.from({ length: opts.requests }, (): Kind => 'unknown'),
      ]);
      log(`run ${r}: ${order.length} requests, interleaved in random order`);
      const samples: Sample[] = [];
      for (const kind of order) samples.push({ kind, ms: await post(kind) });
      runs.push(samples);
    }

    const of = (samples: Sample[], kind: Kind) => samples.filter((s) => s.kind === kind).map((s) => s.ms);
    const perRun = runs.map((samples, i) => {
      const known = stats(of(samples, 'known'));
      const unknown = stats(of(samples, 'unknown'));
      return { run: i + 1, known, unknown, medianDiffMs: known.median - unknown.median };
    });
    const all = runs.flat();
    const known = stats(of(all, 'known'));
    const unknown = stats(of(all, 'unknown'));
    const noise = {
      known: Math.abs(perRun[0]!.known.median - perRun[1]!.known.median),
      unknown: Math.abs(perRun[0]!.unknown.median - perRun[1]!.unknown.median),
    };
    const diff = known.median - unknown.median;
    const bound = Math.max(noise.known, noise.unknown);
    const verdict = Math.abs(diff) <= bound ? 'within noise' : 'outside noise';

    // How many starts the worker really made meanwhile (known accounts do work; unknown ones end at the lookup).
    const delivered = standin.store.query(
      'incident',
      'contact_type=self-service^correlation_idSTARTSWITHVRF-',
    ).length;

    console.log('\nPOST /self-service, client-side response time (ms)\n');
    console.log('| run | kind    |   n | median |    p90 |');
    console.log('| --- | ------- | --: | -----: | -----: |');
    for (const r of perRun)
      for (const kind of ['known', 'unknown'] as const)
        console.log(
          `| ${r.run}   | ${kind.padEnd(7)} | ${String(r[kind].n).padStart(3)} | ${r[kind].median.toFixed(2).padStart(6)} | ${r[kind].p90.toFixed(2).padStart(6)} |`,
        );
    console.log(
      `\nmedian known − unknown: run 1 ${perRun[0]!.medianDiffMs.toFixed(3)} ms, run 2 ${perRun[1]!.medianDiffMs.toFixed(3)} ms, both runs ${diff.toFixed(3)} ms`,
    );
    console.log(
      `noise (|run 1 − run 2| of the median): known ${noise.known.toFixed(3)} ms, unknown ${noise.unknown.toFixed(3)} ms`,
    );
    console.log(
      `verdict: ${verdict} (|${diff.toFixed(3)}| ${verdict === 'within noise' ? '≤' : '>'} ${bound.toFixed(3)})`,
    );
    console.log(`tickets created by the worker for self-service during the runs: ${delivered}`);

    const cpus = os.cpus();
    const result = {
      measuredAt: new Date().toISOString(),
      machine: {
        cpus: cpus.length,
        cpuModel: cpus[0]?.model ?? 'unknown',
        memoryGiB: Math.round(os.totalmem() / 2 ** 30),
        loadAverage1m: os.loadavg()[0],
        os: `${os.type()} ${os.release()}`,
        node: process.version,
      },
      settings: {
        requestsPerKindPerRun: opts.requests,
        runs: 2,
        warmup: opts.warmup,
        concurrency: 1,
        worker: true,
      },
      runs: perRun.map((r) => ({
        run: r.run,
        known: { ...r.known, median: round(r.known.median), p90: round(r.known.p90) },
        unknown: { ...r.unknown, median: round(r.unknown.median), p90: round(r.unknown.p90) },
        medianDiffMs: round(r.medianDiffMs),
      })),
      overall: {
        known: { median: round(known.median), p90: round(known.p90) },
        unknown: { median: round(unknown.median), p90: round(unknown.p90) },
        medianDiffMs: round(diff),
      },
      noiseMs: { known: round(noise.known), unknown: round(noise.unknown) },
      verdict,
      selfServiceTicketsCreated: delivered,
    };
    mkdirSync(path.dirname(RESULTS_FILE), { recursive: true });
    writeFileSync(RESULTS_FILE, `${JSON.stringify(result, null, 2)}\n`);
    log(`wrote ${path.relative(process.cwd(), RESULTS_FILE)}`);
  } finally {
    await cleanup();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err instanceof BenchError ? `bench:s8 failed: ${err.message}` : err);
    process.exit(1);
  },
);
