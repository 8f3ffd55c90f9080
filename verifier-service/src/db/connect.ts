// Opens the database: PostgreSQL at DATABASE_URL, or, without one, an embedded PGlite served over a local
// socket (pglite-socket) so that pg, kysely and graphile-worker use it unchanged.
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Database } from './schema';
import { startEmbeddedPostgres } from './embedded';

// int8 (bigint ids, counts) as strings is pg's default; timestamps as Date; numeric as string.
export type DB = Kysely<Database>;

export interface DatabaseHandle {
  db: DB;
  pool: pg.Pool;
  url: string;
  embedded: boolean;
  close(): Promise<void>;
}

export async function openDatabase(opts: {
  databaseUrl: string | null;
  poolSize: number;
  embeddedDir: string;
  onError?: (err: Error) => void;
}): Promise<DatabaseHandle> {
  let url = opts.databaseUrl;
  let stopEmbedded: (() => Promise<void>) | null = null;
  if (!url) {
    const embedded = await startEmbeddedPostgres(opts.embeddedDir, opts.poolSize + 6);
    url = embedded.url;
    stopEmbedded = embedded.stop;
  }
  const pool = new pg.Pool({ connectionString: url, max: opts.poolSize });
  // Idle and checked-out clients can both lose their connection; report it instead of crashing.
  pool.on('error', (err) => opts.onError?.(err));
  pool.on('connect', (client) => client.on('error', (err) => opts.onError?.(err)));
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    pool,
    url,
    embedded: stopEmbedded !== null,
    async close() {
      await db.destroy(); // ends the pool
      if (stopEmbedded) await stopEmbedded();
    },
  };
}
