import { Acl } from '@servicenow/sdk/core';
import { adminRole } from '../roles/admin.now';
import { agentRole } from '../roles/agent.now';
import { integrationRole } from '../roles/integration.now';

Acl({
  $id: Now.ID['acl-category-policy-read'],
  type: 'record',
  table: 'x_imper_verify_category_policy',
  operation: 'read',
  roles: [agentRole, integrationRole, adminRole],
  description: 'Agents, the integration user and admins read the category policy.',
});
