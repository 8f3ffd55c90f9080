import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../db/schema';
import { auditHash, type AuditContent } from '../domain/audit-chain';

type Q = Kysely<Database> | Transaction<Database>;
const CHAIN_LOCK = 7_320_001; // advisory lock that serialises appends to the one chain

type NewAuditEvent = Omit<AuditContent, 'createdAt'> & { createdAt?: Date };

/**
 * Appends events to the chain. Must run inside a transaction, and should be its LAST statement: the chain's
 * lock is transaction-scoped, so everything after it (and the commit) runs while every other writer waits.
 */
export async function appendAuditEvents(trx: Transaction<Database>, events: NewAuditEvent[]) {
  if (!events.length) return;
  await sql`select pg_advisory_xact_lock(${CHAIN_LOCK})`.execute(trx);
  const last = await trx
    .selectFrom('audit_events')
    .select('hash')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  let prev = last?.hash ?? null;
  const rows = events.map((e) => {
    const content: AuditContent = { ...e, createdAt: e.createdAt ?? new Date() };
    const hash = auditHash(prev, content);
    const row = {
      tenant_id: content.tenantId,
      verification_id: content.verificationId,
      type: content.type,
      actor: content.actor,
      data: JSON.stringify(content.data),
      created_at: content.createdAt,
      prev_hash: prev,
      hash,
    };
    prev = hash;
    return row;
  });
  await trx.insertInto('audit_events').values(rows).execute();
}

export const appendAuditEvent = (trx: Transaction<Database>, e: NewAuditEvent) => appendAuditEvents(trx, [e]);

export async function* readAuditChain(db: Q, batch = 1000) {
  let after = '0';
  for (;;) {
    const rows = await db
      .selectFrom('audit_events')
      .selectAll()
      .where('id', '>', after)
      .orderBy('id')
      .limit(batch)
      .execute();
    for (const r of rows) {
      yield {
        id: String(r.id),
        tenantId: r.tenant_id,
        verificationId: r.verification_id,
        type: r.type,
        actor: r.actor,
        data: r.data as unknown as Record<string, unknown>,
        createdAt: r.created_at,
        prevHash: r.prev_hash,
        hash: r.hash,
      };
    }
    if (rows.length < batch) return;
    after = String(rows[rows.length - 1]!.id);
  }
}

export function listAuditEvents(db: Q, verificationId: string) {
  return db
    .selectFrom('audit_events')
    .select(['id', 'type', 'actor', 'data', 'created_at'])
    .where('verification_id', '=', verificationId)
    .orderBy('id')
    .execute();
}
