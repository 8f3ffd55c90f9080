// R1: write-back events and their jobs exist if and only if the state change that needs them committed.
import { sql } from 'kysely';
import { build, type TestApp } from '../helper';
import { recordTicketEvent } from '../../src/services/writeback';
import { transitionVerification } from '../../src/repositories/verifications';
import { eventRow, incidents, jobs, passedVerification } from './fixtures';

let t: TestApp;
beforeAll(async () => {
  t = await build(); // no worker: jobs stay where the test can see them
});
afterAll(() => t.close());

const count = async (table: 'writeback_events', verificationId: string) =>
  Number(
    (
      await t.deps.db
        .selectFrom(table)
        .select(sql<string>`count(*)`.as('n'))
        .where('verification_id', '=', verificationId)
        .executeTakeFirstOrThrow()
    ).n,
  );

describe('transactional outbox', () => {
  it('R1: a state change that rolls back after recordTicketEvent leaves neither an event nor a job', async () => {
    const v = await passedVerification(t, incidents(t)[0]!);
    const before = await jobs(t);
    let recorded: string | undefined;
    await expect(
      t.deps.db.transaction().execute(async (trx) => {
        const e = await recordTicketEvent(trx, t.deps, v, 'outcome');
        recorded = e.id;
        // Inside the transaction both exist...
        expect(
          await trx.selectFrom('writeback_events').select('id').where('id', '=', e.id).executeTakeFirst(),
        ).toBeDefined();
        const { rows } = await sql<{
          n: number;
        }>`select count(*)::int as n from graphile_worker.jobs where key = ${`writeback:${e.id}`}`.execute(
          trx,
        );
        expect(rows[0]!.n).toBe(1);
        throw new Error('the state change fails after the event was recorded');
      }),
    ).rejects.toThrow('the state change fails');
    expect(recorded).toBeDefined();
    expect(await count('writeback_events', v.id)).toBe(0);
    expect(await jobs(t)).toEqual(before);
  });

  it('R1: a database error later in the same transaction (a refused transition) also rolls the event back', async () => {
    const v = await passedVerification(t, incidents(t)[1]!);
    await expect(
      t.deps.db.transaction().execute(async (trx) => {
        await recordTicketEvent(trx, t.deps, v, 'canceled');
        // A real statement that fails in PostgreSQL: a state outside the check constraint.
        await transitionVerification(trx, v.id, ['passed'], 'bogus' as never);
      }),
    ).rejects.toThrow();
    expect(await count('writeback_events', v.id)).toBe(0);
    expect((await jobs(t)).filter((j) => j.task_identifier === 'writeback')).toEqual([]);
  });

  it('R1: when the transaction commits, the event and exactly one job for it exist together', async () => {
    const v = await passedVerification(t, incidents(t)[2]!);
    const e = await t.deps.db.transaction().execute((trx) => recordTicketEvent(trx, t.deps, v, 'outcome'));
    expect(await eventRow(t, e.id)).toMatchObject({ status: 'pending', attempts: 0 });
    expect((await jobs(t, e.id)).map((j) => j.key)).toEqual([`writeback:${e.id}`]);
  });
});
