// Inputs of the identity-assurance context (issue 9) that nothing recorded in a queryable form before:
//
// - `verifications.client_ip`: the requester's address at Start (as Fastify resolved it per TRUST_PROXY,
//   normalised: IPv4-mapped IPv6 unwrapped). Until now it lived only inside the `verification.started` audit
//   event's JSON, which has no index; the "other requesters from the same IP lately" count needs one. Not
//   backfilled: the audit JSON is free text and a bad cast would fail the migration; the window is 30 days.
// - `verification_links.opened_ip` / `opened_user_agent`: who ran the landing page when its script reported the
//   open, compared with the starter's user agent for "opened on one device, started on another".
// - Indexes for the per-requester count and the same-IP lookup (the destination and agent ones exist).
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    alter table verifications add column client_ip inet;
    alter table verification_links add column opened_ip inet, add column opened_user_agent text;
    create index verifications_requester_recent on verifications (tenant_id, requester_sys_id, created_at desc)
      where requester_sys_id is not null;
    create index verifications_client_ip_recent on verifications (tenant_id, client_ip, started_at desc)
      where client_ip is not null;
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    drop index verifications_client_ip_recent;
    drop index verifications_requester_recent;
    alter table verification_links drop column opened_ip, drop column opened_user_agent;
    alter table verifications drop column client_ip;
  `.execute(db);
}
