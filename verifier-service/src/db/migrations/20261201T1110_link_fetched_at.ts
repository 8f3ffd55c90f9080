// A GET or HEAD of a link is not an open (issue 8): mail scanners and link previews fetch links too. `fetched_at`
// records the first fetch; `opened_at` is now set only when the page's script reports it, or when Start is pressed.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table verification_links add column fetched_at timestamptz`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table verification_links drop column fetched_at`.execute(db);
}
