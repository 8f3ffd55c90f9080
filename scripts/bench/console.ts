// `npm run bench:console [-- --rows 1000000 --n 200]`: the console's Verifications table at scale (issue 11, the
// performance goal: every page p95 < 50 ms with 1 M verifications). On a throw-away PostgreSQL database it seeds
// `--rows` verifications of one tenant (plus 1 % for a second tenant, which must never show) with three audit events
// each, in bulk SQL (`insert … select generate_series`), with spreads of state, risk level, category, initiator,
// agent and a year of creation times; then `vacuum analyze`. It then times, N times each, the service functions the
// routes call (so the time inside the service: SQL, mapping, cursor signing; not HTTP):
//   first page        newest 50, no filter, with the capped count
//   filtered page     status + risk + category, with the count
//   ticket search     q = an existing ticket number
//   id search         q = an existing verification ID
//   name searches     q = a whole requester name (~830 rows; one name); the first 4 letters of a first name
//                     (~33,000 rows; 40 names), also oldest first, with the three filters, with status failed
//                     alone (~3,300 of the 33,000 rows), and its second page;
//                     a surname (~25,000 rows; one surname); one letter (up to ~200 names: the plain query's way)
//   next page         the page after a cursor, at depths 1…N
//   details           one verification's details (report, sealed transcript, audit events, deliveries)
// and the CSV export's rate (rows/s through csv-stringify for the first 100 000 rows). It prints p50/p95 per query,
// the plans (EXPLAIN ANALYZE of the SQL the repository sends, captured as it runs), writes
// scripts/bench/results/console-latest.json and drops the database on every path (`--keep` keeps it, for plans of
// your own: its name is printed). It fails (exit 1) only when the benchmark itself is broken (a query returning
// nothing it should); a slow query is reported, never a failure.
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pino from 'pino';
import type { ConsoleVerificationsQuery } from '../../shared/src';
import { createDeps } from '../../verifier-service/src/bootstrap';
import { loadConfig } from '../../verifier-service/src/config';
import type { Deps } from '../../verifier-service/src/context';
import { openDatabase, type DatabaseHandle } from '../../verifier-service/src/db/connect';
import type { Database } from '../../verifier-service/src/db/schema';
import { migrateToLatest } from '../../verifier-service/src/db/migrate';
import {
  listVerifications,
  verificationDetails,
  verificationsCsv,
  type ConsoleViewer,
} from '../../verifier-service/src/services/console-verifications';
import { ADMIN_URL, createThrowawayDatabase, type ThrowawayDatabase } from './db';

const RESULTS_FILE = path.join(__dirname, 'results', 'console-latest.json');
const CHUNK = 100_000;
const CSV_ROWS = 100_000;
const GOAL_P95_MS = 50;

let database: ThrowawayDatabase | null = null;
let handle: DatabaseHandle | null = null;
const log = (m: string) => console.log(`[bench:console] ${m}`);

function options() {
  const { values } = parseArgs({
    options: { rows: { type: 'string' }, n: { type: 'string' }, keep: { type: 'boolean' } },
    strict: true,
    allowPositionals: false,
  });
  const int = (name: string, v: string | undefined, def: number, min: number, max: number) => {
    if (v === undefined) return def;
    const n = Number(v);
    if (!Number.isInteger(n) || n < min || n > max)
      throw new Error(`--${name}: a whole number from ${min} to ${max}`);
    return n;
  };
  return {
    rows: int('rows', values.rows, 1_000_000, 1000, 20_000_000),
    n: int('n', values.n, 200, 10, 10_000),
    keep: values.keep ?? false,
  };
}

