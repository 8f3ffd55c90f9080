// R4: an outbox event whose job gave up (it failed its attempts on, say, database errors) or vanished is not
// stranded: the recovery sweep gives it a new job, and the outcome still reaches the ticket exactly once.
import { sql } from 'kysely';
import { build, type TestApp } from '../helper';
import { eventually } from '../browser-client';
import { startRecovery } from '../../src/jobs/recovery';
import { incidents, passedVerification, recordEvent } from './fixtures';

let t: TestApp;
beforeAll(async () => {
  t = await build();
});
afterAll(() => t.close());

const journal = (sysId: string) =>
  t.standin.store
    .query('sys_journal_field', `element_id=${sysId}^element=work_notes`)
    .map((r) => String(r.value));

it('R4: the recovery sweep re-queues a pending event whose job ran out of attempts, and it is delivered once', async () => {
  const ticket = incidents(t)[3]!;
  const v = await passedVerification(t, ticket);
  const event = await recordEvent(t, v, 'outcome');
  // Its job failed for good, and the event was made a minute old: exactly what a sweep must catch.
  await sql`update graphile_worker._private_jobs set attempts = max_attempts, last_error = 'simulated' where key = ${`writeback:${event.id}`}`.execute(
    t.deps.db,
  );
  await sql`update writeback_events set created_at = now() - interval '2 minutes' where id = ${event.id}`.execute(
    t.deps.db,
  );

  const recovery = startRecovery(t.db.pool, t.deps.log, { heartbeatMs: 60_000, staleAfterMs: 180_000 });
  try {
    await recovery.tick();
    const { rows } = await sql<{
      n: number;
    }>`select count(*)::int as n from graphile_worker.jobs where key = ${`writeback:${event.id}:sweep`}`.execute(
      t.deps.db,
    );
    expect(rows[0]!.n).toBe(1);
    // A second sweep while that job is waiting adds nothing.
    await recovery.tick();
    const again = await sql<{
      n: number;
    }>`select count(*)::int as n from graphile_worker.jobs where key like ${`writeback:${event.id}%`} and attempts < max_attempts`.execute(
      t.deps.db,
    );
    expect(again.rows[0]!.n).toBe(1);
  } finally {
    await recovery.stop();
  }

  await t.startWorker();
  await eventually(
    async () =>
      (
        await t.deps.db
          .selectFrom('writeback_events')
          .select('status')
          .where('id', '=', event.id)
          .executeTakeFirst()
      )?.status === 'delivered',
  );
  expect(journal(ticket).filter((n) => n.includes(`[imper.ai ${v.publicId} #${event.seq}]`))).toHaveLength(1);
  expect(t.standin.store.get('incident', ticket)?.x_imper_verify_status).toBe('passed');
});

it('the recovery sweep forgets expired launch-token ids and agent sessions, and keeps live ones', async () => {
  const tenantId = t.deps.tenants.all()[0]!.id;
  const hour = 3_600_000;
  await t.deps.db
    .insertInto('launch_jtis')
    .values([
      { tenant_id: tenantId, jti: 'expired-long-ago-jti', expires_at: new Date(Date.now() - hour) },
      { tenant_id: tenantId, jti: 'still-valid-jti-0001', expires_at: new Date(Date.now() + 60_000) },
    ])
    .execute();
  const session = (idByte: number, expiresAt: Date) => ({
    id_hash: Buffer.alloc(32, idByte),
    tenant_id: tenantId,
    user_name: 'beth.anglin',
    name: 'Beth Anglin',
    ticket_table: 'incident',
    ticket_sys_id: 'a'.repeat(32),
    ticket_number: 'INC0010001',
    context_sealed: t.deps.sealer.seal('null'),
    expires_at: expiresAt,
  });
  await t.deps.db
    .insertInto('agent_sessions')
    .values([session(1, new Date(Date.now() - 1000)), session(2, new Date(Date.now() + hour))])
    .execute();

  const recovery = startRecovery(t.db.pool, t.deps.log, { heartbeatMs: 60_000, staleAfterMs: 180_000 });
  try {
    await recovery.tick();
  } finally {
    await recovery.stop();
  }
  const jtis = (await t.deps.db.selectFrom('launch_jtis').select('jti').execute()).map((r) => r.jti);
  expect(jtis).toContain('still-valid-jti-0001');
  expect(jtis).not.toContain('expired-long-ago-jti');
  const sessions = (await t.deps.db.selectFrom('agent_sessions').select('id_hash').execute()).map(
    (r) => r.id_hash[0],
  );
  expect(sessions).toContain(2);
  expect(sessions).not.toContain(1);
});
