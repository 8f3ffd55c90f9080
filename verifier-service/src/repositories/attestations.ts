// The manager's step-up attestations. Rows stay here: camelCase out, only the link token's hash stored.
import type { Kysely, Transaction } from 'kysely';
import type { AttestationRow, Database } from '../db/schema';

type Q = Kysely<Database> | Transaction<Database>;

export type AttestationStatus = 'pending' | 'approved' | 'denied' | 'timed_out';

export interface Attestation {
  id: string;
  tenantId: string;
  verificationId: string;
  managerSysId: string;
  managerName: string;
  channel: 'email' | 'sms';
  destinationSealed: string;
  destinationMasked: string;
  reasons: string[];
  status: AttestationStatus;
  fetchedAt: Date | null;
  decidedAt: Date | null;
  expiresAt: Date;
  createdAt: Date;
}

const fromRow = (r: AttestationRow): Attestation => ({
  id: r.id,
  tenantId: r.tenant_id,
  verificationId: r.verification_id,
  managerSysId: r.manager_sys_id,
  managerName: r.manager_name,
  channel: r.channel,
  destinationSealed: r.destination_sealed,
  destinationMasked: r.destination_masked,
  reasons: r.reasons,
  status: r.status,
  fetchedAt: r.fetched_at,
  decidedAt: r.decided_at,
  expiresAt: r.expires_at,
  createdAt: r.created_at,
});

export async function insertAttestation(
  db: Q,
  a: Pick<
    Attestation,
    | 'tenantId'
    | 'verificationId'
    | 'managerSysId'
    | 'managerName'
    | 'channel'
    | 'destinationSealed'
    | 'destinationMasked'
    | 'reasons'
    | 'expiresAt'
  > & { tokenHash: Buffer },
): Promise<Attestation> {
  const r = await db
    .insertInto('attestations')
    .values({
      tenant_id: a.tenantId,
      verification_id: a.verificationId,
      token_hash: a.tokenHash,
      manager_sys_id: a.managerSysId,
      manager_name: a.managerName,
      channel: a.channel,
      destination_sealed: a.destinationSealed,
      destination_masked: a.destinationMasked,
      reasons: JSON.stringify(a.reasons),
      expires_at: a.expiresAt,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return fromRow(r);
}

export async function findAttestationByHash(db: Q, tokenHash: Buffer): Promise<Attestation | null> {
  const r = await db
    .selectFrom('attestations')
    .selectAll()
    .where('token_hash', '=', tokenHash)
    .executeTakeFirst();
  return r ? fromRow(r) : null;
}

export async function pendingAttestation(db: Q, verificationId: string): Promise<Attestation | null> {
  const r = await db
    .selectFrom('attestations')
    .selectAll()
    .where('verification_id', '=', verificationId)
    .where('status', '=', 'pending')
    .orderBy('created_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  return r ? fromRow(r) : null;
}

export async function markAttestationFetched(db: Q, id: string, now: Date) {
  await db
    .updateTable('attestations')
    .set({ fetched_at: now })
    .where('id', '=', id)
    .where('fetched_at', 'is', null)
    .execute();
}

/**
 * Ends the verification's pending attestations (their links stop working): all of them when its time is up, or
 * only those nobody opened when a retried send replaces the link.
 */
export async function closePendingAttestations(
  db: Q,
  verificationId: string,
  now: Date,
  o: { onlyUnopened: boolean },
) {
  let q = db
    .updateTable('attestations')
    .set({ status: 'timed_out', decided_at: now })
    .where('verification_id', '=', verificationId)
    .where('status', '=', 'pending');
  if (o.onlyUnopened) q = q.where('fetched_at', 'is', null);
  await q.execute();
}

/** The manager's answer, once: one conditional UPDATE … RETURNING (S4). */
export async function answerAttestation(
  db: Q,
  tokenHash: Buffer,
  status: 'approved' | 'denied',
  now: Date,
): Promise<Attestation | null> {
  const r = await db
    .updateTable('attestations')
    .set({ status, decided_at: now })
    .where('token_hash', '=', tokenHash)
    .where('status', '=', 'pending')
    .where('expires_at', '>', now)
    .returningAll()
    .executeTakeFirst();
  return r ? fromRow(r) : null;
}
