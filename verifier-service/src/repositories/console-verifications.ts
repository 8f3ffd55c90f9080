// The console's Verifications table (F8): filtered, searched lists in keyset pages, a capped count, and the CSV's
// batches. Every query is scoped to one tenant (SECURITY.md S18): the tenant is a required part of the filter, never
// optional. Paging is by keyset on (created_at, id) — never OFFSET — so page 500 costs what page 1 costs and rows
// inserted meanwhile never shift a page. The key carries created_at as UTC text with microseconds (what PostgreSQL
// stores; a JS Date would drop the microseconds and skip rows that share a millisecond).
import { sql, type Kysely, type RawBuilder, type SqlBool, type Transaction } from 'kysely';
import type { RiskLevel, VerificationState } from '@imper/shared';
import type { Database } from '../db/schema';

type Q = Kysely<Database> | Transaction<Database>;

export type ConsoleSearch =
  | { kind: 'ticket'; value: string }
  | { kind: 'publicId'; value: string }
  /** An exact email, by its HMAC (the address is stored sealed, S19) */
  | { kind: 'email'; hash: Buffer }
  | { kind: 'prefix'; value: string };

export interface ConsoleListFilter {
  tenantId: string;
  state?: VerificationState;
  riskLevel?: RiskLevel;
  category?: string;
  agentUserName?: string;
  initiatedBy?: 'agent' | 'self_service' | 'api';
  createdFrom?: Date;
  /** A date-time is inclusive; the end of a whole day is given as the next day, exclusive */
  createdTo?: { at: Date; inclusive: boolean };
  search?: ConsoleSearch;
}

/** Where a page ends: created_at as `YYYY-MM-DDTHH:MM:SS.ffffff` (UTC) and the id. */
export interface ConsoleKeyset {
  createdAt: string;
  id: string;
}

export interface ConsoleListRow {
  id: string;
  publicId: string;
  ticketNumber: string;
  ticketSubject: string;
  requesterName: string;
  /** Sealed (S19): the service opens it */
  requesterEmailSealed: string;
  riskLevel: RiskLevel | null;
  state: VerificationState;
  category: string;
  initiatedBy: 'agent' | 'self_service' | 'api';
  agentName: string;
  agentUserName: string;
  createdAt: Date;
  completedAt: Date | null;
  key: ConsoleKeyset;
}

// ── Conditions ────────────────────────────────────────────────────────────────────────────────────────────────
// A name search (`prefix`) finds the rows whose requester name, or whose surname (the name without its first word:
// "tuter" finds "Abel Tuter"), starts with the text, case-insensitively, the wildcards in the text taken literally.
// Both are spelled exactly as their indexes are (migration 20261201T1800): (tenant_id, the lower-cased name in the
// "C" collation, created_at desc, id desc), i.e. equality on one name and the table's order at once.

const NAME = sql<string>`(lower(requester_name) collate "C")`;
const SURNAME = sql<string>`(lower(substr(requester_name, nullif(strpos(requester_name, ' '), 0) + 1)) collate "C")`;

/** `like` pattern for "starts with", the wildcards in the input taken literally; lower-cased as the column is. */
const startsWith = (s: string) => sql<string>`(lower(${s.replace(/[\\%_]/g, (c) => `\\${c}`)}) || '%')`;

const and = (xs: RawBuilder<SqlBool>[]) => sql<SqlBool>`(${sql.join(xs, sql` and `)})`;

/**
 * The filter's conditions that the name indexes cannot answer (columns other than the name and created_at); a
 * ticket, ID or email search among them.
 */
function rowConditions(f: ConsoleListFilter): RawBuilder<SqlBool>[] {
  const c: RawBuilder<SqlBool>[] = [];
  if (f.state) c.push(sql`state = ${f.state}`);
  if (f.riskLevel) c.push(sql`risk_level = ${f.riskLevel}`);
  if (f.category !== undefined) c.push(sql`ticket_category = ${f.category}`);
  if (f.agentUserName !== undefined) c.push(sql`agent_user_name = ${f.agentUserName}`);
  if (f.initiatedBy) c.push(sql`initiated_by = ${f.initiatedBy}`);
  const s = f.search;
  if (s?.kind === 'ticket') c.push(sql`ticket_number = ${s.value}`);
  else if (s?.kind === 'publicId') c.push(sql`public_id = ${s.value}`);
  else if (s?.kind === 'email') c.push(sql`requester_email_hash = ${s.hash}`);
  return c;
}

