// Stable error codes every API answers with: `{ "error": { "code", "message" }, "requestId" }`.
// Clients and tests match on `code`; `message` is for people and may change.

export const ERROR_CODES = {
  // 400
  BAD_REQUEST: 400,
  VALIDATION_FAILED: 400,
  INVALID_DESTINATION: 400,
  INVALID_EMAIL: 400,
  INVALID_PHONE: 400,
  CURSOR_INVALID: 400, // F8 console list: a paging cursor that is not one the service issued
  SERVICENOW_CREDENTIALS_REJECTED: 400, // F8 §6: new ServiceNow credentials failed the connection test; not saved
  RISK_THRESHOLDS_INVALID: 400, // F8 §6 risk settings: not 0 < medium < high <= 10 with one decimal
  CSRF_FAILED: 403,
  // 401 / 403
  LAUNCH_TOKEN_INVALID: 401,
  LAUNCH_TOKEN_EXPIRED: 401,
  LAUNCH_TOKEN_REPLAYED: 401,
  AGENT_SESSION_REQUIRED: 401,
  CONSOLE_SESSION_REQUIRED: 401, // F8: no, an invalid or an expired console session
  CONSOLE_LOGIN_FAILED: 401, // F8: wrong user name, password or code (one answer for all, S8-style)
  CONSOLE_FORBIDDEN: 403, // F8: the console user's roles do not include one the route allows
  API_KEY_INVALID: 401, // F7: no, an unknown or a revoked API key
  API_KEY_SCOPE: 403, // F7: the API key lacks the scope the route needs
  FORBIDDEN: 403,
  TICKET_TABLE_NOT_SUPPORTED: 403, // a launch for a table no active category policy covers
  WEBHOOK_SIGNATURE_INVALID: 403,
  CONSOLE_SSO_FAILED: 400, // console SSO: the provider's answer did not validate (state, nonce, issuer, PKCE…)
  CONSOLE_NO_ROLE: 403, // console SSO: none of the user's groups maps to a console role
  // 404 / 405 / 409 / 410 / 413 / 415
  NOT_FOUND: 404,
  LINK_NOT_FOUND: 404,
  VERIFICATION_NOT_FOUND: 404,
  ATTESTATION_NOT_FOUND: 404, // the manager's step-up link is not known
  REPORT_LINK_NOT_FOUND: 404, // the "This wasn't me" link is not known
  TICKET_NOT_FOUND: 404, // the instance has no such ticket (or table) the integration user may read
  ACCOUNT_NOT_FOUND: 404, // F7 API start: no active account has that user name or email
  METHOD_NOT_ALLOWED: 405,
  VERIFICATION_ALREADY_ACTIVE: 409,
  VERIFICATION_FINISHED: 409,
  INVALID_STATE: 409,
  CONSOLE_LAST_ADMIN: 409, // F8 settings: the change would leave the tenant without an enabled console admin
  CHALLENGE_NOT_ACTIVE: 409, // no question waits for this requester session
  ACTION_NOT_AVAILABLE: 409, // the automated action was done, failed, or its window closed
  LINK_EXPIRED: 410,
  LINK_USED: 410,
  ATTESTATION_USED: 410,
  ATTESTATION_EXPIRED: 410,
  REPORT_LINK_USED: 410,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  NO_CONTACT_ON_FILE: 422, // F7 API start: the account has no contact on file of the channel asked (S9)
  ACTION_NOT_OFFERED: 422, // F7 API start: no active category policy offers the action asked
  // 429
  RATE_LIMITED: 429,
  TOO_MANY_ATTEMPTS: 429, // S5: the verification's submissions are used up (the verification fails)
  // 5xx (never for client input)
  SERVICENOW_UNAVAILABLE: 502,
  SERVICENOW_TIMEOUT: 504, // no answer within the request's ServiceNow budget
  DELIVERY_FAILED: 502,
  NOT_READY: 503,
  CONSOLE_SSO_UNAVAILABLE: 502, // console SSO: the tenant's OpenID Connect provider did not answer
  INTERNAL: 500,
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export interface ErrorBody {
  error: { code: ErrorCode; message: string };
  requestId?: string;
}
