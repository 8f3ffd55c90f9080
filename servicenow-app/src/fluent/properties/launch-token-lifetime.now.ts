import { Property } from '@servicenow/sdk/core';
import { adminRole } from '../roles/admin.now';

export const launchLifetimeProperty = Property({
  $id: Now.ID['property-launch-token-lifetime'],
  name: 'x_imper_verify.launch_token_lifetime',
  type: 'integer',
  value: 60,
  description: 'Lifetime of a launch token in seconds (1-120; larger values are capped at 120).',
  roles: { read: ['admin', adminRole], write: ['admin', adminRole] },
});
