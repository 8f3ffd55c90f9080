// ATF: the category-policy business rule on incident (runs on an instance after install).
import { Test } from '@servicenow/sdk/core';

Test(
  {
    $id: Now.ID['atf-category-policy-rules'],
    name: 'imper.ai - category policy business rules',
    description:
      'password_reset incident gets status required and the link; software stays untouched; moving out before sending clears.',
    active: true,
    failOnServerError: true,
  },
  (atf) => {
    atf.server.createUser({
      $id: Now.ID['atf-bp-user'],
      firstName: 'ATF',
      lastName: 'Agent',
      roles: ['itil', 'x_imper_verify.agent'],
      impersonate: true,
    });
    const required = atf.server.recordInsert({
      $id: Now.ID['atf-bp-insert-required'],
      table: 'incident',
      fieldValues: { short_description: 'ATF imper.ai password reset', category: 'password_reset' },
    });
    atf.server.recordValidation({
      $id: Now.ID['atf-bp-validate-required'],
      table: 'incident',
      recordId: required.record_id,
      fieldValues:
        'x_imper_verify_status=required^x_imper_verify_verificationLIKE/api/x_imper_verify/imper/launch^x_imper_verify_action=password_reset^x_imper_verify_action_status=not_started',
      assert: 'record_validated',
    });
    const untouched = atf.server.recordInsert({
      $id: Now.ID['atf-bp-insert-software'],
      table: 'incident',
      fieldValues: { short_description: 'ATF imper.ai software', category: 'software' },
    });
    atf.server.recordValidation({
      $id: Now.ID['atf-bp-validate-software'],
      table: 'incident',
      recordId: untouched.record_id,
      fieldValues: 'x_imper_verify_statusISEMPTY^x_imper_verify_verificationISEMPTY',
      assert: 'record_validated',
    });
    atf.server.recordUpdate({
      $id: Now.ID['atf-bp-move-in'],
      table: 'incident',
      recordId: untouched.record_id,
      fieldValues: { category: 'account_unlock' },
    });
    atf.server.recordValidation({
      $id: Now.ID['atf-bp-validate-moved-in'],
      table: 'incident',
      recordId: untouched.record_id,
      fieldValues: 'x_imper_verify_status=required^x_imper_verify_action=account_unlock',
      assert: 'record_validated',
    });
    atf.server.recordUpdate({
      $id: Now.ID['atf-bp-move-out'],
      table: 'incident',
      recordId: required.record_id,
      fieldValues: { category: 'inquiry' },
    });
    atf.server.recordValidation({
      $id: Now.ID['atf-bp-validate-cleared'],
      table: 'incident',
      recordId: required.record_id,
      fieldValues:
        'x_imper_verify_statusISEMPTY^x_imper_verify_verificationISEMPTY^x_imper_verify_actionISEMPTY',
      assert: 'record_validated',
    });
  },
);
