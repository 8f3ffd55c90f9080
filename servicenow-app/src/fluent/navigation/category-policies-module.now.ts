import { Record } from '@servicenow/sdk/core';
import { appMenu } from './app-menu.now';

// Admin module: the category policy list (admins create, edit and deactivate rows here).
Record({
  $id: Now.ID['module-category-policies'],
  table: 'sys_app_module',
  data: {
    title: 'Category policies',
    application: appMenu,
    link_type: 'LIST',
    name: 'x_imper_verify_category_policy',
    filter: 'ORDERBYorder',
    hint: 'Which ticket categories require identity verification',
    roles: ['x_imper_verify.admin', 'admin'],
    active: true,
    order: 100,
  },
});
