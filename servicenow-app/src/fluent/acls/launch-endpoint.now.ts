import { Acl } from '@servicenow/sdk/core';
import { adminRole } from '../roles/admin.now';
import { agentRole } from '../roles/agent.now';

/** Who may call GET /api/x_imper_verify/imper/launch: agents (app role or itil) and admins. */
export const launchEndpointAcl = Acl({
  $id: Now.ID['acl-rest-launch'],
  type: 'rest_endpoint',
  name: 'x_imper_verify.launch',
  operation: 'execute',
  roles: [agentRole, adminRole, 'itil'],
  description: 'Start an imper.ai verification (mint a launch token).',
});
