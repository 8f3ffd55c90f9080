import { Property } from '@servicenow/sdk/core';
import { adminRole } from '../roles/admin.now';

export const serviceUrlProperty = Property({
  $id: Now.ID['property-service-url'],
  name: 'x_imper_verify.service_url',
  type: 'string',
  value: '',
  description:
    'Base URL of the imper.ai verification service, e.g. https://verify.example.com (no trailing slash).',
  roles: { read: ['admin', adminRole], write: ['admin', adminRole] },
});
