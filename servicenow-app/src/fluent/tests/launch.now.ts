// ATF: the launch route redirects an agent to the service with a launch token and refuses users without a role.
import { Test } from '@servicenow/sdk/core';

Test(
  {
    $id: Now.ID['atf-launch'],
    name: 'imper.ai - launch',
    description:
      'GET /api/x_imper_verify/imper/launch answers 303 to <service>/agent/launch?token=… for an agent. Needs x_imper_verify.service_url and x_imper_verify.launch_secret set.',
    active: true,
    failOnServerError: true,
  },
  (atf) => {
    atf.server.createUser({
      $id: Now.ID['atf-launch-agent'],
      firstName: 'ATF',
      lastName: 'Launch Agent',
      roles: ['itil', 'x_imper_verify.agent'],
      impersonate: true,
    });
    const inc = atf.server.recordInsert({
      $id: Now.ID['atf-launch-insert'],
      table: 'incident',
      fieldValues: { short_description: 'ATF imper.ai launch', category: 'password_reset' },
    });
    atf.rest.sendRestRequest({
      $id: Now.ID['atf-launch-request'],
      path: '/api/x_imper_verify/imper/launch',
      method: 'get',
      queryParameters: { table: 'incident', sys_id: `${inc.record_id}` },
    });
    atf.rest.assertStatusCode({ $id: Now.ID['atf-launch-status'], operation: 'equals', statusCode: 303 });
    atf.rest.assertResponseHeader({
      $id: Now.ID['atf-launch-location'],
      headerName: 'Location',
      operation: 'contains',
      headerValue: '/agent/launch?token=',
    });
  },
);
