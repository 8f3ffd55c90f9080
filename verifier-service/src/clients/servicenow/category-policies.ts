// The tenant's category policies (table `x_imper_verify_category_policy`, CONTRACTS.md "Category policy"), mapped to
// domain rows. One small read: the columns we use, active rows only.
import type { CategoryPolicyRow } from '../../domain/category-policy';
import type { ServiceNowClient } from './client';

export const POLICY_TABLE = 'x_imper_verify_category_policy';

const FIELDS = ['task_table', 'category', 'subcategory', 'action', 'auto_close', 'active', 'order'] as const;

export async function fetchCategoryPolicies(
  client: ServiceNowClient,
  o: { deadline?: number } = {},
): Promise<CategoryPolicyRow[]> {
  const { records } = await client.query(POLICY_TABLE, {
    query: 'active=true',
    fields: FIELDS,
    limit: 1000,
    ...(o.deadline ? { deadline: o.deadline } : {}),
  });
  return records.map((r) => ({
    taskTable: (r.task_table ?? '').trim() || 'incident',
    category: (r.category ?? '').trim(),
    subcategory: (r.subcategory ?? '').trim(),
    action: (r.action ?? '').trim() || 'none',
    autoClose: r.auto_close === 'true' || r.auto_close === '1',
    active: r.active !== 'false' && r.active !== '0',
    order: Number.parseInt(r.order ?? '', 10) || 0,
  }));
}
