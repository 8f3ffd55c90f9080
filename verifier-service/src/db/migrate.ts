// Applies the service's migrations (kysely) and graphile-worker's own schema. Used by the migrate command, by
// the server when MIGRATE_ON_START=true, and by the test helper.
import { Migrator, type MigrationResultSet } from 'kysely';
import { runMigrations } from 'graphile-worker';
import type pg from 'pg';
import type { DB } from './connect';
import { migrations } from './migrations';

export async function migrateToLatest(db: DB, pool: pg.Pool): Promise<MigrationResultSet> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
  const result = await migrator.migrateToLatest();
  if (result.error) throw result.error instanceof Error ? result.error : new Error(String(result.error));
  await runMigrations({ pgPool: pool, logger: quietGraphileLogger });
  return result;
}

/** Ready means: every known migration is applied. */
export async function pendingMigrations(db: DB): Promise<string[]> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
  const list = await migrator.getMigrations();
  return list.filter((m) => !m.executedAt).map((m) => m.name);
}

import { Logger } from 'graphile-worker';
export const quietGraphileLogger = new Logger(() => () => {});
