import { Acl } from '@servicenow/sdk/core';
import { adminRole } from '../roles/admin.now';
import { integrationRole } from '../roles/integration.now';

Acl({
  $id: Now.ID['acl-event-read'],
  type: 'record',
  table: 'x_imper_verify_event',
  operation: 'read',
  roles: [integrationRole, adminRole],
  description: 'Applied events: integration user and admins.',
});
