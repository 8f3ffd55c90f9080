// Entry of `npm run api-key -- <command>` (see services/api-keys-command.ts): per-tenant API keys for the API
// start (F7), against the service's database (DATABASE_URL) with its data key (DATA_ENCRYPTION_KEY, which seals the
// webhook's secret). Exits non-zero on any failure.
import { systemClock } from './context';
import { openDatabase } from './db/connect';
import { createSealer } from './lib/crypto';
import { apiKeyCommand } from './services/api-keys-command';

async function main() {
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
    process.exitCode = await apiKeyCommand(
      process.argv.slice(2),
      { db: handle.db, sealer: createSealer(dataKey), clock: systemClock, config: { env: appEnv } },
      { log: (l) => console.log(l), error: (l) => console.error(l) },
    );
  } finally {
    await handle.close();
  }
}

main().catch((err) => {
  console.error(`api-key failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