/** An analysis report of the stored shape (domain/risk/report.ts) and typical size. */
function sampleReport() {
  const section = (ids: string[]) => ({
    score: 12,
    cap: 40,
    signals: ids.map((id, i) => ({
      id,
      weight: 10 + i,
      points: i % 2 ? 0 : 6,
      explanation: `Signal ${id} explained for the auditor in one sentence.`,
      floor: null,
      missingData: false,
      waivedBy: null,
    })),
    facts: { a: 'value', b: 3, c: true, d: ['x', 'y'] },
  });
  return {
    version: 1,
    score: 18,
    riskLevel: 'verified',
    outcome: 'passed',
    recommendation: 'User verified successfully - Proceed with action',
    needsStepUp: false,
    stepUpReasons: [],
    verifiedBlockedBy: [],
    missingData: [],
    thresholds: { medium: 30, high: 60 },
    network: section(['hosting_ip', 'vpn_ip', 'tor_network', 'shared_ip', 'ip_country_mismatch']),
    endpoint: section(['automation_markers', 'client_hints_mismatch', 'screen_touch_inconsistent']),
    persona: section([
      'destination_not_on_file',
      'contact_changed_recently',
      'verifications_many_for_requester',
    ]),
    challenge: section(['wrong_answers', 'skipped_answers', 'answers_too_fast']),
    device: {
      userAgent:
        'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36',
      browser: 'Chrome 131',
      os: 'Linux',
      platformType: 'desktop',
      clientHints: { mobile: false, platform: 'Linux', brands: ['Chromium'] },
      timeZone: 'Europe/Paris',
      languages: ['en-GB', 'fr'],
      screen: '1920x1080',
      maxTouchPoints: 0,
      webglRenderer: 'ANGLE (Intel)',
      hardwareConcurrency: 8,
      collected: true,
    },
  };
}

function sampleTranscript() {
  const entries = ['manager', 'department', 'location', 'title'].map((kind, i) => ({
    questionId: `q${i}`,
    kind,
    prompt: { key: `challenge.${kind}` },
    promptText: `Which of these is your ${kind}?`,
    choices: ['A', 'B', 'C', 'None of these'].map((t, j) => ({ id: `c${i}${j}`, text: t })),
    correctChoiceId: `c${i}0`,
    chosen: { id: `c${i}0`, text: 'A' },
    outcome: 'correct',
    timeTakenMs: 4200 + i * 300,
  }));
  return { version: 1, entries };
}