/** The tenant and the time range: what every index here starts with or orders by. */
function tenantAndTime(f: ConsoleListFilter): RawBuilder<SqlBool>[] {
  const c: RawBuilder<SqlBool>[] = [sql`tenant_id = ${f.tenantId}`];
  if (f.createdFrom) c.push(sql`created_at >= ${f.createdFrom}`);
  if (f.createdTo) c.push(sql`created_at ${sql.raw(f.createdTo.inclusive ? '<=' : '<')} ${f.createdTo.at}`);
  return c;
}

/** Every condition of the filter, a name search as the plain `like`s. */
function conditions(f: ConsoleListFilter): RawBuilder<SqlBool>[] {
  const c = [...tenantAndTime(f), ...rowConditions(f)];
  if (f.search?.kind === 'prefix') {
    const p = startsWith(f.search.value);
    c.push(sql`(${NAME} like ${p} or ${SURNAME} like ${p})`);
  }
  return c;
}

// ── The list ──────────────────────────────────────────────────────────────────────────────────────────────────

interface Row {
  id: string;
  public_id: string;
  ticket_number: string;
  ticket_subject: string;
  requester_name: string;
  requester_email_sealed: string;
  risk_level: string | null;
  state: string;
  ticket_category: string;
  initiated_by: 'agent' | 'self_service' | 'api';
  agent_name: string;
  agent_user_name: string;
  created_at: Date;
  completed_at: Date | null;
  key_created_at: string;
}

/** The row's columns, from `verifications v` */
const COLUMNS = sql`v.id, v.public_id, v.ticket_number, v.ticket_subject, v.requester_name, v.requester_email_sealed,
  v.risk_level, v.state, v.ticket_category, v.initiated_by, v.agent_name, v.agent_user_name, v.created_at,
  v.completed_at, to_char(v.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US') as key_created_at`;

const keyTimestamp = (k: ConsoleKeyset) => sql`(${k.createdAt}::timestamp at time zone 'UTC')`;

interface Page {
  sort: 'newest' | 'oldest';
  after?: ConsoleKeyset;
  limit: number;
}

/** The page's keyset condition (`(created_at, id)` beyond the last key, in the page's direction) and order. */
function paging(page: Page) {
  const desc = page.sort === 'newest';
  const dir = sql.raw(desc ? 'desc' : 'asc');
  const after = page.after;
  return {
    after: after
      ? [
          sql<SqlBool>`(created_at, id) ${sql.raw(desc ? '<' : '>')} (${keyTimestamp(after)}, ${after.id}::uuid)`,
        ]
      : [],
    order: sql`order by created_at ${dir}, id ${dir}`,
  };
}

/** The plain query: every condition in one `where`, in the table's order. */
function plainPage(filter: ConsoleListFilter, page: Page) {
  const p = paging(page);
  return sql<Row>`select ${COLUMNS} from verifications v
    where ${and([...conditions(filter), ...p.after])} ${p.order} limit ${page.limit + 1}`;
}

// ── A name search, name by name ───────────────────────────────────────────────────────────────────────────────
// The plain query has to read and sort every match before the first page comes out (~33,000 rows for a first
// name's start among a million), and the planner, misjudging how rare a name is, sometimes walks the whole table
// instead. So a search first collects the DISTINCT matching names and surnames with a loose index scan (a recursive
// CTE: each step one index probe for the first name `>` the last one found), at most NAME_SEARCH_MAX_NAMES; then
// reads, for each, only its first page in the table's order (equality on the name, the keyset, `limit page + 1`:
// the first entries under that name in its index) and merges them. Without other filters that is at most
// max × (page + 1) index entries, index-only, whatever the number of matches; the page's rows are then read by id.
// More names mean a common prefix (a letter or two), whose page the plain query finds quickly walking the table's
// order with the name as a filter; it is used then. Filters on the other columns the table offers (status, risk,
// category, initiator, agent) are tested in the index too (they are included in it), but can make each name's walk
// long (all its entries, when the filter keeps none), so with them the name-by-name way is taken only when the
// prefix has at most NAME_SEARCH_FILTERED_MAX_ROWS rows (counted in the same statement, index-only); beyond, the
// plain query, which starts from the filter's own index (a rare status + risk + category) or walks the table's order.
// One statement decides and runs either way (the other is skipped by a one-time filter), so a page is one round
// trip. Both ways give the same rows in the same order (test/repositories/console-verifications.test.ts).

