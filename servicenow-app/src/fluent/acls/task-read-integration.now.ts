import { Acl } from '@servicenow/sdk/core';
import { integrationRole } from '../roles/integration.now';

// The service reads the tickets it verifies (number, caller, category, the app's columns).
Acl({
  $id: Now.ID['acl-task-read-integration'],
  type: 'record',
  table: 'task',
  operation: 'read',
  roles: [integrationRole],
  description: 'The imper.ai integration user reads task records.',
});
