import { Acl } from '@servicenow/sdk/core';
import { adminRole } from '../roles/admin.now';
import { integrationRole } from '../roles/integration.now';

Acl({
  $id: Now.ID['acl-event-create'],
  type: 'record',
  table: 'x_imper_verify_event',
  operation: 'create',
  roles: [integrationRole, adminRole],
  description: 'Applied events are recorded by the events route (integration user).',
});
