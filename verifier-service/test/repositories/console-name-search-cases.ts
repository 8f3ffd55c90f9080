// The name search's cases, shared by the PostgreSQL test (console-verifications.test.ts) and the embedded-database
// probe (console-name-search-probe.ts): a few hundred rows with shared prefixes, few and many names per prefix,
// wildcards, ties on created_at; and a walk through every page of each search, with filters, in both directions,
// comparing the repository's pages and count with the plain query's (written here on its own, as the simple
// `where … like … order by created_at, id` the repository optimises).
import { randomBytes } from 'node:crypto';
import { sql, type Expression, type ExpressionBuilder, type Kysely, type SqlBool } from 'kysely';
import type { Database } from '../../src/db/schema';
import {
  countConsoleVerifications,
  listConsoleVerifications,
  type ConsoleKeyset,
  type ConsoleListFilter,
} from '../../src/repositories/console-verifications';

const two = (i: number) => String(i).padStart(2, '0');

/** Names and how many rows each has. */
export const NAMES: [string, number][] = [
  ['Abel Tuter', 9],
  ['ABEL TUTER', 4],
  ['Abel Tuterson', 5],
  ['Abby Stone', 6],
  ['Abélard Ünal', 3],
  ['Abel', 4], // one word: no surname
  ['Ab  Double Space', 2],
  ['Zoe Tuter', 7],
  ['Tuan Nguyen', 5],
  ['Tuesday Adams', 3],
  ['Thomas Thompson', 8], // "thom" matches its name and its surname
  ['Tom Thomas', 6],
  ['Thom Thom', 3],
  ['Ana de la Cruz', 4],
  ['Cruz Delgado', 4],
  ['100% Sure', 3],
  ['100x Sure', 3],
  ['100 Percent', 2],
  ['a_b Smith', 3],
  ['axb Smith', 3],
  ['A_B Jones', 2],
  ['back\\slash Name', 3],
  ['backslash Name', 3],
  ['Back\\Slash Other', 2],
  ['Élodie Martin', 3],
  // "kay": exactly 50 names (read name by name); "ka" and "k": 51 and more (the plain query)
  ...Array.from({ length: 50 }, (_, i): [string, number] => [`Kay ${two(i + 1)}`, 2]),
  ['Karl Kim', 3],
  // "zed": 60 names and a surname (the plain query)
  ...Array.from({ length: 60 }, (_, i): [string, number] => [`Zed ${two(i + 1)}`, 2]),
  ['Mary Zed', 5],
];

export const PREFIXES = [
  'ab',
  'abel',
  'ABEL T',
  'abel tuter',
  'tu',
  'tuter',
  'thom',
  'tho',
  'thomas thompson', // one name, 8 rows: more than a page of 7
  'zoe', // one name, 7 rows: exactly a page of 7
  'cruz',
  'de la',
  'é',
  'kay',
  'kay 0',
  'ka',
  'k',
  'zed',
  'zed 5',
  'a',
  '100%',
  '100',
  'a_b',
  'back\\s',
  '%',
  '_',
  '\\',
  'nobody',
];

const STATES = ['passed', 'failed', 'timed_out', 'sent', 'passed', 'canceled'];
const RISKS = [null, 'verified', 'medium', 'high', 'verified'];
const CATEGORIES = ['password_reset', 'network', 'mfa_reset'];
export const BASE = Date.parse('2026-11-02T09:00:00Z');
const DAY = 86_400_000;

/** created_at with microseconds and many ties (about 4 rows share each instant). */
function createdAt(i: number) {
  const ms = BASE + (i % 5) * DAY + ((i * 7919) % 10);
  return `${new Date(ms).toISOString().slice(0, 23)}${i % 2}00Z`;
}

