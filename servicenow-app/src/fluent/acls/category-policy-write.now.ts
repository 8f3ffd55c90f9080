import { Acl } from '@servicenow/sdk/core';
import { adminRole } from '../roles/admin.now';

Acl({
  $id: Now.ID['acl-category-policy-write'],
  type: 'record',
  table: 'x_imper_verify_category_policy',
  operation: 'write',
  roles: [adminRole],
  description: 'Only imper.ai admins change policy rows.',
});
