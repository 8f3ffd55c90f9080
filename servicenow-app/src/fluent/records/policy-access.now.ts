import { Record } from '@servicenow/sdk/core';

// Default category policy row (CONTRACTS.md). Installed once so an admin's later edits survive upgrades.
Record({
  $id: Now.ID['policy-access'],
  $meta: { installMethod: 'first install' },
  table: 'x_imper_verify_category_policy',
  data: {
    task_table: 'incident',
    category: 'access',
    subcategory: '',
    requires_verification: true,
    action: 'none',
    auto_close: false,
    active: true,
    order: 300,
  },
});
