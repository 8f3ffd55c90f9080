// Frozen: never edit a migration that has landed; add a new one.
//
// F8: the console's own accounts and sessions (S18).
// - `console_users`: per-tenant accounts. `username` is unique per tenant whatever its case; `password_hash` is an
//   Argon2id PHC string (null for SSO users, who have `sso_subject` instead); the TOTP secret is sealed with the data
//   key; `totp_last_counter` is the last accepted 30-second step (a code is never accepted twice); `failed_logins` and
//   `locked_until` throttle guessing (S16).
// - `console_sessions`: only a SHA-256 of the session id is stored; `last_seen_at` drives the idle timeout,
//   `expires_at` is the absolute end.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table console_users (
      id uuid primary key default gen_random_uuid(),
      tenant_id uuid not null references tenants (id),
      username text not null,
      name text not null,
      password_hash text,
      totp_secret_sealed text,
      totp_last_counter bigint,
      roles text[] not null
        constraint console_users_roles check (
          cardinality(roles) > 0 and roles <@ array['admin', 'operator', 'auditor']::text[]
        ),
      sso_subject text,
      failed_logins integer not null default 0,
      locked_until timestamptz,
      last_login_at timestamptz,
      created_at timestamptz not null default now(),
      disabled_at timestamptz,
      constraint console_users_credential check (password_hash is not null or sso_subject is not null)
    );
    create unique index console_users_username on console_users (tenant_id, lower(username));
    create unique index console_users_sso_subject on console_users (tenant_id, sso_subject)
      where sso_subject is not null;
    create table console_sessions (
      id_hash bytea primary key,
      user_id uuid not null references console_users (id) on delete cascade,
      tenant_id uuid not null references tenants (id),
      via text not null constraint console_sessions_via check (via in ('password', 'sso')),
      created_at timestamptz not null default now(),
      last_seen_at timestamptz not null,
      expires_at timestamptz not null
    );
    create index console_sessions_user on console_sessions (user_id);
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    drop table console_sessions;
    drop table console_users;
  `.execute(db);
}
