import { Acl } from '@servicenow/sdk/core';
import { adminRole } from '../roles/admin.now';
import { integrationRole } from '../roles/integration.now';

/** Who may call POST /api/x_imper_verify/imper/events: the service's integration user (and admins). */
export const eventsEndpointAcl = Acl({
  $id: Now.ID['acl-rest-events'],
  type: 'rest_endpoint',
  name: 'x_imper_verify.events',
  operation: 'execute',
  roles: [integrationRole, adminRole],
  description: 'Apply verification events from the imper.ai service.',
});
