// Frozen: never edit a migration that has landed; add a new one.
//
// F8: the console's search by requester name, fast on a million verifications (issue 11, p95 < 50 ms).
// `verifications_console_requester_name (tenant_id, lower(requester_name) text_pattern_ops)` found the rows whose
// name starts with the search but not in the table's order, so a page had to read and sort every match (~800 rows
// for a full name, ~33,000 for a first name's start) and the planner sometimes preferred walking the whole list.
// It is replaced by two indexes that serve equality on a name AND the table's order (created_at desc, id desc), so
// the newest 50 rows of one name are the first 50 entries under it:
// - `verifications_console_name`: the whole name, lower-cased;
// - `verifications_console_surname`: the name without its first word ("Abel Tuter" → "tuter", "Ana de la Cruz" →
//   "de la cruz"; a one-word name has none), so people are found by surname too. It ends with the whole name: a
//   count of the rows found by surname but not by name reads it from the index instead of lower-casing each name.
// The names are compared in the "C" collation (byte order): `<`, `>`, `=` and `like 'abc%'` then use the index
// whatever the database's collation, without an operator class. Both include `requester_name` and the columns of the
// table's other filters (state, risk level, category, initiator, agent), so the search's queries (the distinct
// names, a page's keys, the capped count, with or without filters) are index-only scans: PostgreSQL's planner only
// considers an index-only scan when every plain column the query reads, inside an expression too, is in the index.
// Each is ~150 MB per million rows. Built inside the migration's transaction (not CONCURRENTLY): writes to
// `verifications` wait while they build, about 15 s per million rows on a 2-core machine.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    drop index verifications_console_requester_name;
    create index verifications_console_name
      on verifications (tenant_id, (lower(requester_name) collate "C"), created_at desc, id desc)
      include (requester_name, state, risk_level, ticket_category, initiated_by, agent_user_name);
    create index verifications_console_surname
      on verifications (
        tenant_id,
        (lower(substr(requester_name, nullif(strpos(requester_name, ' '), 0) + 1)) collate "C"),
        created_at desc,
        id desc,
        (lower(requester_name) collate "C"))
      include (requester_name, state, risk_level, ticket_category, initiated_by, agent_user_name);
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    drop index verifications_console_surname;
    drop index verifications_console_name;
    create index verifications_console_requester_name
      on verifications (tenant_id, lower(requester_name) text_pattern_ops);
  `.execute(db);
}
