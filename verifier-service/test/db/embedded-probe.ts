// Run by embedded.test.ts in a child process (PGlite loads its WebAssembly through dynamic import, which jest's
// CommonJS runtime cannot do). Exercises the embedded database the way the service uses it; prints one JSON line.
import { run } from 'graphile-worker';
import { sql } from 'kysely';
import { openDatabase } from '../../src/db/connect';
import { migrateToLatest, quietGraphileLogger } from '../../src/db/migrate';
import { addJob } from '../../src/lib/jobs';

async function main() {
  const handle = await openDatabase({ databaseUrl: null, poolSize: 8, embeddedDir: 'memory://' });
  const out: Record<string, unknown> = {};
  try {
    await migrateToLatest(handle.db, handle.pool);
    out.tables = (
      await handle.pool.query(
        `select count(*)::int as n from information_schema.tables where table_name in ('verifications', 'audit_events')`,
      )
    ).rows[0].n;

    // Many concurrent parameterised (extended-protocol) queries on several connections.
    const results = await Promise.all(
      Array.from({ length: 300 }, (_, i) =>
        handle.pool.query('select $1::int * 2 as doubled, $2::text as tag', [i, `t${i}`]),
      ),
    );
    out.wrongAnswers = results.filter(
      (r, i) => r.rows[0].doubled !== i * 2 || r.rows[0].tag !== `t${i}`,
    ).length;

    // A transaction on one connection is not visible to, nor disturbed by, the others.
    await sql`create table probe (n int)`.execute(handle.db);
    const client = await handle.pool.connect();
    await client.query('begin');
    await client.query('insert into probe values ($1)', [1]);
    const others = Promise.all(
      Array.from({ length: 20 }, () =>
        handle.pool.query('select count(*)::int as n from probe where n = $1', [1]),
      ),
    );
    await client.query('rollback');
    client.release();
    out.othersSaw = (await others).map((r) => r.rows[0].n);
    out.afterRollback = (await handle.pool.query('select count(*)::int as n from probe')).rows[0].n;

    // graphile-worker (as the service runs it on the embedded database) completes jobs added in transactions.
    let done = 0;
    const runner = await run({
      pgPool: handle.pool,
      concurrency: 4,
      pollInterval: 100,
      noHandleSignals: true,
      noPreparedStatements: true,
      logger: quietGraphileLogger,
      taskList: { expire: async () => void done++ },
    });
    await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        handle.db.transaction().execute((trx) => addJob(trx, 'expire', { i })),
      ),
    );
    for (let i = 0; i < 100 && done < 30; i++) await new Promise((r) => setTimeout(r, 100));
    await runner.stop();
    out.jobsDone = done;
  } finally {
    await handle.close();
  }
  console.log(JSON.stringify(out));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