/** Rows for each name (numbered from `from` + 1, so ticket numbers differ); returns the last number used. */
export async function insertNameRows(
  db: Kysely<Database>,
  tenantId: string,
  names: [string, number][],
  from: number,
) {
  let i = from;
  const values = names.flatMap(([name, n]) =>
    Array.from({ length: n }, () => {
      i++;
      const initiatedBy = i % 7 === 0 ? 'api' : i % 7 < 3 ? 'self_service' : 'agent';
      return {
        public_id: `VRF-T${randomBytes(4).toString('hex').toUpperCase()}`,
        tenant_id: tenantId,
        state: STATES[i % STATES.length]!,
        ticket_table: 'incident',
        ticket_sys_id: randomBytes(16).toString('hex'),
        ticket_number: `INC${String(1_000_000 + i)}`,
        ticket_subject: 'Password reset',
        ticket_category: CATEGORIES[(i * 5) % CATEGORIES.length]!,
        requester_sys_id: null,
        requester_name: name,
        requester_user_name: `req${i}`,
        agent_user_name: initiatedBy === 'agent' ? `agent.${i % 2 ? 'a' : 'b'}` : '',
        agent_name: initiatedBy === 'agent' ? 'Agent' : '',
        initiated_by: initiatedBy as 'agent' | 'self_service' | 'api',
        channel: 'email' as const,
        destination_sealed: 'x',
        destination_masked: 'r***@example.com',
        destination_hash: randomBytes(32),
        destination_key: null,
        destination_on_file: true,
        risk_level: RISKS[(i * 3) % RISKS.length]!,
        reasons: '[]',
        created_at: createdAt(i),
        deadline_at: new Date(BASE + 10 * DAY),
      };
    }),
  );
  for (let k = 0; k < values.length; k += 200)
    await db
      .insertInto('verifications')
      .values(values.slice(k, k + 200))
      .execute();
  return i;
}

/** The rows: every name in `tenantId`, and every name once in `otherTenantId` (which must never show, S18). */
export async function seedNameRows(db: Kysely<Database>, tenantId: string, otherTenantId: string) {
  const last = await insertNameRows(db, tenantId, NAMES, 0);
  await insertNameRows(
    db,
    otherTenantId,
    NAMES.map(([name]) => [name, 1]),
    last,
  );
  await sql`analyze verifications`.execute(db);
}

export const FILTERS: Omit<ConsoleListFilter, 'tenantId' | 'search'>[] = [
  {},
  { state: 'failed' },
  { riskLevel: 'verified', category: 'password_reset' },
  { initiatedBy: 'self_service' },
  { agentUserName: 'agent.a' },
  {
    createdFrom: new Date(BASE + DAY),
    createdTo: { at: new Date(BASE + 3 * DAY), inclusive: false },
  },
  { createdTo: { at: new Date(BASE + 2 * DAY + 5), inclusive: true } },
];

// ── The plain query, on its own ────────────────────────────────────────────────────────────────────────────────

const likeStart = (s: string) => `${s.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

function plainWhere(f: ConsoleListFilter, prefix: string) {
  return (eb: ExpressionBuilder<Database, 'verifications'>): Expression<SqlBool> => {
    const p = likeStart(prefix);
    const and: Expression<SqlBool>[] = [
      eb('tenant_id', '=', f.tenantId),
      sql<SqlBool>`(lower(requester_name) like ${p}
        or lower(substr(requester_name, nullif(strpos(requester_name, ' '), 0) + 1)) like ${p})`,
    ];
    if (f.state) and.push(eb('state', '=', f.state));
    if (f.riskLevel) and.push(eb('risk_level', '=', f.riskLevel));
    if (f.category !== undefined) and.push(eb('ticket_category', '=', f.category));
    if (f.agentUserName !== undefined) and.push(eb('agent_user_name', '=', f.agentUserName));
    if (f.initiatedBy) and.push(eb('initiated_by', '=', f.initiatedBy));
    if (f.createdFrom) and.push(eb('created_at', '>=', f.createdFrom));
    if (f.createdTo) and.push(eb('created_at', f.createdTo.inclusive ? '<=' : '<', f.createdTo.at));
    return eb.and(and);
  };
}

async function plainPage(
  db: Kysely<Database>,
  f: ConsoleListFilter,
  prefix: string,
  sort: 'newest' | 'oldest',
  limit: number,
  after: ConsoleKeyset | undefined,
) {
  const desc = sort === 'newest';
  let q = db
    .selectFrom('verifications')
    .select(['id', sql<string>`to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US')`.as('k')])
    .where(plainWhere(f, prefix));
  if (after)
    q = q.where(
      sql<SqlBool>`(created_at, id) ${sql.raw(desc ? '<' : '>')}
        (${after.createdAt}::timestamp at time zone 'UTC', ${after.id}::uuid)`,
    );
  const rows = await q
    .orderBy('created_at', desc ? 'desc' : 'asc')
    .orderBy('id', desc ? 'desc' : 'asc')
    .limit(limit + 1)
    .execute();
  const page = rows.slice(0, limit).map((r) => ({ createdAt: r.k, id: r.id }));
  return { ids: page.map((r) => r.id), next: rows.length > limit ? page[page.length - 1]! : null };
}

