import { Record } from '@servicenow/sdk/core';

// Default category policy row (CONTRACTS.md). Installed once so an admin's later edits survive upgrades.
Record({
  $id: Now.ID['policy-account-unlock'],
  $meta: { installMethod: 'first install' },
  table: 'x_imper_verify_category_policy',
  data: {
    task_table: 'incident',
    category: 'account_unlock',
    subcategory: '',
    requires_verification: true,
    action: 'account_unlock',
    auto_close: true,
    active: true,
    order: 200,
  },
});
