// Frozen: never edit a migration that has landed; add a new one.
//
// S11 (NIST SP 800-63B-4 4.6): after a reset or an unlock every contact on file is told, with a "This wasn't me"
// link. The link's token is stored hashed (S1) and works once; using it flags the verification for security.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table action_reports (
      id uuid primary key default gen_random_uuid(),
      tenant_id uuid not null references tenants (id),
      verification_id uuid not null references verifications (id) on delete cascade,
      token_hash bytea not null unique,
      expires_at timestamptz not null,
      used_at timestamptz,
      created_at timestamptz not null default now()
    );
    create index action_reports_verification on action_reports (verification_id);
    alter table verifications add column flagged_at timestamptz;
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    drop table action_reports;
    alter table verifications drop column flagged_at;
  `.execute(db);
}
