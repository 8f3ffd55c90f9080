import { Acl } from '@servicenow/sdk/core';
import { adminRole } from '../roles/admin.now';
import { integrationRole } from '../roles/integration.now';

Acl({
  $id: Now.ID['acl-task-action-write'],
  type: 'record',
  table: 'task',
  operation: 'write',
  field: 'x_imper_verify_action',
  roles: [integrationRole, adminRole],
  description:
    'Only the imper.ai service and admins change x_imper_verify_action (agents cannot mark a verification passed).',
});