async function plainCount(db: Kysely<Database>, f: ConsoleListFilter, prefix: string, cap: number) {
  const r = await db
    .selectFrom((qb) =>
      qb
        .selectFrom('verifications')
        .select(sql`1`.as('one'))
        .where(plainWhere(f, prefix))
        .limit(cap + 1)
        .as('m'),
    )
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/** The names the plain query finds for a prefix (for the tests' own expectations). */
export async function plainNames(db: Kysely<Database>, tenantId: string, prefix: string) {
  const rows = await db
    .selectFrom('verifications')
    .select('requester_name')
    .distinct()
    .where(plainWhere({ tenantId }, prefix))
    .execute();
  return rows.map((r) => r.requester_name).sort();
}

/**
 * Every page of every prefix × filter × direction (page size `limit`), the repository against the plain query:
 * the same ids in the same order, the same next key, the same capped count. Returns what differed (nothing, when
 * all is well) and how many pages and rows were compared.
 */
export async function compareWithPlain(
  db: Kysely<Database>,
  tenantId: string,
  opts: { limits: number[]; prefixes?: string[]; filters?: typeof FILTERS; caps?: number[] },
) {
  const differences: string[] = [];
  let pages = 0;
  let rows = 0;
  for (const prefix of opts.prefixes ?? PREFIXES)
    for (const extra of opts.filters ?? FILTERS)
      for (const sort of ['newest', 'oldest'] as const)
        for (const limit of opts.limits) {
          const f: ConsoleListFilter = { tenantId, ...extra, search: { kind: 'prefix', value: prefix } };
          const what = `${JSON.stringify(prefix)} ${JSON.stringify(extra)} ${sort} ${limit}`;
          let after: ConsoleKeyset | undefined;
          for (let n = 1; ; n++) {
            const [got, want] = await Promise.all([
              listConsoleVerifications(db, f, { sort, limit, ...(after ? { after } : {}) }),
              plainPage(db, f, prefix, sort, limit, after),
            ]);
            pages++;
            rows += got.rows.length;
            const gotIds = got.rows.map((r) => r.id);
            if (JSON.stringify(gotIds) !== JSON.stringify(want.ids))
              differences.push(`${what} page ${n}: other rows (${gotIds.length}, want ${want.ids.length})`);
            if (JSON.stringify(got.next) !== JSON.stringify(want.next))
              differences.push(
                `${what} page ${n}: next ${JSON.stringify(got.next)}, want ${JSON.stringify(want.next)}`,
              );
            if (!got.next || !want.next || n > 500) break;
            after = want.next;
          }
          if (sort === 'newest' && limit === opts.limits[0])
            for (const cap of opts.caps ?? [5, 10_000]) {
              const [got, want] = await Promise.all([
                countConsoleVerifications(db, f, cap),
                plainCount(db, f, prefix, cap),
              ]);
              if (got !== want) differences.push(`${what} count (cap ${cap}): ${got}, want ${want}`);
            }
        }
  return { differences, pages, rows };
}
