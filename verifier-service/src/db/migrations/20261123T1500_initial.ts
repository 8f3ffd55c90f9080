// Frozen: never edit a migration that has landed; add a new one.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table tenants (
      id uuid primary key default gen_random_uuid(),
      slug text not null unique,
      name text not null,
      instance_url text not null unique,
      auth_type text not null check (auth_type in ('basic', 'oauth')),
      credentials_sealed text not null,
      launch_secret_sealed text not null,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    );

    create table verifications (
      id uuid primary key default gen_random_uuid(),
      public_id text not null unique,
      tenant_id uuid not null references tenants (id),
      state text not null check (state in ('sending', 'sent', 'in_progress', 'passed', 'failed', 'incomplete', 'timed_out', 'canceled')),
      ticket_table text not null,
      ticket_sys_id text not null,
      ticket_number text not null,
      ticket_subject text not null default '',
      ticket_category text not null default '',
      requester_sys_id text,
      requester_name text not null default '',
      requester_user_name text not null default '',
      agent_user_name text not null,
      agent_name text not null,
      channel text not null check (channel in ('email', 'sms')),
      destination_sealed text not null,
      destination_masked text not null,
      destination_hash bytea not null,
      destination_key text,
      destination_on_file boolean not null,
      outcome text check (outcome in ('passed', 'failed', 'incomplete', 'timed_out')),
      risk_level text check (risk_level in ('verified', 'medium', 'high')),
      risk_score integer,
      recommendation text,
      reasons jsonb not null default '[]',
      action text not null default 'none' check (action in ('none', 'password_reset', 'account_unlock', 'mfa_reset')),
      action_status text not null default 'not_started' check (action_status in ('not_started', 'completed', 'failed')),
      attention text,
      requester_session_hash bytea,
      sends integer not null default 0,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      started_at timestamptz,
      completed_at timestamptz,
      deadline_at timestamptz not null
    );
    create unique index verifications_one_active_per_ticket on verifications (tenant_id, ticket_table, ticket_sys_id)
      where state in ('sending', 'sent', 'in_progress');
    create index verifications_ticket on verifications (tenant_id, ticket_sys_id, created_at desc);
    create index verifications_agent_recent on verifications (tenant_id, agent_user_name, created_at desc);
    create index verifications_requester_session on verifications (requester_session_hash) where requester_session_hash is not null;
    create index verifications_destination_recent on verifications (tenant_id, destination_hash, created_at desc);

    create table verification_links (
      id uuid primary key default gen_random_uuid(),
      tenant_id uuid not null references tenants (id),
      verification_id uuid not null references verifications (id),
      token_hash bytea not null unique,
      expires_at timestamptz not null,
      opened_at timestamptz,
      used_at timestamptz,
      revoked_at timestamptz,
      created_at timestamptz not null default now()
    );
    create index verification_links_verification on verification_links (verification_id);

    create table deliveries (
      id uuid primary key default gen_random_uuid(),
      tenant_id uuid not null references tenants (id),
      verification_id uuid not null references verifications (id),
      link_id uuid references verification_links (id),
      channel text not null,
      provider text not null,
      provider_message_id text,
      status text not null check (status in ('queued', 'sent', 'delivered', 'failed', 'opened')),
      error_code text,
      error_message text,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    );
    create index deliveries_verification on deliveries (verification_id, created_at desc);
    create index deliveries_provider_message on deliveries (provider, provider_message_id);

    create table dev_messages (
      id uuid primary key default gen_random_uuid(),
      channel text not null,
      to_address text not null,
      subject text,
      text_body text not null,
      html_body text,
      link text,
      created_at timestamptz not null default now()
    );
    create index dev_messages_recent on dev_messages (created_at desc);

    create table launch_jtis (
      tenant_id uuid not null references tenants (id),
      jti text not null,
      expires_at timestamptz not null,
      primary key (tenant_id, jti)
    );

    create table agent_sessions (
      id_hash bytea primary key,
      tenant_id uuid not null references tenants (id),
      user_name text not null,
      name text not null,
      ticket_table text not null,
      ticket_sys_id text not null,
      ticket_number text not null,
      context_sealed text not null,
      created_at timestamptz not null default now(),
      expires_at timestamptz not null
    );

    create table writeback_events (
      id uuid primary key default gen_random_uuid(),
      tenant_id uuid not null references tenants (id),
      verification_id uuid not null references verifications (id),
      seq integer not null,
      kind text not null,
      fields jsonb not null,
      work_note text,
      status text not null default 'pending' check (status in ('pending', 'delivered', 'dead')),
      attempts integer not null default 0,
      last_error text,
      next_attempt_at timestamptz,
      delivered_at timestamptz,
      created_at timestamptz not null default now(),
      unique (verification_id, seq)
    );
    create index writeback_events_open on writeback_events (status, created_at) where status <> 'delivered';

    create table audit_events (
      id bigint generated always as identity primary key,
      tenant_id uuid references tenants (id),
      verification_id uuid references verifications (id),
      type text not null,
      actor text not null,
      data jsonb not null,
      created_at timestamptz not null,
      prev_hash bytea,
      hash bytea not null unique
    );
    create index audit_events_verification on audit_events (verification_id, id);

    create function audit_events_append_only() returns trigger language plpgsql as $$
    begin
      raise exception 'audit_events is append-only';
    end $$;
    create trigger audit_events_no_update before update or delete on audit_events
      for each row execute function audit_events_append_only();
    create trigger audit_events_no_truncate before truncate on audit_events
      for each statement execute function audit_events_append_only();
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    drop table audit_events, writeback_events, agent_sessions, launch_jtis, dev_messages, deliveries,
      verification_links, verifications, tenants cascade;
    drop function audit_events_append_only;
  `.execute(db);
}
