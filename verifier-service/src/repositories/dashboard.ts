// The console dashboard's numbers (F8): SQL aggregates over one tenant's verifications and deliveries in a period
// [from, to). Days are UTC days.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema';

export interface DashboardRows {
  perDay: Array<{ day: string; total: number; passed: number }>;
  outcomes: { total: number; completed: number; passed: number };
  risk: { verified: number; medium: number; high: number };
  timeToComplete: { count: number; medianSeconds: number | null; p90Seconds: number | null };
  categories: Array<{ category: string; count: number }>;
  deliveryFailures: Array<{ channel: string; provider: string; errorCode: string | null; count: number }>;
  deliveries: { total: number; failed: number };
}

const n = (v: unknown) => Number(v ?? 0);
/** Seconds to the millisecond (percentile_cont interpolates in floating point). */
const secs = (v: number | null) => (v === null ? null : Math.round(Number(v) * 1000) / 1000);

export async function dashboardAggregates(
  db: Kysely<Database>,
  tenantId: string,
  from: Date,
  to: Date,
): Promise<DashboardRows> {
  const inPeriod = db
    .selectFrom('verifications')
    .where('tenant_id', '=', tenantId)
    .where('created_at', '>=', from)
    .where('created_at', '<', to);

  const [perDay, outcomes, risk, ttc, categories, failures, deliveries] = await Promise.all([
    inPeriod
      .select([
        sql<string>`to_char(date_trunc('day', created_at at time zone 'UTC'), 'YYYY-MM-DD')`.as('day'),
        sql<string>`count(*)`.as('total'),
        sql<string>`count(*) filter (where state = 'passed')`.as('passed'),
      ])
      .groupBy(sql`1`)
      .orderBy(sql`1`)
      .execute(),
    inPeriod
      .select([
        sql<string>`count(*)`.as('total'),
        sql<string>`count(*) filter (where state in ('passed', 'failed', 'incomplete', 'timed_out'))`.as(
          'completed',
        ),
        sql<string>`count(*) filter (where state = 'passed')`.as('passed'),
      ])
      .executeTakeFirstOrThrow(),
    inPeriod
      .select([
        sql<string>`count(*) filter (where risk_level = 'verified')`.as('verified'),
        sql<string>`count(*) filter (where risk_level = 'medium')`.as('medium'),
        sql<string>`count(*) filter (where risk_level = 'high')`.as('high'),
      ])
      .executeTakeFirstOrThrow(),
    inPeriod
      .where('completed_at', 'is not', null)
      .select([
        sql<string>`count(*)`.as('count'),
        sql<
          number | null
        >`percentile_cont(0.5) within group (order by extract(epoch from completed_at - created_at))`.as(
          'median',
        ),
        sql<
          number | null
        >`percentile_cont(0.9) within group (order by extract(epoch from completed_at - created_at))`.as(
          'p90',
        ),
      ])
      .executeTakeFirstOrThrow(),
    inPeriod
      .select(['ticket_category', sql<string>`count(*)`.as('count')])
      .groupBy('ticket_category')
      .orderBy(sql`count(*)`, 'desc')
      .orderBy('ticket_category')
      .limit(12)
      .execute(),
    db
      .selectFrom('deliveries')
      .where('tenant_id', '=', tenantId)
      .where('created_at', '>=', from)
      .where('created_at', '<', to)
      .where('status', '=', 'failed')
      .select(['channel', 'provider', 'error_code', sql<string>`count(*)`.as('count')])
      .groupBy(['channel', 'provider', 'error_code'])
      .orderBy(sql`count(*)`, 'desc')
      .orderBy('channel')
      .execute(),
    db
      .selectFrom('deliveries')
      .where('tenant_id', '=', tenantId)
      .where('created_at', '>=', from)
      .where('created_at', '<', to)
      .select([
        sql<string>`count(*)`.as('total'),
        sql<string>`count(*) filter (where status = 'failed')`.as('failed'),
      ])
      .executeTakeFirstOrThrow(),
  ]);
  return {
    perDay: perDay.map((r) => ({ day: r.day, total: n(r.total), passed: n(r.passed) })),
    outcomes: { total: n(outcomes.total), completed: n(outcomes.completed), passed: n(outcomes.passed) },
    risk: { verified: n(risk.verified), medium: n(risk.medium), high: n(risk.high) },
    timeToComplete: {
      count: n(ttc.count),
      medianSeconds: secs(ttc.median),
      p90Seconds: secs(ttc.p90),
    },
    categories: categories.map((r) => ({ category: r.ticket_category || '—', count: n(r.count) })),
    deliveryFailures: failures.map((r) => ({
      channel: r.channel,
      provider: r.provider,
      errorCode: r.error_code,
      count: n(r.count),
    })),
    deliveries: { total: n(deliveries.total), failed: n(deliveries.failed) },
  };
}
