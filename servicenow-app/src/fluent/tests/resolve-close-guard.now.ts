// ATF: the resolve/close guard (property x_imper_verify.guard_enabled, default true).
import { Test } from '@servicenow/sdk/core';

Test(
  {
    $id: Now.ID['atf-resolve-close-guard'],
    name: 'imper.ai - resolve/close guard',
    description:
      'An agent cannot resolve a ticket that requires verification until it passed; an admin can, with a work note.',
    active: true,
    failOnServerError: false,
  },
  (atf) => {
    atf.server.createUser({
      $id: Now.ID['atf-guard-agent'],
      firstName: 'ATF',
      lastName: 'Guard Agent',
      roles: ['itil', 'x_imper_verify.agent'],
      impersonate: true,
    });
    const inc = atf.server.recordInsert({
      $id: Now.ID['atf-guard-insert'],
      table: 'incident',
      fieldValues: { short_description: 'ATF imper.ai guard', category: 'password_reset' },
    });
    atf.server.recordUpdate({
      $id: Now.ID['atf-guard-agent-resolve'],
      table: 'incident',
      recordId: inc.record_id,
      fieldValues: {
        state: '6',
        close_code: 'Solved (Permanently)',
        close_notes: 'ATF: resolve without verification',
      },
      assert: 'record_not_updated',
    });
    atf.server.recordValidation({
      $id: Now.ID['atf-guard-still-open'],
      table: 'incident',
      recordId: inc.record_id,
      fieldValues: 'state!=6^x_imper_verify_status=required',
      assert: 'record_validated',
    });
    atf.server.createUser({
      $id: Now.ID['atf-guard-admin'],
      firstName: 'ATF',
      lastName: 'Guard Admin',
      roles: ['admin'],
      impersonate: true,
    });
    atf.server.recordUpdate({
      $id: Now.ID['atf-guard-admin-resolve'],
      table: 'incident',
      recordId: inc.record_id,
      fieldValues: { state: '6', close_code: 'Solved (Permanently)', close_notes: 'ATF: admin override' },
      assert: 'record_successfully_updated',
    });
    atf.server.recordQuery({
      $id: Now.ID['atf-guard-override-note'],
      table: 'sys_journal_field',
      fieldValues: `element_id=${inc.record_id}^element=work_notes^valueLIKEadmin override`,
      assert: 'records_match_query',
    });
  },
);
