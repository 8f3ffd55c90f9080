// Delivery figures per channel for the console's Providers page (F8 §6): one tenant's messages of the last 24 hours
// and 7 days, counted in one pass over the index `deliveries_tenant_recent` (tenant_id, created_at) that carries the
// counted columns, so a week stays one index range scan however large the table grows. A message counts in the
// window it was created in; "superseded" ones (the verification stopped waiting before the message went out) never
// reached a provider and are left out.
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../db/schema';

type Q = Kysely<Database> | Transaction<Database>;

export interface DeliveryCounts {
  /** Every message handed to (or queued for) the provider */
  total: number;
  /** The provider reported it delivered (or opened) */
  delivered: number;
  /** Failed, bounced, dropped or undelivered */
  failed: number;
  /** Queued or sent, no final report yet */
  pending: number;
}

export interface ChannelDeliveryStats {
  channel: string;
  day: DeliveryCounts;
  week: DeliveryCounts;
  /** The newest failure of the 7 days: when it was reported and the provider's code */
  lastFailure: { at: Date; errorCode: string | null } | null;
}

const n = (v: unknown) => Number(v ?? 0);

export async function deliveryStatsByChannel(
  db: Q,
  tenantId: string,
  now: Date,
): Promise<ChannelDeliveryStats[]> {
  const day = new Date(now.getTime() - 24 * 3_600_000);
  const week = new Date(now.getTime() - 7 * 24 * 3_600_000);
  const inDay = sql`created_at >= ${day}`;
  const rows = await db
    .selectFrom('deliveries')
    .where('tenant_id', '=', tenantId)
    .where('created_at', '>=', week)
    .where('created_at', '<=', now)
    .where((eb) => eb.or([eb('error_code', 'is', null), eb('error_code', '<>', 'superseded')]))
    .select([
      'channel',
      sql<string>`count(*)`.as('week_total'),
      sql<string>`count(*) filter (where status in ('delivered', 'opened'))`.as('week_delivered'),
      sql<string>`count(*) filter (where status = 'failed')`.as('week_failed'),
      sql<string>`count(*) filter (where ${inDay})`.as('day_total'),
      sql<string>`count(*) filter (where ${inDay} and status in ('delivered', 'opened'))`.as('day_delivered'),
      sql<string>`count(*) filter (where ${inDay} and status = 'failed')`.as('day_failed'),
      sql<Date | null>`max(updated_at) filter (where status = 'failed')`.as('last_failed_at'),
      sql<
        string | null
      >`(array_agg(error_code order by updated_at desc) filter (where status = 'failed'))[1]`.as(
        'last_error_code',
      ),
    ])
    .groupBy('channel')
    .orderBy('channel')
    .execute();
  const counts = (total: unknown, delivered: unknown, failed: unknown): DeliveryCounts => {
    const c = { total: n(total), delivered: n(delivered), failed: n(failed) };
    return { ...c, pending: Math.max(0, c.total - c.delivered - c.failed) };
  };
  return rows.map((r) => ({
    channel: r.channel,
    day: counts(r.day_total, r.day_delivered, r.day_failed),
    week: counts(r.week_total, r.week_delivered, r.week_failed),
    lastFailure: r.last_failed_at
      ? { at: new Date(r.last_failed_at), errorCode: r.last_error_code ?? null }
      : null,
  }));
}
