import { Acl } from '@servicenow/sdk/core';
import { adminRole } from '../roles/admin.now';
import { integrationRole } from '../roles/integration.now';

Acl({
  $id: Now.ID['acl-task-verification-write'],
  type: 'record',
  table: 'task',
  operation: 'write',
  field: 'x_imper_verify_verification',
  roles: [integrationRole, adminRole],
  description:
    'Only the imper.ai service and admins change x_imper_verify_verification (agents cannot mark a verification passed).',
});
