// Frozen: never edit a migration that has landed; add a new one.
//
// The identity-assurance flow (issue 9): a verification now waits between requests — for the requester's answers
// (the challenge step) and for the manager's attestation (the step-up) — so the step is stored, and so is what
// the steps need:
// - `verifications.step`: the sub-step of `in_progress` ('challenge', 'step_up'); null outside them.
// - `verifications.risk_context`: the silent checks taken at Start (network, device, behaviour, context) as the
//   risk engine reads them, so the decision after the last answer uses the same inputs.
// - `verifications.report`: the analysis report (per category: signals, weights, explanations) for the console.
// - `verifications.transcript_sealed`: the challenge transcript, encrypted like destinations.
// - `verifications.call_code_sealed`: the number-matching code the agent reads to the caller.
// - `verifications.risk_score` becomes real: the engine's score has one decimal.
// - `verification_challenges`: the questions (sealed: they hold the right answers), the answers so far, and the
//   submission counter that is incremented before an answer is checked (S5).
// - `account_failures`: consecutive failed verifications per account, across links (S5: at most 100).
// - `attestations`: the manager's step-up, a single-use link of its own.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    alter table verifications
      add column step text check (step in ('challenge', 'step_up')),
      add column risk_context jsonb,
      add column report jsonb,
      add column transcript_sealed text,
      add column call_code_sealed text,
      alter column risk_score type real;

    create table verification_challenges (
      verification_id uuid primary key references verifications (id) on delete cascade,
      tenant_id uuid not null references tenants (id),
      questions_sealed text not null,
      answers jsonb not null default '[]',
      position integer not null default 0,
      submissions integer not null default 0,
      max_submissions integer not null,
      shown_at timestamptz,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    );

    create table account_failures (
      tenant_id uuid not null references tenants (id),
      account_key text not null,
      consecutive integer not null default 0,
      updated_at timestamptz not null default now(),
      primary key (tenant_id, account_key)
    );

    create table attestations (
      id uuid primary key default gen_random_uuid(),
      tenant_id uuid not null references tenants (id),
      verification_id uuid not null references verifications (id) on delete cascade,
      token_hash bytea not null unique,
      manager_sys_id text not null,
      manager_name text not null,
      channel text not null check (channel in ('email', 'sms')),
      destination_sealed text not null,
      destination_masked text not null,
      reasons jsonb not null default '[]',
      status text not null default 'pending' check (status in ('pending', 'approved', 'denied', 'timed_out')),
      fetched_at timestamptz,
      decided_at timestamptz,
      expires_at timestamptz not null,
      created_at timestamptz not null default now()
    );
    create index attestations_verification on attestations (verification_id);
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    drop table attestations;
    drop table account_failures;
    drop table verification_challenges;
    alter table verifications
      drop column step,
      drop column risk_context,
      drop column report,
      drop column transcript_sealed,
      drop column call_code_sealed,
      alter column risk_score type integer using round(risk_score);
  `.execute(db);
}
