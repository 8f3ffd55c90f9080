// Frozen: never edit a migration that has landed; add a new one.
//
// F8 §6: the console's "Failed ticket updates" and "Providers" settings pages.
// - `writeback_events.dead_at`: when the event was dead-lettered (null unless `status = 'dead'`; a re-drive clears
//   it). The page lists a tenant's dead letters newest first, keyset-paged on (dead_at, id) from one partial index.
//   Existing dead events take the time of their last `ticket.update_dead` audit event, else their last re-drive or
//   creation.
// - `deliveries_tenant_recent`: a tenant's deliveries by creation time, carrying the columns the per-channel figures
//   count (channel, status, error code, last update), so the last 24 hours and 7 days are one index range scan
//   (index-only once vacuumed) however many rows the table holds; the dashboard's delivery figures use it too.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    alter table writeback_events add column dead_at timestamptz;
    update writeback_events e
       set dead_at = coalesce(
             (select max(a.created_at) from audit_events a
               where a.verification_id = e.verification_id
                 and a.type = 'ticket.update_dead'
                 and a.data ->> 'seq' = e.seq::text),
             e.redriven_at,
             e.created_at)
     where e.status = 'dead';
    create index writeback_events_tenant_dead
      on writeback_events (tenant_id, dead_at desc, id desc) where status = 'dead';
    create index deliveries_tenant_recent
      on deliveries (tenant_id, created_at) include (channel, status, error_code, updated_at);
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    drop index deliveries_tenant_recent;
    drop index writeback_events_tenant_dead;
    alter table writeback_events drop column dead_at;
  `.execute(db);
}
