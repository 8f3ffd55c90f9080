// Frozen: never edit a migration that has landed; add a new one.
//
// The automated action after a Verified pass (issue 10, PRODUCT.md F6):
// - `verifications.auto_close`: the category policy says resolve and close the ticket when the action completes
//   (read from the policy at send, with `action`).
// - `verifications.action_started_at`: set once by the conditional UPDATE that claims the action (S13: it runs
//   once); `action_completed_at` when it finished; `action_error` the directory's refusal in plain words.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    alter table verifications
      add column auto_close boolean not null default false,
      add column action_started_at timestamptz,
      add column action_completed_at timestamptz,
      add column action_error text;
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    alter table verifications
      drop column auto_close,
      drop column action_started_at,
      drop column action_completed_at,
      drop column action_error;
  `.execute(db);
}
