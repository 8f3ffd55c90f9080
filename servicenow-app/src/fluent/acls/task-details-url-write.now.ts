import { Acl } from '@servicenow/sdk/core';
import { adminRole } from '../roles/admin.now';
import { integrationRole } from '../roles/integration.now';

Acl({
  $id: Now.ID['acl-task-details-url-write'],
  type: 'record',
  table: 'task',
  operation: 'write',
  field: 'x_imper_verify_details_url',
  roles: [integrationRole, adminRole],
  description:
    'Only the imper.ai service and admins change x_imper_verify_details_url (agents cannot mark a verification passed).',
});
