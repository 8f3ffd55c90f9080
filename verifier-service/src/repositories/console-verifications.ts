// The console's Verifications table (F8): filtered, searched lists in keyset pages, a capped count, and the CSV's
// batches. Every query is scoped to one tenant (SECURITY.md S18): the tenant is a required part of the filter, never
// optional. Paging is by keyset on (created_at, id) — never OFFSET — so page 500 costs what page 1 costs and rows
// inserted meanwhile never shift a page. The key carries created_at as UTC text with microseconds (what PostgreSQL
// stores; a JS Date would drop the microseconds and skip rows that share a millisecond).
import {
  sql,
  type Expression,
  type ExpressionBuilder,
  type Kysely,
  type SqlBool,
  type Transaction,
} from 'kysely';
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

/** `like` pattern for "starts with", the wildcards in the input taken literally. */
const startsWith = (s: string) => `${s.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

function where(f: ConsoleListFilter) {
  return (eb: ExpressionBuilder<Database, 'verifications'>): Expression<SqlBool> => {
    const and: Expression<SqlBool>[] = [eb('tenant_id', '=', f.tenantId)];
    if (f.state) and.push(eb('state', '=', f.state));
    if (f.riskLevel) and.push(eb('risk_level', '=', f.riskLevel));
    if (f.category !== undefined) and.push(eb('ticket_category', '=', f.category));
    if (f.agentUserName !== undefined) and.push(eb('agent_user_name', '=', f.agentUserName));
    if (f.initiatedBy) and.push(eb('initiated_by', '=', f.initiatedBy));
    if (f.createdFrom) and.push(eb('created_at', '>=', f.createdFrom));
    if (f.createdTo) and.push(eb('created_at', f.createdTo.inclusive ? '<=' : '<', f.createdTo.at));
    const s = f.search;
    if (s?.kind === 'ticket') and.push(eb('ticket_number', '=', s.value));
    else if (s?.kind === 'publicId') and.push(eb('public_id', '=', s.value));
    else if (s?.kind === 'email') and.push(eb('requester_email_hash', '=', s.hash));
    else if (s?.kind === 'prefix') {
      // Spelled as the index is (lower(...) text_pattern_ops), so the planner can use it.
      and.push(sql<SqlBool>`lower(requester_name) like ${startsWith(s.value)}`);
    }
    return eb.and(and);
  };
}

const KEY_TEXT = sql<string>`to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US')`;
const keyTimestamp = (k: ConsoleKeyset) => sql`(${k.createdAt}::timestamp at time zone 'UTC')`;

export async function listConsoleVerifications(
  db: Q,
  filter: ConsoleListFilter,
  page: { sort: 'newest' | 'oldest'; after?: ConsoleKeyset; limit: number },
): Promise<{ rows: ConsoleListRow[]; next: ConsoleKeyset | null }> {
  const desc = page.sort === 'newest';
  let q = db
    .selectFrom('verifications')
    .select([
      'id',
      'public_id',
      'ticket_number',
      'ticket_subject',
      'requester_name',
      'requester_email_sealed',
      'risk_level',
      'state',
      'ticket_category',
      'initiated_by',
      'agent_name',
      'agent_user_name',
      'created_at',
      'completed_at',
      KEY_TEXT.as('key_created_at'),
    ])
    .where(where(filter));
  if (page.after) {
    const after = page.after;
    q = q.where(
      desc
        ? sql<SqlBool>`(created_at, id) < (${keyTimestamp(after)}, ${after.id}::uuid)`
        : sql<SqlBool>`(created_at, id) > (${keyTimestamp(after)}, ${after.id}::uuid)`,
    );
  }
  const rows = await q
    .orderBy('created_at', desc ? 'desc' : 'asc')
    .orderBy('id', desc ? 'desc' : 'asc')
    .limit(page.limit + 1)
    .execute();
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

/** How many rows match, counting at most `cap + 1` (so the caller can say "cap+"). */
export async function countConsoleVerifications(
  db: Q,
  filter: ConsoleListFilter,
  cap: number,
): Promise<number> {
  const r = await db
    .selectFrom((qb) =>
      qb
        .selectFrom('verifications')
        .select(sql`1`.as('one'))
        .where(where(filter))
        .limit(cap + 1)
        .as('m'),
    )
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
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
