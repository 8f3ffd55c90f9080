// Route handlers of the scripted REST API "imper.ai" (/api/x_imper_verify/imper/…). The instance wraps what
// `setBody` gets in `{"result": …}`; errors go through `setError` and so get the instance's error envelope
// `{"error":{"message","detail"},"status":"failure"}`.
import type { RESTAPIRequest, RESTAPIResponse } from '@servicenow/glide/sn_ws_int';
import { ServiceError } from '@servicenow/glide/sn_ws_err';
import { closeTicket } from './close';
import { applyVerificationEvent } from './events';
import { launchFor } from './launch';

function fail(response: RESTAPIResponse, status: number, message: string, detail: string | null): void {
  const error = new ServiceError();
  error.setStatus(status);
  error.setMessage(message);
  if (detail) error.setDetail(detail);
  response.setError(error);
}

/** GET /launch?table=…&sys_id=… — mints a launch token for the calling agent and redirects to the service. */
export function launchRoute(request: RESTAPIRequest, response: RESTAPIResponse): void {
  const q = request.queryParams as Record<string, string | string[] | undefined>;
  const first = (v: string | string[] | undefined) => String((Array.isArray(v) ? v[0] : v) ?? '');
  const result = launchFor(first(q.table), first(q.sys_id));
  if (result.ok) {
    response.setStatus(303);
    response.setHeader('Location', result.location);
    response.setHeader('Cache-Control', 'no-store');
    return;
  }
  fail(response, result.status, result.message, null);
}

/** POST /events — applies one verification event (idempotent by event_id). */
export function eventsRoute(request: RESTAPIRequest, response: RESTAPIResponse): void {
  const result = applyVerificationEvent(request.body ? request.body.data : null);
  if (result.status === 200) {
    response.setStatus(200);
    response.setBody(result.body as never);
    return;
  }
  fail(response, result.status, result.body.error.message, result.body.error.detail);
}

/** POST /close — resolves and closes a ticket whose automated action completed (idempotent). */
export function closeRoute(request: RESTAPIRequest, response: RESTAPIResponse): void {
  const result = closeTicket(request.body ? request.body.data : null);
  if (result.status === 200) {
    response.setStatus(200);
    response.setBody(result.body as never);
    return;
  }
  fail(response, result.status, result.body.error.message, result.body.error.detail);
}
