// Frozen: never edit a migration that has landed; add a new one.
//
// F7: verifications started without an agent. The self-service page and the API create the ticket themselves.
// - `verifications.initiated_by`: who started it ('agent', 'self_service', 'api'); the risk engine and the console
//   read it.
// - `verifications.api_key_id`: the API key that started it (its webhook is told when it finishes).
// - `api_keys`: per-tenant keys for IVR and other systems. Only a SHA-256 of the key is stored (a key has 256 bits
//   of randomness, so a slow hash adds nothing); `prefix` is the part shown to admins to tell keys apart. The
//   webhook's signing secret is sealed with the data key (it must be read to sign).
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table api_keys (
      id uuid primary key default gen_random_uuid(),
      tenant_id uuid not null references tenants (id),
      name text not null,
      prefix text not null,
      key_hash bytea not null unique,
      scopes text[] not null,
      webhook_url text,
      webhook_secret_sealed text,
      created_at timestamptz not null default now(),
      last_used_at timestamptz,
      revoked_at timestamptz,
      constraint api_keys_webhook check ((webhook_url is null) = (webhook_secret_sealed is null))
    );
    create index api_keys_tenant on api_keys (tenant_id, created_at desc);
    alter table verifications
      add column initiated_by text not null default 'agent'
        constraint verifications_initiated_by check (initiated_by in ('agent', 'self_service', 'api')),
      add column api_key_id uuid references api_keys (id);
    create index verifications_direct_recent on verifications (tenant_id, requester_sys_id, created_at desc)
      where initiated_by <> 'agent';
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    alter table verifications drop column api_key_id, drop column initiated_by;
    drop table api_keys;
  `.execute(db);
}
