// Frozen: never edit a migration that has landed; add a new one.
//
// F8 §6: the ServiceNow credentials an admin sets in the console (Settings → ServiceNow connection).
// - `tenants.console_credentials_sealed`: the console's credentials (`{"type":"basic",username,password}` or
//   `{"type":"oauth",clientId,clientSecret}` as JSON), sealed with the data key like the configured ones (S19). Null:
//   the tenant uses its configured credentials (`credentials_sealed`, which the boot keeps writing from TENANTS and
//   never writes here).
// - `credentials_changed_by` / `credentials_changed_at`: the console user (`console:<username>`) and time of the last
//   change made in the console, a reset to the configured credentials included. Every replica compares
//   `credentials_changed_at` with the value its registry loaded to pick up a change made elsewhere.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    alter table tenants
      add column console_credentials_sealed text,
      add column credentials_changed_by text,
      add column credentials_changed_at timestamptz,
      add constraint tenants_credentials_changed check (
        (credentials_changed_by is null) = (credentials_changed_at is null)
      );
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    alter table tenants
      drop constraint tenants_credentials_changed,
      drop column credentials_changed_at,
      drop column credentials_changed_by,
      drop column console_credentials_sealed;
  `.execute(db);
}
