// STAND-IN ONLY. What the scoped app's category-policy business rule does (PRODUCT.md F1): a ticket whose
// category (and optional subcategory) matches an active `x_imper_verify_category_policy` row gets
// `x_imper_verify_status = required`, the requested action, and the "imper.ai - Send Verification link"
// field pointing at the launch endpoint. A later issue runs the app's own business rules through `Hooks`
// and switches this off (`DevInstanceOptions.standInPolicy: false`); seeding and the default hook both go
// through `applyStandInVerificationPolicy` so there is exactly one place to replace.

import type { BeforeWriteHook, Rec, TableStore } from './store';

/** The launch endpoint the verification field links to. */
export function launchUrlFor(instanceUrl: string, table: string, sysId: string): string {
  return `${instanceUrl}/x_imper_verify_launch.do?table=${encodeURIComponent(table)}&sys_id=${encodeURIComponent(sysId)}`;
}

/** The first active policy (by `order`) that covers this ticket, or null. */
export function matchingPolicy(store: TableStore, table: string, record: Rec): Rec | null {
  const category = record.category ?? '';
  if (!category) return null;
  const tables = store.schema.ancestry(table);
  const candidates = store.query(
    'x_imper_verify_category_policy',
    `active=true^requires_verification=true^category=${category}^ORDERBYorder`,
  );
  return (
    candidates.find(
      (p) =>
        tables.includes(p.task_table || 'incident') &&
        (!p.subcategory || p.subcategory.toLowerCase() === (record.subcategory ?? '').toLowerCase()),
    ) ?? null
  );
}

/**
 * Marks `record` (about to be stored in `table`) as requiring verification when a policy covers it and it
 * has no verification state yet. Mutates and returns whether it applied.
 */
export function applyStandInVerificationPolicy(
  store: TableStore,
  instanceUrl: string,
  table: string,
  record: Rec,
): boolean {
  if (!store.schema.isA(table, 'task') || record.x_imper_verify_status) return false;
  const policy = matchingPolicy(store, table, record);
  if (!policy || !record.sys_id) return false;
  record.x_imper_verify_status = 'required';
  record.x_imper_verify_verification = launchUrlFor(instanceUrl, table, record.sys_id);
  record.x_imper_verify_action = policy.action || 'none';
  record.x_imper_verify_action_status = policy.action && policy.action !== 'none' ? 'not_started' : '';
  return true;
}

/** The same rule as a before-write hook for tickets created or re-categorised at run time. */
export function standInPolicyHook(store: TableStore, instanceUrl: () => string): BeforeWriteHook {
  return ({ table, op, record, previous }) => {
    if (op === 'delete') return;
    const recategorised =
      previous && (previous.category !== record.category || previous.subcategory !== record.subcategory);
    if (op === 'insert' || recategorised) applyStandInVerificationPolicy(store, instanceUrl(), table, record);
  };
}
