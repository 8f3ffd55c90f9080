import { Acl } from '@servicenow/sdk/core';
import { adminRole } from '../roles/admin.now';

Acl({
  $id: Now.ID['acl-category-policy-create'],
  type: 'record',
  table: 'x_imper_verify_category_policy',
  operation: 'create',
  roles: [adminRole],
  description: 'Only imper.ai admins add policy rows.',
});
