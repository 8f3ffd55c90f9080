// Opens the database: PostgreSQL at DATABASE_URL, or, without one, an embedded PGlite served over a local
// socket (pglite-socket) so that pg, kysely and graphile-worker use it unchanged.
import { mkdirSync } from 'node:fs';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Database } from './schema';

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

/** PGlite on a local TCP socket. `dir` 'memory://' keeps nothing on disk. */
export async function startEmbeddedPostgres(dir: string, maxConnections: number) {
  const { PGlite } = await import('@electric-sql/pglite');
  const { PGLiteSocketServer } = await import('@electric-sql/pglite-socket');
  if (!dir.startsWith('memory://')) mkdirSync(dir, { recursive: true });
  const pglite = await PGlite.create({ dataDir: dir });
  const server = new PGLiteSocketServer({ db: pglite, host: '127.0.0.1', port: 0, maxConnections });
  await server.start();
  // getServerConn() reports the requested port (0), so read the bound one from the listening socket.
  const listening = (server as unknown as { server?: import('node:net').Server }).server?.address();
  if (!listening || typeof listening === 'string') throw new Error('embedded database did not start listening');
  return {
    url: `postgres://postgres@127.0.0.1:${listening.port}/postgres`,
    async stop() {
      await server.stop();
      await pglite.close();
    },
  };
}
