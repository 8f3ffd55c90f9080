// `npm run audit:verify -w verifier-service`: verifies the audit chain; exits 1 when it does not hold.
import { openDatabase } from '../db/connect';
import { verifyAuditChain } from './verify';

async function main() {
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) throw new Error('DATABASE_URL is required');
  const handle = await openDatabase({ databaseUrl, poolSize: 1, embeddedDir: '' });
  try {
    const { events, problems } = await verifyAuditChain(handle.db);
    if (problems.length) {
      for (const p of problems) console.error(`event ${p.id}: ${p.problem}`);
      console.error(`audit chain BROKEN: ${problems.length} problem(s) in ${events} events`);
      process.exitCode = 1;
    } else {
      console.log(`audit chain intact: ${events} events`);
    }
  } finally {
    await handle.close();
  }
}

main().catch((err) => {
  console.error(`audit verification failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
