// History queries for the identity-assurance context (issue 9): how often lately a requester, a destination and an
// agent were verified, whether the destination verified someone else, and who else started from the same address.
// Every query is scoped to one tenant (S18: another tenant's rows never count), leaves the verification being
// decided out (it is not its own history), and is one query on an index of `verifications`:
//   requester   → verifications_requester_recent   (tenant_id, requester_sys_id, created_at desc)
//   destination → verifications_destination_recent (tenant_id, destination_hash, created_at desc)
//   agent       → verifications_agent_recent       (tenant_id, agent_user_name, created_at desc)
//   client IP   → verifications_client_ip_recent   (tenant_id, client_ip, started_at desc)
// Windows count from `created_at` (when the link was sent), the same-IP one from `started_at` (when the address
// was seen).
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../db/schema';
import { normaliseIp } from '../signals/network';

type Q = Kysely<Database> | Transaction<Database>;

export const DEFAULT_HISTORY_WINDOW_DAYS = 30;

/** Who a verification was for: the ServiceNow sys_id when known, else the user name (never empty for a match). */
export interface RequesterIdentity {
  sysId: string | null;
  userName: string;
}

export interface HistoryScope {
  tenantId: string;
  /** The verification being decided: never counted */
  excludeId: string;
  since: Date;
}

export const windowStart = (now: Date, days = DEFAULT_HISTORY_WINDOW_DAYS) =>
  new Date(now.getTime() - days * 86_400_000);

const count = (row: { n: string | number | bigint } | undefined) => Number(row?.n ?? 0);

/** Other verifications lately for this requester (by sys_id; 0 when the requester has none). */
export async function countRecentForRequester(db: Q, s: HistoryScope, requesterSysId: string | null) {
  if (!requesterSysId) return 0;
  const row = await db
    .selectFrom('verifications')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('tenant_id', '=', s.tenantId)
    .where('requester_sys_id', '=', requesterSysId)
    .where('created_at', '>=', s.since)
    .where('id', '!=', s.excludeId)
    .executeTakeFirst();
  return count(row);
}

/** Other verifications lately to this destination (its HMAC, keyed by recipient: `victim+1@…` is `victim@…`). */
export async function countRecentForDestination(db: Q, s: HistoryScope, destinationHash: Buffer) {
  const row = await db
    .selectFrom('verifications')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('tenant_id', '=', s.tenantId)
    .where('destination_hash', '=', destinationHash)
    .where('created_at', '>=', s.since)
    .where('id', '!=', s.excludeId)
    .executeTakeFirst();
  return count(row);
}

/** Other verifications lately sent by this agent. */
export async function countRecentByAgent(db: Q, s: HistoryScope, agentUserName: string) {
  const row = await db
    .selectFrom('verifications')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('tenant_id', '=', s.tenantId)
    .where('agent_user_name', '=', agentUserName)
    .where('created_at', '>=', s.since)
    .where('id', '!=', s.excludeId)
    .executeTakeFirst();
  return count(row);
}

/**
 * Was this destination used lately for a different requester? Any verification counts (sent, whatever its
 * outcome): an attacker's own phone shows up across the people they impersonate, passed or not. A requester is
 * told apart by sys_id; rows (or a current verification) without one fall back to the user name, and rows with
 * neither never match (nor does anything when the current verification has neither).
 */
export async function destinationUsedForOtherRequester(
  db: Q,
  s: HistoryScope,
  destinationHash: Buffer,
  requester: RequesterIdentity,
): Promise<boolean> {
  const row = await db
    .selectFrom('verifications')
    .select('id')
    .where('tenant_id', '=', s.tenantId)
    .where('destination_hash', '=', destinationHash)
    .where('created_at', '>=', s.since)
    .where('id', '!=', s.excludeId)
    .where((eb) => {
      // By user name only for rows without a sys_id, and only when the current requester's name is known.
      const byUserName = requester.userName
        ? eb.and([
            eb('requester_user_name', '!=', ''),
            eb('requester_user_name', '!=', requester.userName),
            ...(requester.sysId ? [eb('requester_sys_id', 'is', null)] : []),
          ])
        : null;
      const bySysId = requester.sysId
        ? eb.and([eb('requester_sys_id', 'is not', null), eb('requester_sys_id', '!=', requester.sysId)])
        : null;
      const either = [bySysId, byUserName].filter((x) => x !== null);
      return either.length ? eb.or(either) : eb.val(false);
    })
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * How many other requesters started a verification from this address lately (distinct sys_ids, or user names for
 * rows without one). 0 when the address cannot be read.
 */
export async function countOtherRequestersFromIp(
  db: Q,
  s: HistoryScope,
  ip: string,
  requester: RequesterIdentity,
): Promise<number> {
  const n = normaliseIp(ip);
  if (!n) return 0;
  const who = sql<string>`coalesce(requester_sys_id, 'user:' || nullif(requester_user_name, ''))`;
  const self = requester.sysId ?? (requester.userName ? `user:${requester.userName}` : null);
  const row = await db
    .selectFrom('verifications')
    .select(sql<string>`count(distinct ${who})`.as('n'))
    .where('tenant_id', '=', s.tenantId)
    .where('client_ip', '=', n.ip)
    .where('started_at', '>=', s.since)
    .where('id', '!=', s.excludeId)
    .where(sql<boolean>`${who} is distinct from ${self}`)
    .executeTakeFirst();
  return count(row);
}

// ── what Start and the open record (the flow calls these; the builder reads them back) ─────────────────────

/** Records the requester's address at Start (normalised; null when unreadable). */
export async function recordStartClientIp(db: Q, verificationId: string, ip: string) {
  await db
    .updateTable('verifications')
    .set({ client_ip: normaliseIp(ip)?.ip ?? null })
    .where('id', '=', verificationId)
    .execute();
}

/** Records who reported the open of a link (its page's script): address and user agent, first report only. */
export async function recordLinkOpenedDevice(db: Q, linkId: string, ip: string, userAgent: string) {
  await db
    .updateTable('verification_links')
    .set({ opened_ip: normaliseIp(ip)?.ip ?? null, opened_user_agent: userAgent.slice(0, 512) || null })
    .where('id', '=', linkId)
    .where('opened_ip', 'is', null)
    .where('opened_user_agent', 'is', null)
    .execute();
}

export interface OpenedLink {
  linkId: string;
  openedAt: Date;
  openedIp: string | null;
  openedUserAgent: string | null;
  /** When the delivery carrying this link was queued (null when none carries it) */
  sentAt: Date | null;
}

/** The verification's most recently opened link, with who opened it and when its delivery was queued. */
export async function latestOpenedLink(db: Q, verificationId: string): Promise<OpenedLink | null> {
  const row = await db
    .selectFrom('verification_links as l')
    .leftJoin('deliveries as d', 'd.link_id', 'l.id')
    .select(['l.id', 'l.opened_at', 'l.opened_ip', 'l.opened_user_agent', 'd.created_at as sent_at'])
    .where('l.verification_id', '=', verificationId)
    .where('l.opened_at', 'is not', null)
    .orderBy('l.opened_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!row || !row.opened_at) return null;
  return {
    linkId: row.id,
    openedAt: row.opened_at,
    openedIp: row.opened_ip,
    openedUserAgent: row.opened_user_agent,
    sentAt: row.sent_at ?? null,
  };
}
