import { ApplicationMenu } from '@servicenow/sdk/core';
import { adminRole } from '../roles/admin.now';

export const appMenu = ApplicationMenu({
  $id: Now.ID['app-menu'],
  title: 'imper.ai Verify',
  hint: 'imper.ai identity verification',
  description: 'Administration of the imper.ai verification app',
  roles: [adminRole, 'admin'],
  active: true,
});
