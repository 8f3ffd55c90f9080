import { Acl } from '@servicenow/sdk/core';
import { integrationRole } from '../roles/integration.now';

/**
 * Who may call POST /api/x_imper_verify/imper/close: the service's integration user. (Admins pass every ACL on an
 * instance; the route itself still refuses callers without the integration role, which admins hold implicitly.)
 */
export const closeEndpointAcl = Acl({
  $id: Now.ID['acl-rest-close'],
  type: 'rest_endpoint',
  name: 'x_imper_verify.close',
  operation: 'execute',
  roles: [integrationRole],
  description:
    'Resolve and close a ticket whose imper.ai automated action completed (category policy auto_close).',
});