async function seed(deps: Deps, tenantId: string, otherTenantId: string, rows: number) {
  const db = deps.db;
  const report = JSON.stringify(sampleReport());
  const transcript = deps.sealer.seal(JSON.stringify(sampleTranscript()));
  const destination = deps.sealer.seal('requester@example.com');
  // Emails are stored sealed (S19): one sealed address stands for all (the list opens 50 per page either way).
  const requesterEmail = deps.sealer.seal('requester@example.com');
  await sql`select setseed(0.42)`.execute(db);
  const started = Date.now();
  const write = async (tenant: string, from: number, to: number, prefix: string) => {
    // r1…r5: one random draw each, so the distributions are independent. created_at spreads over the last
    // 365 days with more recent weight (sqrt); rows still in flight (sending/sent/in_progress) are the newest.
    await sql`
      insert into verifications (
        public_id, tenant_id, state, ticket_table, ticket_sys_id, ticket_number, ticket_subject, ticket_category,
        ticket_description, requester_sys_id, requester_name, requester_email_sealed, requester_user_name, agent_user_name,
        agent_name, initiated_by, channel, destination_sealed, destination_masked, destination_hash,
        destination_key, destination_on_file, outcome, risk_level, risk_score, recommendation, reasons, report,
        transcript_sealed, created_at, started_at, completed_at, deadline_at, action, action_status)
      select
        ${prefix} || substr(a, 1 + (i / 1048576) % 32, 1) || substr(a, 1 + (i / 32768) % 32, 1)
          || substr(a, 1 + (i / 1024) % 32, 1) || substr(a, 1 + (i / 32) % 32, 1) || substr(a, 1 + i % 32, 1),
        ${tenant}::uuid, st, 'incident', md5(${prefix} || i::text), num,
        (array['Password reset request', 'Account locked out', 'MFA device lost', 'Cannot sign in to VPN'])[1 + i % 4],
        cat, 'The caller says they cannot sign in since this morning and asks for a reset.', md5('u' || (i % 200000)::text),
        fname || ' ' || lname, ${requesterEmail},
        lower(fname) || '.' || lower(lname), ag_user, ag_name, ini, 'email', ${destination}, 'r•••••••@example.com',
        decode(md5('d' || i::text), 'hex'), 'email', true,
        case when st in ('passed', 'failed', 'incomplete', 'timed_out') then st end,
        rl, case when rl is null then null when rl = 'verified' then 12 when rl = 'medium' then 42 else 77 end,
        case rl when 'verified' then 'User verified successfully - Proceed with action'
          when 'high' then 'High risk detected - Reject this request'
          when 'medium' then 'Medium risk - Confirm the request through another channel before proceeding' end,
        '[]', case when rl is not null then ${report}::jsonb end, case when rl is not null then ${transcript} end,
        ca, ca + interval '2 minutes', case when st not in ('sending', 'sent', 'in_progress') then ca + interval '5 minutes' end,
        ca + interval '30 minutes', 'password_reset', case when st = 'passed' then 'completed' else 'not_started' end
      from (
        select i, '23456789ABCDEFGHJKLMNPQRSTUVWXYZ' as a,
          'INC' || lpad((1000000 + i)::text, 8, '0') as num,
          (array['James','Mary','John','Patricia','Robert','Jennifer','Michael','Linda','William','Elizabeth',
                 'David','Barbara','Richard','Susan','Joseph','Jessica','Thomas','Sarah','Charles','Karen',
                 'Chris','Nancy','Daniel','Lisa','Matthew','Betty','Anthony','Margaret','Mark','Sandra'])[1 + (i * 7) % 30] as fname,
          (array['Smith','Johnson','Williams','Brown','Jones','Garcia','Miller','Davis','Rodriguez','Martinez',
                 'Hernandez','Lopez','Gonzalez','Wilson','Anderson','Thomas','Taylor','Moore','Jackson','Martin',
                 'Lee','Perez','Thompson','White','Harris','Sanchez','Clark','Ramirez','Lewis','Robinson',
                 'Walker','Young','Allen','King','Wright','Scott','Torres','Nguyen','Hill','Flores'])[1 + (i / 30) % 40] as lname,
          'agent.' || (floor(power(r5, 2) * 120))::int as ag_user,
          'Agent ' || (floor(power(r5, 2) * 120))::int as ag_name,
          case when r1 < 0.70 then 'passed' when r1 < 0.80 then 'failed' when r1 < 0.85 then 'incomplete'
               when r1 < 0.93 then 'timed_out' when r1 < 0.97 then 'canceled' else 'sent' end as st,
          case when r1 < 0.70 then (case when r2 < 0.85 then 'verified' else 'medium' end)
               when r1 < 0.80 then (case when r2 < 0.7 then 'high' else 'medium' end)
               when r1 < 0.85 then 'medium' end as rl,
          case when r3 < 0.45 then 'password_reset' when r3 < 0.65 then 'account_unlock' when r3 < 0.80 then 'mfa_reset'
               when r3 < 0.90 then 'network' when r3 < 0.96 then 'software' else 'hardware' end as cat,
          case when r4 < 0.80 then 'agent' when r4 < 0.95 then 'self_service' else 'api' end as ini,
          case when r1 >= 0.97 then now() - r2 * interval '30 minutes'
               else now() - interval '1 hour' - sqrt(r2) * interval '365 days' end as ca
        from (select i, random() r1, random() r2, random() r3, random() r4, random() r5
              from generate_series(${from}::int, ${to - 1}::int) i) g
      ) s`.execute(db);
  };
  for (let from = 0; from < rows; from += CHUNK) {
    await write(tenantId, from, Math.min(rows, from + CHUNK), 'VRF-2');
    log(`verifications ${Math.min(rows, from + CHUNK).toLocaleString('en')} / ${rows.toLocaleString('en')}`);
  }
  await write(otherTenantId, 0, Math.max(1000, Math.floor(rows / 100)), 'VRF-3');
  // Initiators other than agents have no agent
  await sql`update verifications set agent_user_name = '', agent_name = '' where initiated_by <> 'agent'`.execute(
    db,
  );
  log('audit events (3 per verification)');
  await sql`
    insert into audit_events (tenant_id, verification_id, type, actor, data, created_at, prev_hash, hash)
    select v.tenant_id, v.id, e.type, e.actor, jsonb_build_object('channel', 'email'), v.created_at + e.off, null,
      decode(md5(v.id::text || e.type) || md5(e.type || v.id::text), 'hex')
    from verifications v
    cross join (values ('verification.created', 'agent', interval '0'), ('delivery.sent', 'system', interval '20 seconds'),
                       ('verification.decided', 'system', interval '5 minutes')) e(type, actor, off)`.execute(
    db,
  );
  await sql`
    insert into deliveries (tenant_id, verification_id, channel, provider, status, created_at)
    select tenant_id, id, 'email', 'sendgrid', 'delivered', created_at from verifications
    where public_id like 'VRF-2%' and (hashtext(id::text) % 20) = 0`.execute(db);
  log('vacuum analyze');
  await sql`vacuum analyze`.execute(db);
  return (Date.now() - started) / 1000;
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
};

