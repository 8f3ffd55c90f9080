// Entry of `npm run writeback:redrive -w verifier-service` (see redrive.ts); exits non-zero on any failure.
import { systemClock } from '../context';
import { openDatabase } from '../db/connect';
import { redriveCommand } from './redrive';

async function main() {
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl || !/^postgres(ql)?:\/\//.test(databaseUrl))
    throw new Error('DATABASE_URL (postgres://…) is required');
  const handle = await openDatabase({ databaseUrl, poolSize: 1, embeddedDir: '' });
  try {
    process.exitCode = await redriveCommand(
      process.argv.slice(2),
      { db: handle.db, clock: systemClock },
      { log: (l) => console.log(l), error: (l) => console.error(l) },
    );
  } finally {
    await handle.close();
  }
}

main().catch((err) => {
  console.error(`write-back re-drive failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
