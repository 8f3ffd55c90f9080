import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema';

type Q = Kysely<Database> | Transaction<Database>;

export function insertDevMessage(
  db: Q,
  row: {
    channel: 'email' | 'sms';
    to_address: string;
    subject: string | null;
    text_body: string;
    html_body: string | null;
    link: string | null;
  },
) {
  return db.insertInto('dev_messages').values(row).returningAll().executeTakeFirstOrThrow();
}

export function listDevMessages(db: Q, limit = 100) {
  return db
    .selectFrom('dev_messages')
    .selectAll()
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}
