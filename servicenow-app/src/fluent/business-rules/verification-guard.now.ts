import { BusinessRule } from '@servicenow/sdk/core';
import { guardResolveClose } from '../../server/guard';

BusinessRule({
  $id: Now.ID['br-verification-guard'],
  name: 'imper.ai - verification guard',
  description:
    'Refuses resolving or closing a ticket that requires verification until it passed (property x_imper_verify.guard_enabled); admins override with a work note.',
  table: 'task',
  when: 'before',
  action: ['update'],
  order: 200,
  active: true,
  filterCondition: 'stateVALCHANGES^x_imper_verify_statusISNOTEMPTY',
  script: guardResolveClose,
});
