// Launch-token replay protection and agent sessions.
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema';

type Q = Kysely<Database> | Transaction<Database>;

/** Records a jti; false when it was already used (S6 replay). */
export async function recordJti(db: Q, tenantId: string, jti: string, expiresAt: Date): Promise<boolean> {
  const res = await db
    .insertInto('launch_jtis')
    .values({ tenant_id: tenantId, jti, expires_at: expiresAt })
    .onConflict((oc) => oc.doNothing())
    .executeTakeFirst();
  return Number(res.numInsertedOrUpdatedRows ?? 0) === 1;
}

export function insertAgentSession(
  db: Q,
  row: {
    id_hash: Buffer;
    tenant_id: string;
    user_name: string;
    name: string;
    ticket_table: string;
    ticket_sys_id: string;
    ticket_number: string;
    context_sealed: string;
    expires_at: Date;
  },
) {
  return db.insertInto('agent_sessions').values(row).execute();
}

export function findAgentSession(db: Q, idHash: Buffer, now: Date) {
  return db
    .selectFrom('agent_sessions')
    .selectAll()
    .where('id_hash', '=', idHash)
    .where('expires_at', '>', now)
    .executeTakeFirst();
}

export function updateSessionContext(db: Q, idHash: Buffer, contextSealed: string) {
  return db
    .updateTable('agent_sessions')
    .set({ context_sealed: contextSealed })
    .where('id_hash', '=', idHash)
    .execute();
}
