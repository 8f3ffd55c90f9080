import { Record } from '@servicenow/sdk/core';
import { appMenu } from './app-menu.now';

// Admin module: the app's system properties (service URL, launch secret, token lifetime, guard).
Record({
  $id: Now.ID['module-properties'],
  table: 'sys_app_module',
  data: {
    title: 'Properties',
    application: appMenu,
    link_type: 'FILTER',
    name: 'sys_properties',
    filter: 'nameSTARTSWITHx_imper_verify.',
    hint: 'Service URL, launch secret, token lifetime, resolve/close guard',
    roles: ['admin'],
    active: true,
    order: 200,
  },
});
