import { Role } from '@servicenow/sdk/core';
import { agentRole } from './agent.now';

export const adminRole = Role({
  name: 'x_imper_verify.admin',
  description:
    'imper.ai administrator: manages the category policy and properties, may override the resolve/close guard.',
  containsRoles: [agentRole],
});
