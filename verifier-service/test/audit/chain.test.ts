// SECURITY.md S21: audit events are append-only and hash-chained; the verifier detects altered or removed rows.
import { sql } from 'kysely';
import { createTestDatabase } from '../db';
import { openDatabase, type DatabaseHandle } from '../../src/db/connect';
import { migrateToLatest } from '../../src/db/migrate';
import { appendAuditEvent } from '../../src/repositories/audit';
import { verifyAuditChain } from '../../src/audit/verify';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let handle: DatabaseHandle;

beforeAll(async () => {
  database = await createTestDatabase();
  handle = await openDatabase({ databaseUrl: database.url, poolSize: 10, embeddedDir: '' });
  await migrateToLatest(handle.db, handle.pool);
});
afterAll(async () => {
  await handle.close();
  await database.drop();
});

const append = (n: number) =>
  handle.db.transaction().execute((trx) =>
    appendAuditEvent(trx, {
      tenantId: null,
      verificationId: null,
      type: 'test.event',
      actor: 'test',
      data: { n },
    }),
  );

describe('audit chain (S21)', () => {
  it('stays intact under concurrent appends', async () => {
    await Promise.all(Array.from({ length: 40 }, (_, i) => append(i)));
    expect(await verifyAuditChain(handle.db)).toEqual({ events: 40, problems: [] });
  });

  it('refuses UPDATE, DELETE and TRUNCATE at the database', async () => {
    await expect(sql`update audit_events set actor = 'mallory'`.execute(handle.db)).rejects.toThrow(
      /append-only/,
    );
    await expect(sql`delete from audit_events`.execute(handle.db)).rejects.toThrow(/append-only/);
    await expect(sql`truncate audit_events`.execute(handle.db)).rejects.toThrow(/append-only/);
  });

  it('detects an altered row and a removed row when the triggers are bypassed', async () => {
    // Someone with superuser rights disables the triggers and edits history.
    await sql`alter table audit_events disable trigger user`.execute(handle.db);
    const [, second, third] = await handle.db
      .selectFrom('audit_events')
      .select('id')
      .orderBy('id')
      .limit(3)
      .execute();
    await sql`update audit_events set data = '{"n": 999}' where id = ${second!.id}`.execute(handle.db);
    let result = await verifyAuditChain(handle.db);
    expect(result.problems).toContainEqual({ id: String(second!.id), problem: 'hash_mismatch' });

    await sql`delete from audit_events where id = ${third!.id}`.execute(handle.db);
    result = await verifyAuditChain(handle.db);
    expect(result.problems.map((p) => p.problem)).toContain('broken_link');
    await sql`alter table audit_events enable trigger user`.execute(handle.db);
  });
});
