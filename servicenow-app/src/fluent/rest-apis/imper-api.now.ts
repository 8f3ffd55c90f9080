// Scripted REST API /api/x_imper_verify/imper. Every route names its ACL in enforceAcl: a route without it
// silently gets the SDK's default ACL even when the API has one.
import { RestApi } from '@servicenow/sdk/core';
import { eventsRoute, launchRoute } from '../../server/rest';
import { eventsEndpointAcl } from '../acls/events-endpoint.now';
import { launchEndpointAcl } from '../acls/launch-endpoint.now';

RestApi({
  $id: Now.ID['rest-api-imper'],
  name: 'imper.ai',
  serviceId: 'imper',
  shortDescription: 'Launch for agents and verification events from the imper.ai service',
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
  ],
});
