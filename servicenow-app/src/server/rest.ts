// Route handlers of the scripted REST API "imper.ai" (/api/x_imper_verify/imper/…).
import type { RESTAPIRequest, RESTAPIResponse } from '@servicenow/glide/sn_ws_int';
import { applyVerificationEvent } from './events';
import { launchFor } from './launch';

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
  response.setStatus(result.status);
  response.setBody({ error: { message: result.message, detail: null }, status: 'failure' } as never);
}

/** POST /events — applies one verification event (idempotent by event_id). */
export function eventsRoute(request: RESTAPIRequest, response: RESTAPIResponse): void {
  const result = applyVerificationEvent(request.body ? request.body.data : null);
  response.setStatus(result.status);
  response.setBody((result.status === 200 ? { result: result.body } : { ...result.body, status: 'failure' }) as never);
}
