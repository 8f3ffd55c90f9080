// Scripted REST API /api/x_imper_verify/imper. Every route names its ACL in enforceAcl: a route without it
// silently gets the SDK's default ACL even when the API has one.
import { RestApi } from '@servicenow/sdk/core';
import { closeRoute, eventsRoute, launchRoute } from '../../server/rest';
import { closeEndpointAcl } from '../acls/close-endpoint.now';
import { eventsEndpointAcl } from '../acls/events-endpoint.now';
import { launchEndpointAcl } from '../acls/launch-endpoint.now';

RestApi({
  $id: Now.ID['rest-api-imper'],
  name: 'imper.ai',
  serviceId: 'imper',
  shortDescription: 'Launch for agents; verification events and automated close from the imper.ai service',
  consumes: 'application/json',
  produces: 'application/json',
  routes: [
    {
      $id: Now.ID['rest-route-launch'],
      name: 'launch',
      method: 'GET',
      path: '/launch',
      shortDescription:
        'Mints a launch token for the calling agent and redirects (303) to the service send page',
      authentication: true,
      authorization: true,
      enforceAcl: [launchEndpointAcl],
      parameters: [
        {
          $id: Now.ID['rest-route-launch-table'],
          name: 'table',
          required: true,
          exampleValue: 'incident',
          shortDescription: 'Ticket table',
        },
        {
          $id: Now.ID['rest-route-launch-sys-id'],
          name: 'sys_id',
          required: true,
          shortDescription: 'Ticket sys_id',
        },
      ],
      script: launchRoute,
    },
    {
      $id: Now.ID['rest-route-events'],
      name: 'events',
      method: 'POST',
      path: '/events',
      shortDescription: 'Applies one verification event to a ticket (idempotent by event_id)',
      authentication: true,
      authorization: true,
      enforceAcl: [eventsEndpointAcl],
      requestExample:
        '{"event_id":"evt-1","table":"incident","sys_id":"…","status":"passed","risk_level":"verified","action_status":"completed","work_note":"…","resolve":{"close_notes":"…","close":true}}',
      script: eventsRoute,
    },
    {
      $id: Now.ID['rest-route-close'],
      name: 'close',
      method: 'POST',
      path: '/close',
      shortDescription:
        'Resolves (close code from sys_choice, close notes, one work note) and closes an incident whose automated action completed; idempotent',
      authentication: true,
      authorization: true,
      enforceAcl: [closeEndpointAcl],
      requestExample:
        '{"table":"incident","sys_id":"…","verification_id":"VRF-7Q2K9M","close_notes":"Password reset by the requester after a passed imper.ai verification."}',
      script: closeRoute,
    },
  ],
});
