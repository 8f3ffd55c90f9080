import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema';

type Q = Kysely<Database> | Transaction<Database>;

export function upsertTenant(
  db: Q,
  row: {
    slug: string;
    name: string;
    instance_url: string;
    auth_type: 'basic' | 'oauth';
    credentials_sealed: string;
    launch_secret_sealed: string;
  },
) {
  return db
    .insertInto('tenants')
    .values(row)
    .onConflict((oc) =>
      oc.column('slug').doUpdateSet({
        name: row.name,
        instance_url: row.instance_url,
        auth_type: row.auth_type,
        credentials_sealed: row.credentials_sealed,
        launch_secret_sealed: row.launch_secret_sealed,
        updated_at: new Date(),
      }),
    )
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function listTenants(db: Q) {
  return db.selectFrom('tenants').selectAll().execute();
}

export function findTenantRow(db: Q, id: string) {
  return db.selectFrom('tenants').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Each tenant's `credentials_changed_at` (cheap: a replica compares them with what its registry loaded). */
export function listCredentialStamps(db: Q) {
  return db.selectFrom('tenants').select(['id', 'credentials_changed_at']).execute();
}

/**
 * Sets (a sealed value) or clears (null) the console's credentials of a tenant and stamps who and when. Never
 * touches the configured credentials (`credentials_sealed`), which the boot writes.
 */
export function setConsoleCredentials(
  db: Q,
  id: string,
  change: { sealed: string | null; by: string; at: Date },
) {
  return db
    .updateTable('tenants')
    .set({
      console_credentials_sealed: change.sealed,
      credentials_changed_by: change.by,
      credentials_changed_at: change.at,
    })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
}

/** The tenant's write-back outbox at a glance: events still to deliver, and those dead-lettered. */
export async function writebackBacklog(db: Q, tenantId: string): Promise<{ pending: number; dead: number }> {
  const rows = await db
    .selectFrom('writeback_events')
    .select(['status', (eb) => eb.fn.countAll<string>().as('n')])
    .where('tenant_id', '=', tenantId)
    .where('status', 'in', ['pending', 'dead'])
    .groupBy('status')
    .execute();
  const count = (s: string) => Number(rows.find((r) => r.status === s)?.n ?? 0);
  return { pending: count('pending'), dead: count('dead') };
}
