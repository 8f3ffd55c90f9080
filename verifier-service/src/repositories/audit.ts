import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../db/schema';
import { auditHash, type AuditContent } from '../domain/audit-chain';

type Q = Kysely<Database> | Transaction<Database>;
const CHAIN_LOCK = 7_320_001; // advisory lock that serialises appends to the one chain

/** Appends an event to the chain. Must run inside a transaction (the lock is transaction-scoped). */
export async function appendAuditEvent(trx: Transaction<Database>, e: Omit<AuditContent, 'createdAt'> & { createdAt?: Date }) {
  await sql`select pg_advisory_xact_lock(${CHAIN_LOCK})`.execute(trx);
  const last = await trx.selectFrom('audit_events').select('hash').orderBy('id', 'desc').limit(1).executeTakeFirst();
  const content: AuditContent = { ...e, createdAt: e.createdAt ?? new Date() };
  const prev = last?.hash ?? null;
  await trx
    .insertInto('audit_events')
    .values({
      tenant_id: content.tenantId,
      verification_id: content.verificationId,
      type: content.type,
      actor: content.actor,
      data: JSON.stringify(content.data),
      created_at: content.createdAt,
      prev_hash: prev,
      hash: auditHash(prev, content),
    })
    .execute();
}

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
  return db.selectFrom('audit_events').select(['id', 'type', 'actor', 'data', 'created_at']).where('verification_id', '=', verificationId).orderBy('id').execute();
}
