// Whether a tenant's ServiceNow instance is considered down (issue 8, R4). In the database, so that every replica
// sees it: a row exists from the first failure that says "unavailable" until a probe or a write-back gets an answer.
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../db/schema';

type Q = Kysely<Database> | Transaction<Database>;

/** Marks the instance down (keeping the first `down_since`); true when it was not marked before. */
export async function markInstanceDown(db: Q, tenantId: string, now: Date, error: string): Promise<boolean> {
  const row = await db
    .insertInto('servicenow_instance_health')
    .values({ tenant_id: tenantId, down_since: now, last_error: error.slice(0, 500) })
    .onConflict((oc) => oc.column('tenant_id').doUpdateSet({ last_error: error.slice(0, 500) }))
    .returning(sql<boolean>`xmax = 0`.as('inserted'))
    .executeTakeFirstOrThrow();
  return row.inserted;
}

export function findInstanceHealth(db: Q, tenantId: string) {
  return db
    .selectFrom('servicenow_instance_health')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .executeTakeFirst();
}

export function recordFailedProbe(db: Q, tenantId: string, now: Date, error: string) {
  return db
    .updateTable('servicenow_instance_health')
    .set((eb) => ({ last_probe_at: now, last_error: error.slice(0, 500), probes: eb('probes', '+', 1) }))
    .where('tenant_id', '=', tenantId)
    .execute();
}

/** Clears the mark; the row that was there (the instance was down), or undefined. */
export function markInstanceUp(db: Q, tenantId: string) {
  return db
    .deleteFrom('servicenow_instance_health')
    .where('tenant_id', '=', tenantId)
    .returningAll()
    .executeTakeFirst();
}
