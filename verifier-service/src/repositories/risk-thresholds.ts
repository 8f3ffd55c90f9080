// The risk thresholds a tenant's admins set in the console (F8 §6): one row per request category, '' for all the
// tenant's requests. Rows are mapped to domain objects here (numeric columns come back from pg as strings).
import { sql, type Kysely, type Selectable, type Transaction } from 'kysely';
import type { Database, RiskThresholdOverridesTable } from '../db/schema';

type Q = Kysely<Database> | Transaction<Database>;

/** The category value that means all the tenant's requests */
export const ALL_REQUESTS = '';

export interface RiskThresholdOverride {
  tenantId: string;
  /** A request category (the ticket's `category` value), or '' for all requests */
  category: string;
  medium: number;
  high: number;
  /** The console user's name */
  updatedBy: string;
  updatedAt: Date;
}

/** The two rows a decision needs: the tenant-wide one and the request category's */
export interface ThresholdOverridesFor {
  all: RiskThresholdOverride | null;
  category: RiskThresholdOverride | null;
}

const CHANGE_LOCK = 7_320_002; // with the tenant's hash: serialises one tenant's threshold changes

const toOverride = (r: Selectable<RiskThresholdOverridesTable>): RiskThresholdOverride => ({
  tenantId: r.tenant_id,
  category: r.category,
  medium: Number(r.medium),
  high: Number(r.high),
  updatedBy: r.updated_by,
  updatedAt: r.updated_at,
});

/** Every override of the tenant, the tenant-wide one first, then by category. */
export async function listThresholdOverrides(db: Q, tenantId: string): Promise<RiskThresholdOverride[]> {
  const rows = await db
    .selectFrom('risk_threshold_overrides')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .orderBy('category')
    .execute();
  return rows.map(toOverride);
}

/** The tenant-wide override and the category's, in one query (a decision's only read of this table). */
export async function findThresholdOverridesFor(
  db: Q,
  tenantId: string,
  category: string,
): Promise<ThresholdOverridesFor> {
  const rows = await db
    .selectFrom('risk_threshold_overrides')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('category', 'in', [ALL_REQUESTS, category])
    .execute();
  const all = rows.find((r) => r.category === ALL_REQUESTS);
  const own = category === ALL_REQUESTS ? undefined : rows.find((r) => r.category === category);
  return { all: all ? toOverride(all) : null, category: own ? toOverride(own) : null };
}

/**
 * Inside a change's transaction, first: one change of the tenant's thresholds at a time, so the `before` its audit
 * event records is the value it replaced (transaction-scoped; released at commit).
 */
export async function lockThresholdChanges(trx: Transaction<Database>, tenantId: string): Promise<void> {
  await sql`select pg_advisory_xact_lock(${CHANGE_LOCK}, hashtext(${tenantId}))`.execute(trx);
}

export async function upsertThresholdOverride(
  db: Q,
  o: RiskThresholdOverride,
): Promise<RiskThresholdOverride> {
  const values = {
    tenant_id: o.tenantId,
    category: o.category,
    medium: o.medium,
    high: o.high,
    updated_by: o.updatedBy,
    updated_at: o.updatedAt,
  };
  const row = await db
    .insertInto('risk_threshold_overrides')
    .values(values)
    .onConflict((oc) =>
      oc.columns(['tenant_id', 'category']).doUpdateSet({
        medium: o.medium,
        high: o.high,
        updated_by: o.updatedBy,
        updated_at: o.updatedAt,
      }),
    )
    .returningAll()
    .executeTakeFirstOrThrow();
  return toOverride(row);
}

/** Removes the override; returns what it was (null when there was none). */
export async function deleteThresholdOverride(
  db: Q,
  tenantId: string,
  category: string,
): Promise<RiskThresholdOverride | null> {
  const row = await db
    .deleteFrom('risk_threshold_overrides')
    .where('tenant_id', '=', tenantId)
    .where('category', '=', category)
    .returningAll()
    .executeTakeFirst();
  return row ? toOverride(row) : null;
}