/** Up to this many distinct names (whole names plus surnames) a search reads name by name; beyond, the plain query. */
export const NAME_SEARCH_MAX_NAMES = 50;
/** With filters on other columns, name by name only up to this many rows matching the name (else the plain query). */
export const NAME_SEARCH_FILTERED_MAX_ROWS = 5000;

function nameSearchPage(filter: ConsoleListFilter, prefix: string, page: Page) {
  const p = paging(page);
  const like = startsWith(prefix);
  const tenant = sql`tenant_id = ${filter.tenantId}`;
  const max = NAME_SEARCH_MAX_NAMES;
  // Each step is one probe of the index: the first value after the last one found (a recursive CTE runs only as far
  // as its reader reads). The matching values are contiguous in the index, so the walk stops at the first value past
  // them (it only tests `like` on what it found: with `like` in the probe, the planner, not knowing how far `> v`
  // reaches, costs each probe as a scan of the whole range).
  const walk = (cte: 'n' | 's', expr: typeof NAME) => {
    const last = sql.ref(`${cte}.v`);
    return sql`
    (select ${expr} as v from verifications where ${tenant} and ${expr} like ${like} order by ${expr} limit 1)
    union all
    select (select ${expr} from verifications where ${tenant} and ${expr} > ${last} order by ${expr} limit 1)
    from ${sql.table(cte)} where ${last} like ${like}`;
  };
  const others = rowConditions(filter);
  // The rows matching by name, then by surname, counted up to the threshold (index-only)
  const rows = NAME_SEARCH_FILTERED_MAX_ROWS;
  const fewEnough = others.length
    ? sql`and (select count(*) from (
          (select 1 from verifications where ${tenant} and ${NAME} like ${like})
          union all
          (select 1 from verifications where ${tenant} and ${SURNAME} like ${like})
          limit ${rows + 1}) c) <= ${rows}`
    : sql``;
  // `is true` (the same test in a `where`) keeps the planner on the name's index, which has the filters' columns:
  // given a status + risk + category filter it would rather scan that filter's index once per name, all of it
  // (7,000 rows for each name where the name's own index has 830).
  const where = [...tenantAndTime(filter), ...others.map((c) => sql<SqlBool>`(${c}) is true`), ...p.after];
  const perName = (kind: 'n' | 's', expr: typeof NAME) => sql`
    select x.id, x.created_at from found g cross join lateral (
      select id, created_at from verifications where ${and([...where, sql<SqlBool>`${expr} = g.v`])}
      ${p.order} limit ${page.limit + 1}) x
    where g.kind = ${kind}`;
  // `union`: a row can match by its name and by its surname ("Thomas Thompson" for "thom")
  return sql<Row>`
    with recursive n(v) as (${walk('n', NAME)}), s(v) as (${walk('s', SURNAME)}),
    found(kind, v) as materialized (
      (select 'n', v from n where v like ${like} limit ${max + 1})
      union all
      (select 's', v from s where v like ${like} limit ${max + 1})),
    by_name(yes) as (select count(*) <= ${max} ${fewEnough} from found)
    select * from (
      (select ${COLUMNS} from (
          select id, created_at from (${perName('n', NAME)} union ${perName('s', SURNAME)}) u
          ${p.order} limit ${page.limit + 1}
        ) k join verifications v on v.id = k.id
        where v.tenant_id = ${filter.tenantId} and (select yes from by_name))
      union all
      (select ${COLUMNS} from verifications v
        where ${and([...conditions(filter), ...p.after])} and not (select yes from by_name)
        ${p.order} limit ${page.limit + 1})
    ) r ${p.order}`;
}

