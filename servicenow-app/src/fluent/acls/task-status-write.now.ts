import { Acl } from '@servicenow/sdk/core';
import { adminRole } from '../roles/admin.now';
import { integrationRole } from '../roles/integration.now';

Acl({
  $id: Now.ID['acl-task-status-write'],
  type: 'record',
  table: 'task',
  operation: 'write',
  field: 'x_imper_verify_status',
  roles: [integrationRole, adminRole],
  description:
    'Only the imper.ai service and admins change x_imper_verify_status (agents cannot mark a verification passed).',
});
