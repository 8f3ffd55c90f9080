// What the admin commands (`npm run api-key`, `npm run console-user`) share: they run against the service's
// database (DATABASE_URL) with its data key (DATA_ENCRYPTION_KEY, for the secrets they seal), name a tenant by its
// slug (tenants are written to the database when the service starts), print to an `Output`, and exit non-zero on
// any failure.
import { systemClock, type Clock } from '../context';
import { openDatabase, type DB } from '../db/connect';
import { AppError } from '../errors';
import { createSealer, type Sealer } from './crypto';

export interface Output {
  log(line: string): void;
  error(line: string): void;
}

export async function tenantIdBySlug(db: DB, slug: string | undefined): Promise<string> {
  if (!slug) throw new AppError('VALIDATION_FAILED', '--tenant <slug> is required');
  const row = await db.selectFrom('tenants').select('id').where('slug', '=', slug).executeTakeFirst();
  if (!row)
    throw new AppError('NOT_FOUND', `no tenant "${slug}" (tenants are synced when the service starts)`);
  return row.id;
}

export interface CliDeps {
  db: DB;
  sealer: Sealer;
  clock: Clock;
  appEnv: 'production' | 'development' | 'test';
}

/** Runs `command` on the process's arguments with the database and data key from the environment. */
export function runCli(
  name: string,
  command: (argv: string[], deps: CliDeps, out: Output) => Promise<number>,
) {
  const main = async () => {
    const databaseUrl = process.env.DATABASE_URL;
    if (!databaseUrl || !/^postgres(ql)?:\/\//.test(databaseUrl))
      throw new Error('DATABASE_URL (postgres://…) is required');
    const dataKey = Buffer.from(process.env.DATA_ENCRYPTION_KEY ?? '', 'base64');
    if (dataKey.length !== 32)
      throw new Error("DATA_ENCRYPTION_KEY (the service's, 32 bytes base64) is required");
    const appEnv = process.env.APP_ENV ?? 'development';
    if (appEnv !== 'production' && appEnv !== 'development' && appEnv !== 'test')
      throw new Error('APP_ENV must be production, development or test');
    const handle = await openDatabase({ databaseUrl, poolSize: 1, embeddedDir: '' });
    try {
      process.exitCode = await command(
        process.argv.slice(2),
        { db: handle.db, sealer: createSealer(dataKey), clock: systemClock, appEnv },
        { log: (l) => console.log(l), error: (l) => console.error(l) },
      );
    } finally {
      await handle.close();
    }
  };
  main().catch((err) => {
    console.error(`${name} failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  });
}
