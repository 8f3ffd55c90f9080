import { Property } from '@servicenow/sdk/core';
import { adminRole } from '../roles/admin.now';

export const guardEnabledProperty = Property({
  $id: Now.ID['property-guard-enabled'],
  name: 'x_imper_verify.guard_enabled',
  type: 'boolean',
  value: true,
  description:
    'When true, tickets whose category policy requires verification cannot be resolved or closed until the verification passed (admins may override).',
  roles: { read: ['admin', adminRole], write: ['admin', adminRole] },
});
