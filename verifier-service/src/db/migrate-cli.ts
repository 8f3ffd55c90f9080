// `npm run migrate`: applies every pending migration and exits non-zero on any failure.
import { openDatabase } from './connect';
import { migrateToLatest } from './migrate';

async function main() {
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl || !/^postgres(ql)?:\/\//.test(databaseUrl))
    throw new Error(
      'DATABASE_URL (postgres://…) is required to migrate; the embedded database migrates on start',
    );
  const handle = await openDatabase({ databaseUrl, poolSize: 2, embeddedDir: '' });
  try {
    const result = await migrateToLatest(handle.db, handle.pool);
    for (const r of result.results ?? []) console.log(`${r.status}: ${r.migrationName}`);
    console.log('migrations up to date');
  } finally {
    await handle.close();
  }
}

main().catch((err) => {
  console.error(`migration failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