export async function listConsoleVerifications(
  db: Q,
  filter: ConsoleListFilter,
  page: Page,
): Promise<{ rows: ConsoleListRow[]; next: ConsoleKeyset | null }> {
  const s = filter.search;
  const q = s?.kind === 'prefix' ? nameSearchPage(filter, s.value, page) : plainPage(filter, page);
  const { rows } = await q.execute(db);
  const more = rows.length > page.limit;
  const mapped = rows.slice(0, page.limit).map((r): ConsoleListRow => ({
    id: r.id,
    publicId: r.public_id,
    ticketNumber: r.ticket_number,
    ticketSubject: r.ticket_subject,
    requesterName: r.requester_name,
    requesterEmailSealed: r.requester_email_sealed,
    riskLevel: (r.risk_level as RiskLevel | null) ?? null,
    state: r.state as VerificationState,
    category: r.ticket_category,
    initiatedBy: r.initiated_by,
    agentName: r.agent_name,
    agentUserName: r.agent_user_name,
    createdAt: r.created_at,
    completedAt: r.completed_at,
    key: { createdAt: r.key_created_at, id: r.id },
  }));
  return { rows: mapped, next: more ? mapped[mapped.length - 1]!.key : null };
}

/**
 * How many rows match, counting at most `cap + 1` (so the caller can say "cap+"). A name search counts the rows
 * matching by name, then (only when those are not already past the cap) those matching by surname but not by
 * name, each from its own index (index-only: the indexes include the filters' columns), rather than one scan of both
 * with an `or`.
 */
export async function countConsoleVerifications(
  db: Q,
  filter: ConsoleListFilter,
  cap: number,
): Promise<number> {
  const capped = (where: RawBuilder<SqlBool>[]) =>
    sql<string>`(select count(*) from (select 1 from verifications where ${and(where)} limit ${cap + 1}) m)`;
  const s = filter.search;
  let n: RawBuilder<string>;
  if (s?.kind === 'prefix') {
    const p = startsWith(s.value);
    const base = [...tenantAndTime(filter), ...rowConditions(filter)];
    const byName = capped([...base, sql`${NAME} like ${p}`]);
    const bySurnameOnly = capped([...base, sql`${SURNAME} like ${p}`, sql`not (${NAME} like ${p})`]);
    // `case`: the second count runs only when its branch is taken (`materialized`: the first runs once)
    n = sql`(with a(n) as materialized (select ${byName})
      select case when a.n > ${cap} then a.n else least(a.n + ${bySurnameOnly}, ${cap + 1}) end from a)`;
  } else {
    n = capped(conditions(filter));
  }
  const r = await sql<{ n: string }>`select ${n} as n`.execute(db);
  return Number(r.rows[0]!.n);
}

/** Every matching row in keyset batches (the CSV export): one short query per batch, never one long cursor. */
export async function* streamConsoleVerifications(
  db: Q,
  filter: ConsoleListFilter,
  sort: 'newest' | 'oldest',
  batch = 1000,
): AsyncGenerator<ConsoleListRow[]> {
  let after: ConsoleKeyset | undefined;
  for (;;) {
    const page = await listConsoleVerifications(db, filter, {
      sort,
      limit: batch,
      ...(after ? { after } : {}),
    });
    if (page.rows.length) yield page.rows;
    if (!page.next) return;
    after = page.next;
  }
}

/** The deliveries of one verification, oldest first (details page). */
export function listDeliveriesForVerification(db: Q, tenantId: string, verificationId: string) {
  return db
    .selectFrom('deliveries')
    .select(['channel', 'provider', 'status', 'error_code', 'created_at', 'updated_at'])
    .where('tenant_id', '=', tenantId)
    .where('verification_id', '=', verificationId)
    .orderBy('created_at')
    .execute()
    .then((rows) =>
      rows.map((r) => ({
        channel: r.channel,
        provider: r.provider,
        status: r.status,
        errorCode: r.error_code,
        createdAt: r.created_at,
        updatedAt: r.updated_at,
      })),
    );
}
