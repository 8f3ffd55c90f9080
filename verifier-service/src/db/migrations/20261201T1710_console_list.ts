// Frozen: never edit a migration that has landed; add a new one.
//
// F8: the console's Verifications table (issue 11 §2).
// - `verifications.requester_email_sealed`: the requester's email on file when the verification was created, sealed
//   with the data key like every contact (S19); the table shows it opened. `requester_email_hash` (an HMAC of the
//   lower-cased address under the destination key) lets the search find an exact email without storing it.
// - `verifications.ticket_description`: the ticket's description when the verification was created (the details
//   page shows it without asking ServiceNow, so it shows even while the instance is down).
// - Indexes for the list's keyset paging (`created_at, id` within a tenant, both directions from one index) and its
//   filters: one per filter the table offers alone (state, risk level, category) and one for the three together;
//   exact lookups by ticket number and by the email's HMAC; and prefix search on the requester's name (`lower(...)
//   text_pattern_ops`: a b-tree answers `like 'abc%'`; pg_trgm would allow infix search but PGlite, the embedded
//   database, does not load it by default).
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    alter table verifications
      add column requester_email_sealed text not null default '',
      add column requester_email_hash bytea,
      add column ticket_description text not null default '';
    create index verifications_console_recent on verifications (tenant_id, created_at desc, id desc);
    create index verifications_console_state on verifications (tenant_id, state, created_at desc, id desc);
    create index verifications_console_risk on verifications (tenant_id, risk_level, created_at desc, id desc);
    create index verifications_console_category on verifications (tenant_id, ticket_category, created_at desc, id desc);
    create index verifications_console_combined
      on verifications (tenant_id, state, risk_level, ticket_category, created_at desc, id desc);
    create index verifications_console_ticket_number on verifications (tenant_id, ticket_number);
    create index verifications_console_requester_name
      on verifications (tenant_id, lower(requester_name) text_pattern_ops);
    create index verifications_console_requester_email on verifications (tenant_id, requester_email_hash);
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    drop index verifications_console_requester_email;
    drop index verifications_console_requester_name;
    drop index verifications_console_ticket_number;
    drop index verifications_console_combined;
    drop index verifications_console_category;
    drop index verifications_console_risk;
    drop index verifications_console_state;
    drop index verifications_console_recent;
    alter table verifications drop column ticket_description, drop column requester_email_hash,
      drop column requester_email_sealed;
  `.execute(db);
}