async function time(n: number, run: (i: number) => Promise<unknown>) {
  for (let i = 0; i < Math.min(20, n); i++) await run(i); // warm-up: plans and caches
  const ms: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = process.hrtime.bigint();
    await run(i);
    ms.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  const r = (x: number) => Math.round(x * 100) / 100;
  return { n, p50: r(pct(ms, 50)), p95: r(pct(ms, 95)), p99: r(pct(ms, 99)), max: r(Math.max(...ms)) };
}

async function main() {
  const opts = options();
  keep = opts.keep;
  database = await createThrowawayDatabase();
  log(`database ${database.name} on ${new URL(ADMIN_URL).host}`);
  const tenant = (slug: string, port: number) => ({
    slug,
    name: slug,
    instanceUrl: `http://127.0.0.1:${port}`,
    auth: { type: 'basic', username: 'imper.integration', password: randomBytes(12).toString('base64url') },
    launchSecret: randomBytes(32).toString('base64'),
  });
  const env: Record<string, string> = {
    APP_ENV: 'test',
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: 'silent',
    DATABASE_URL: database.url,
    MIGRATE_ON_START: 'false',
    RUN_WORKER: 'false',
    DATA_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    TENANTS: JSON.stringify([tenant('bench', 9), tenant('other', 10)]),
  };
  const config = loadConfig(env);
  handle = await openDatabase({ databaseUrl: database.url, poolSize: 10, embeddedDir: '' });
  await migrateToLatest(handle.db, handle.pool);
  const deps = await createDeps(config, handle.db, pino({ level: 'silent' }));
  const [t1, t2] = deps.tenants.all();
  const seconds = await seed(deps, t1!.id, t2!.id, opts.rows);
  log(`seeded in ${seconds.toFixed(0)} s`);
  // The details' live read of the requester (ServiceNow sys_user) is left out of the timing: the instance (port 9,
  // which never answers) is marked down, which is also what the page does while an instance is down.
  await sql`insert into servicenow_instance_health (tenant_id, down_since) values (${t1!.id}::uuid, now())`.execute(
    handle.db,
  );

  const viewer: ConsoleViewer = { tenantId: t1!.id, roles: ['auditor'] };
  const list = (q: ConsoleVerificationsQuery) => listVerifications(deps, viewer, q);
  const sample = await sql<{ ticket_number: string; public_id: string; requester_name: string }>`
    select ticket_number, public_id, requester_name from verifications
    where tenant_id = ${t1!.id}::uuid and risk_level is not null order by random() limit ${opts.n + 20}`.execute(
    handle.db,
  );
  const picks = sample.rows;
  const filtered: ConsoleVerificationsQuery = { status: 'failed', risk: 'high', category: 'network' };

  // Cursors at depths 1…N (a walk through the newest pages), timed on a second pass
  const cursors: string[] = [];
  let cur: string | null = null;
  for (let i = 0; i < opts.n + 20; i++) {
    const page = await list({ ...(cur ? { cursor: cur } : {}) });
    if (!page.nextCursor) throw new Error('the walk ran out of pages');
    cursors.push(page.nextCursor);
    cur = page.nextCursor;
  }
  const firstPage = await list({});
  if (firstPage.items.length !== 50 || !firstPage.countCapped)
    throw new Error('first page: unexpected result');
  const f = await list(filtered);
  if (!f.items.length) throw new Error('filtered page: empty');
  const one = await list({ q: picks[0]!.ticket_number });
  if (one.items.length !== 1) throw new Error('ticket search: not exactly one row');
  const firstName = (i: number) => picks[i]!.requester_name.split(' ')[0]!;
  const namePrefix = (i: number) => firstName(i).slice(0, 4);
  const surname = (i: number) => picks[i]!.requester_name.split(' ')[1]!;
  const letter = (i: number) => firstName(i).slice(0, 1);
  const named = await list({ q: picks[0]!.requester_name });
  if (named.items.length !== 50 || named.items.some((x) => x.requesterName !== picks[0]!.requester_name))
    throw new Error('name search: not 50 rows of that name');
  const bySurname = await list({ q: surname(0).toLowerCase() });
  if (
    bySurname.items.length !== 50 ||
    bySurname.items.some((x) => !x.requesterName.endsWith(` ${surname(0)}`))
  )
    throw new Error('surname search: not 50 rows of that surname');
  // The second page of each prefix search
  const prefixCursors: string[] = [];
  for (let i = 0; i < opts.n + 20; i++) {
    const page = await list({ q: namePrefix(i) });
    if (!page.nextCursor) throw new Error('name prefix search: no second page');
    prefixCursors.push(page.nextCursor);
  }

  log(`timing, N = ${opts.n} each`);
  const results = {
    firstPage: await time(opts.n, () => list({})),
    filteredPage: await time(opts.n, () => list(filtered)),
    ticketSearch: await time(opts.n, (i) => list({ q: picks[i]!.ticket_number })),
    publicIdSearch: await time(opts.n, (i) => list({ q: picks[i]!.public_id })),
    nameSearch: await time(opts.n, (i) => list({ q: picks[i]!.requester_name })),
    namePrefixSearch: await time(opts.n, (i) => list({ q: namePrefix(i) })),
    namePrefixOldest: await time(opts.n, (i) => list({ q: namePrefix(i), sort: 'oldest' })),
    namePrefixFiltered: await time(opts.n, (i) => list({ q: namePrefix(i), ...filtered })),
    namePrefixStatus: await time(opts.n, (i) => list({ q: namePrefix(i), status: 'failed' })),
    namePrefixPage2: await time(opts.n, (i) => list({ q: namePrefix(i), cursor: prefixCursors[i]! })),
    surnameSearch: await time(opts.n, (i) => list({ q: surname(i) })),
    oneLetterSearch: await time(opts.n, (i) => list({ q: letter(i) })),
    nextPage: await time(opts.n, (i) => list({ cursor: cursors[i]! })),
    details: await time(opts.n, (i) => verificationDetails(deps, viewer, picks[i]!.public_id)),
  };

  log(`CSV: first ${CSV_ROWS.toLocaleString('en')} rows`);
  let rows = -1; // the header line
  let bytes = 0;
  const csvStarted = process.hrtime.bigint();
  const csv = verificationsCsv(deps, viewer, {});
  let tail = '';
  await pipeline(
    csv,
    new Writable({
      write(chunk: Buffer, _enc, done) {
        const s = tail + chunk.toString('utf8');
        const lines = s.split('\n');
        tail = lines.pop()!;
        rows += lines.length;
        bytes += chunk.length;
        if (rows >= CSV_ROWS) {
          csv.destroy();
          done();
          return;
        }
        done();
      },
    }),
  ).catch((err: NodeJS.ErrnoException) => {
    if (err.code !== 'ERR_STREAM_PREMATURE_CLOSE') throw err;
  });
  const csvSeconds = Number(process.hrtime.bigint() - csvStarted) / 1e9;
  const csvResult = {
    rows,
    seconds: Math.round(csvSeconds * 100) / 100,
    rowsPerSecond: Math.round(rows / csvSeconds),
    megabytes: Math.round((bytes / 1e6) * 10) / 10,
  };

  // The plans, for the README and for anyone changing an index: the statements the repository sends for a page and
  // its count (captured through a logging Kysely on the same pool), each run again under EXPLAIN ANALYZE.
  const captured: { sql: string; parameters: readonly unknown[] }[] = [];
  const logging = new Kysely<Database>({
    dialect: new PostgresDialect({ pool: handle.pool }),
    log: (e) => {
      if (e.level === 'query') captured.push({ sql: e.query.sql, parameters: e.query.parameters });
    },
  });
  const explain = async (q: ConsoleVerificationsQuery) => {
    captured.length = 0;
    await listVerifications({ ...deps, db: logging }, viewer, q);
    const out: string[][] = [];
    for (const c of [...captured]) {
      const r = await handle!.pool.query<{ 'QUERY PLAN': string }>(
        `explain (analyze, buffers) ${c.sql}`,
        c.parameters as unknown[],
      );
      out.push(r.rows.map((x) => x['QUERY PLAN']));
    }
    return out;
  };
  const plans = {
    firstPage: await explain({}),
    filteredPage: await explain(filtered),
    nameSearch: await explain({ q: picks[0]!.requester_name }),
    namePrefixSearch: await explain({ q: namePrefix(0) }),
    namePrefixFiltered: await explain({ q: namePrefix(0), ...filtered }),
    namePrefixStatus: await explain({ q: namePrefix(0), status: 'failed' }),
    surnameSearch: await explain({ q: surname(0) }),
    oneLetterSearch: await explain({ q: letter(0) }),
  };

  const pg = (await sql<{ server_version: string }>`show server_version`.execute(handle.db)).rows[0]!
    .server_version;
  const cpus = os.cpus();
  const report = {
    when: new Date().toISOString(),
    machine: {
      cpus: cpus.length,
      cpuModel: cpus[0]?.model ?? 'unknown',
      memoryGiB: Math.round(os.totalmem() / 2 ** 30),
      loadAverage1m: os.loadavg()[0],
      os: `${os.type()} ${os.release()}`,
      node: process.version,
      postgres: pg,
    },
    settings: {
      rows: opts.rows,
      n: opts.n,
      pageSize: 50,
      seedSeconds: Math.round(seconds),
      goalP95Ms: GOAL_P95_MS,
    },
    queriesMs: results,
    csv: csvResult,
    plans,
  };
  mkdirSync(path.dirname(RESULTS_FILE), { recursive: true });
  writeFileSync(RESULTS_FILE, `${JSON.stringify(report, null, 2)}\n`);

  console.log('');
  console.log('query              p50 ms   p95 ms   p99 ms   goal p95 < 50 ms');
  for (const [name, r] of Object.entries(results))
    console.log(
      `${name.padEnd(18)} ${r.p50.toFixed(2).padStart(6)}   ${r.p95.toFixed(2).padStart(6)}   ${r.p99.toFixed(2).padStart(6)}   ${r.p95 < GOAL_P95_MS ? 'met' : 'MISSED'}`,
    );
  console.log(
    `CSV export: ${csvResult.rows.toLocaleString('en')} rows in ${csvResult.seconds} s = ${csvResult.rowsPerSecond.toLocaleString('en')} rows/s (${csvResult.megabytes} MB)`,
  );
  console.log(
    `${cpus.length} × ${report.machine.cpuModel}, load ${os.loadavg()[0]!.toFixed(2)}, Node ${process.version}, PostgreSQL ${pg}; ${opts.rows.toLocaleString('en')} rows, N = ${opts.n}`,
  );
  console.log(`results: ${path.relative(process.cwd(), RESULTS_FILE)}`);
}

let keep = false;

async function cleanup() {
  if (handle) await handle.close().catch(() => undefined);
  handle = null;
  if (database && keep)
    log(`kept database ${database.name} (drop it yourself: drop database ${database.name})`);
  else if (database) await database.drop();
  database = null;
}

process.once('SIGINT', () => {
  console.error('\ninterrupted; cleaning up');
  void cleanup().finally(() => process.exit(130));
});

main().then(
  async () => {
    await cleanup();
    process.exit(0);
  },
  async (err: unknown) => {
    console.error(err);
    await cleanup().catch((e: Error) => console.error(`cleanup: ${e.message}`));
    process.exit(1);
  },
);
