// Which ticket categories need a verification and which automated action follows (CONTRACTS.md "Category
// policy"). Read by src/server/policy.ts; managed by admins through the "Category policies" module.
import {
  BooleanColumn,
  ChoiceColumn,
  IntegerColumn,
  StringColumn,
  Table,
  TableNameColumn,
} from '@servicenow/sdk/core';

export const x_imper_verify_category_policy = Table({
  name: 'x_imper_verify_category_policy',
  label: 'imper.ai Category policy',
  display: 'category',
  allowWebServiceAccess: true,
  accessibleFrom: 'package_private',
  audit: true,
  schema: {
    task_table: TableNameColumn({ label: 'Task table', default: 'incident', mandatory: true }),
    category: StringColumn({ label: 'Category', maxLength: 40, mandatory: true }),
    subcategory: StringColumn({ label: 'Subcategory (empty = any)', maxLength: 40 }),
    requires_verification: BooleanColumn({ label: 'Requires verification', default: true }),
    action: ChoiceColumn({
      label: 'Action',
      default: 'none',
      dropdown: 'dropdown_without_none',
      choices: {
        none: { label: 'None', sequence: 10 },
        password_reset: { label: 'Password reset', sequence: 20 },
        account_unlock: { label: 'Account unlock', sequence: 30 },
        mfa_reset: { label: 'MFA reset', sequence: 40 },
      },
    }),
    auto_close: BooleanColumn({ label: 'Resolve and close when the action completes', default: false }),
    active: BooleanColumn({ label: 'Active', default: true }),
    order: IntegerColumn({ label: 'Order', default: 100 }),
  },
});
