// Frozen: never edit a migration that has landed; add a new one.
//
// F8 §6 (issue 11): risk thresholds a tenant's admins set in the console.
// - `risk_threshold_overrides`: one row per tenant and request category (the ticket's `category` value, as in
//   `TENANTS[].risk.categories`), `''` meaning all the tenant's requests. `medium` and `high` are scores (0–10, one
//   decimal as the engine's score has): score >= high → High, >= medium → Medium. The check keeps every row a pair
//   the engine can use on its own (0 < medium < high <= 10), so any precedence of rows gives a valid policy.
//   `updated_by` is the console user's name, `updated_at` when they saved it. The primary key answers the decision's
//   one lookup (the tenant's '' row and its category's row) and the page's list.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table risk_threshold_overrides (
      tenant_id uuid not null references tenants (id),
      category text not null
        constraint risk_threshold_overrides_category check (category ~ '^([A-Za-z0-9_ -]{1,80})?$'),
      medium numeric(3, 1) not null,
      high numeric(3, 1) not null,
      updated_by text not null,
      updated_at timestamptz not null default now(),
      primary key (tenant_id, category),
      constraint risk_threshold_overrides_order check (medium > 0 and medium < high and high <= 10)
    );
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table risk_threshold_overrides;`.execute(db);
}
