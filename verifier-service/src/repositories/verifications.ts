// Verifications, their links and their deliveries.
import type { Kysely, Transaction } from 'kysely';
import type { VerificationState } from '@imper/shared';
import type { Database, NewVerification } from '../db/schema';

type Q = Kysely<Database> | Transaction<Database>;

export function insertVerification(db: Q, row: NewVerification) {
  return db.insertInto('verifications').values(row).returningAll().executeTakeFirstOrThrow();
}

export function findVerificationByPublicId(db: Q, tenantId: string, publicId: string) {
  return db
    .selectFrom('verifications')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('public_id', '=', publicId)
    .executeTakeFirst();
}

export function findVerificationById(db: Q, id: string) {
  return db.selectFrom('verifications').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The newest verification for a ticket (active or finished). */
export function findLatestForTicket(db: Q, tenantId: string, table: string, sysId: string) {
  return db
    .selectFrom('verifications')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('ticket_table', '=', table)
    .where('ticket_sys_id', '=', sysId)
    .orderBy('created_at', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/**
 * Moves a verification to `to` only if it is still in one of `from` (optimistic, race-free); returns the
 * updated row or undefined when another request got there first.
 */
export function transitionVerification(
  db: Q,
  id: string,
  from: VerificationState[],
  to: VerificationState,
  set: Partial<{
    outcome: string;
    risk_level: string;
    risk_score: number;
    recommendation: string;
    reasons: string;
    attention: string | null;
    started_at: Date;
    completed_at: Date;
    requester_session_hash: Buffer;
    sends: number;
    deadline_at: Date;
  }> = {},
  now = new Date(),
) {
  return db
    .updateTable('verifications')
    .set({ ...set, state: to, updated_at: now })
    .where('id', '=', id)
    .where('state', 'in', from)
    .returningAll()
    .executeTakeFirst();
}

export function setAttention(db: Q, id: string, attention: string | null, now = new Date()) {
  return db.updateTable('verifications').set({ attention, updated_at: now }).where('id', '=', id).execute();
}

export async function countRecentSends(
  db: Q,
  tenantId: string,
  by: { agent?: string; destinationHash?: Buffer },
  since: Date,
) {
  let q = db
    .selectFrom('deliveries')
    .innerJoin('verifications', 'verifications.id', 'deliveries.verification_id')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('deliveries.tenant_id', '=', tenantId)
    .where('deliveries.created_at', '>=', since);
  if (by.agent) q = q.where('verifications.agent_user_name', '=', by.agent);
  if (by.destinationHash) q = q.where('verifications.destination_hash', '=', by.destinationHash);
  const row = await q.executeTakeFirstOrThrow();
  return Number(row.n);
}

// ── links ──────────────────────────────────────────────────────────────────────────────────────────────

export function insertLink(
  db: Q,
  row: { tenant_id: string; verification_id: string; token_hash: Buffer; expires_at: Date },
) {
  return db.insertInto('verification_links').values(row).returningAll().executeTakeFirstOrThrow();
}

export function findLinkByHash(db: Q, tokenHash: Buffer) {
  return db
    .selectFrom('verification_links')
    .selectAll()
    .where('token_hash', '=', tokenHash)
    .executeTakeFirst();
}

/** Records the first GET/HEAD of a link; returns the row only for the request that recorded it. */
export function markLinkFetched(db: Q, id: string, now: Date) {
  return db
    .updateTable('verification_links')
    .set({ fetched_at: now })
    .where('id', '=', id)
    .where('fetched_at', 'is', null)
    .returning('id')
    .executeTakeFirst();
}

/** Records the first open by a browser that ran the page; returns the row only for the request that recorded it. */
export function markLinkOpened(db: Q, id: string, now: Date) {
  return db
    .updateTable('verification_links')
    .set({ opened_at: now })
    .where('id', '=', id)
    .where('opened_at', 'is', null)
    .returning('id')
    .executeTakeFirst();
}

/** Single use, atomically (S4): exactly one caller gets the row back. */
export function consumeLink(db: Q, tokenHash: Buffer, now: Date) {
  return db
    .updateTable('verification_links')
    .set({ used_at: now })
    .where('token_hash', '=', tokenHash)
    .where('used_at', 'is', null)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', now)
    .returningAll()
    .executeTakeFirst();
}

export function revokeLinks(db: Q, verificationId: string, now: Date) {
  return db
    .updateTable('verification_links')
    .set({ revoked_at: now })
    .where('verification_id', '=', verificationId)
    .where('used_at', 'is', null)
    .where('revoked_at', 'is', null)
    .execute();
}

// ── deliveries ─────────────────────────────────────────────────────────────────────────────────────────

export function insertDelivery(
  db: Q,
  row: { tenant_id: string; verification_id: string; channel: string; provider: string },
) {
  return db
    .insertInto('deliveries')
    .values({ ...row, status: 'queued' })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function findDelivery(db: Q, id: string) {
  return db.selectFrom('deliveries').selectAll().where('id', '=', id).executeTakeFirst();
}

export function latestDelivery(db: Q, verificationId: string) {
  return db
    .selectFrom('deliveries')
    .selectAll()
    .where('verification_id', '=', verificationId)
    .orderBy('created_at', 'desc')
    .limit(1)
    .executeTakeFirst();
}

export function findDeliveryByProviderId(db: Q, provider: string, providerMessageId: string) {
  return db
    .selectFrom('deliveries')
    .selectAll()
    .where('provider', '=', provider)
    .where('provider_message_id', '=', providerMessageId)
    .executeTakeFirst();
}

const DELIVERY_RANK: Record<string, number> = { queued: 0, sent: 1, delivered: 2, opened: 3, failed: 4 };

/** Applies a status only if it moves the delivery forward (providers' callbacks arrive out of order). */
export function updateDeliveryStatus(
  db: Q,
  id: string,
  status: string,
  extra: { provider_message_id?: string; error_code?: string | null; error_message?: string | null } = {},
  now = new Date(),
) {
  const lower = Object.entries(DELIVERY_RANK)
    .filter(([, r]) => r < (DELIVERY_RANK[status] ?? 0))
    .map(([s]) => s);
  let q = db
    .updateTable('deliveries')
    .set({ status, ...extra, updated_at: now })
    .where('id', '=', id);
  q =
    status === 'failed'
      ? q.where('status', 'in', ['queued', 'sent'])
      : q.where('status', 'in', lower.length ? lower : ['__none__']);
  return q.returningAll().executeTakeFirst();
}
