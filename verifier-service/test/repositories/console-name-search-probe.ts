// Run by console-verifications.test.ts in a child process (PGlite loads its WebAssembly through dynamic import,
// which jest's CommonJS runtime cannot do): the name search's cases on the embedded database the service uses
// without DATABASE_URL (migrated as it migrates, the "C" collation and the expression indexes included). Prints one
// JSON line.
import { randomBytes } from 'node:crypto';
import { openDatabase } from '../../src/db/connect';
import { migrateToLatest } from '../../src/db/migrate';
import { listConsoleVerifications } from '../../src/repositories/console-verifications';
import { compareWithPlain, FILTERS, seedNameRows } from './console-name-search-cases';

async function tenant(db: Awaited<ReturnType<typeof openDatabase>>['db'], slug: string) {
  const row = await db
    .insertInto('tenants')
    .values({
      slug: `${slug}-${randomBytes(3).toString('hex')}`,
      name: slug,
      instance_url: `https://${slug}-${randomBytes(3).toString('hex')}.service-now.com`,
      auth_type: 'basic',
      credentials_sealed: 'x',
      launch_secret_sealed: 'x',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

async function main() {
  const handle = await openDatabase({ databaseUrl: null, poolSize: 4, embeddedDir: 'memory://' });
  try {
    await migrateToLatest(handle.db, handle.pool);
    const tenantId = await tenant(handle.db, 'probe');
    await seedNameRows(handle.db, tenantId, await tenant(handle.db, 'other'));
    // Fewer combinations than on PostgreSQL (PGlite is slower): no filter, one filter, the date range
    const r = await compareWithPlain(handle.db, tenantId, {
      limits: [9],
      filters: [FILTERS[0]!, FILTERS[1]!, FILTERS[5]!],
    });
    const page = await listConsoleVerifications(
      handle.db,
      { tenantId, search: { kind: 'prefix', value: 'tuter' } },
      { sort: 'newest', limit: 100 },
    );
    const surname = [...new Set(page.rows.map((x) => x.requesterName))].sort();
    console.log(JSON.stringify({ differences: r.differences, pages: r.pages, surname }));
  } finally {
    await handle.close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
