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
