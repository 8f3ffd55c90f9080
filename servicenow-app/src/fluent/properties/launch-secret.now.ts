import { Property } from '@servicenow/sdk/core';

// password2: stored encrypted; private: never carried in update sets; readable and writable by admin only.
export const launchSecretProperty = Property({
  $id: Now.ID['property-launch-secret'],
  name: 'x_imper_verify.launch_secret',
  type: 'password2',
  value: '',
  isPrivate: true,
  description:
    'Launch secret shared with the imper.ai service (base64, at least 32 bytes). Signs the launch tokens (HMAC-SHA256).',
  roles: { read: ['admin'], write: ['admin'] },
});
