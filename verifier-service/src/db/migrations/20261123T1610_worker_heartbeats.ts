// Live graphile-worker workers, so that the jobs of a crashed one can be unlocked promptly (R4) instead of after
// graphile-worker's 4-hour stale-lock timeout. Written and swept by src/jobs/recovery.ts.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table worker_heartbeats (
      worker_id text primary key,
      host text not null,
      pid integer not null,
      started_at timestamptz not null default now(),
      last_seen_at timestamptz not null default now()
    );
    create index worker_heartbeats_last_seen on worker_heartbeats (last_seen_at);
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table worker_heartbeats`.execute(db);
}
