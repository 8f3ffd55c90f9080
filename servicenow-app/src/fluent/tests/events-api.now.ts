// ATF: the events route applies a verification event once (idempotent by event_id) and resolves with a close
// code read from sys_choice.
import { Test } from '@servicenow/sdk/core';

Test(
  {
    $id: Now.ID['atf-events-api'],
    name: 'imper.ai - events REST API',
    description:
      'POST /api/x_imper_verify/imper/events sets the columns, a repeated event_id changes nothing, a completed action resolves and closes.',
    active: true,
    failOnServerError: true,
  },
  (atf) => {
    const inc = atf.server.recordInsert({
      $id: Now.ID['atf-events-insert'],
      table: 'incident',
      fieldValues: { short_description: 'ATF imper.ai events', category: 'password_reset' },
    });
    atf.server.createUser({
      $id: Now.ID['atf-events-user'],
      firstName: 'ATF',
      lastName: 'Integration',
      roles: ['x_imper_verify.integration'],
      impersonate: true,
    });
    atf.rest.sendRestRequest({
      $id: Now.ID['atf-events-post'],
      path: '/api/x_imper_verify/imper/events',
      method: 'post',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: `{"event_id":"atf-${inc.record_id}-passed","table":"incident","sys_id":"${inc.record_id}","status":"passed","risk_level":"verified","verification_id":"VRF-ATF001","action_status":"completed","work_note":"ATF: verification passed","resolve":{"close_notes":"ATF: password reset completed","close":true}}`,
    });
    atf.rest.assertStatusCode({
      $id: Now.ID['atf-events-post-status'],
      operation: 'equals',
      statusCode: 200,
    });
    atf.rest.assertJsonResponsePayloadElement({
      $id: Now.ID['atf-events-applied'],
      elementName: '/result/applied',
      operation: 'equals',
      elementValue: 'true',
    });
    atf.server.recordValidation({
      $id: Now.ID['atf-events-validate'],
      table: 'incident',
      recordId: inc.record_id,
      fieldValues:
        'x_imper_verify_status=passed^x_imper_verify_risk_level=verified^state=7^close_codeISNOTEMPTY',
      assert: 'record_validated',
    });
    atf.rest.sendRestRequest({
      $id: Now.ID['atf-events-repeat'],
      path: '/api/x_imper_verify/imper/events',
      method: 'post',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: `{"event_id":"atf-${inc.record_id}-passed","table":"incident","sys_id":"${inc.record_id}","status":"passed","risk_level":"verified","verification_id":"VRF-ATF001","action_status":"completed","work_note":"ATF: verification passed","resolve":{"close_notes":"ATF: password reset completed","close":true}}`,
    });
    atf.rest.assertJsonResponsePayloadElement({
      $id: Now.ID['atf-events-duplicate'],
      elementName: '/result/duplicate',
      operation: 'equals',
      elementValue: 'true',
    });
  },
);
