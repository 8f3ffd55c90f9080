// Entry of `npm run console-user -- <command>` (see services/console-users-command.ts): the console's local accounts
// (F8), against the service's database (DATABASE_URL) with its data key (DATA_ENCRYPTION_KEY, which seals TOTP
// secrets). Exits non-zero on any failure.
import { systemClock } from './context';
import { openDatabase } from './db/connect';
import { createSealer } from './lib/crypto';
import { consoleUserCommand } from './services/console-users-command';

async function main() {
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl || !/^postgres(ql)?:\/\//.test(databaseUrl))
    throw new Error('DATABASE_URL (postgres://…) is required');
  const dataKey = Buffer.from(process.env.DATA_ENCRYPTION_KEY ?? '', 'base64');
  if (dataKey.length !== 32)
    throw new Error("DATA_ENCRYPTION_KEY (the service's, 32 bytes base64) is required");
  const handle = await openDatabase({ databaseUrl, poolSize: 1, embeddedDir: '' });
  try {
    process.exitCode = await consoleUserCommand(
      process.argv.slice(2),
      { db: handle.db, sealer: createSealer(dataKey), clock: systemClock },
      { log: (l) => console.log(l), error: (l) => console.error(l) },
    );
  } finally {
    await handle.close();
  }
}

main().catch((err) => {
  console.error(`console-user failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
