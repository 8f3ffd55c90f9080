// Names shared by the app's server modules: the scope, its tables, columns, properties and roles. Values match
// CONTRACTS.md and the Fluent metadata in src/fluent/.

export const SCOPE = 'x_imper_verify';
export const POLICY_TABLE = 'x_imper_verify_category_policy';
export const EVENT_TABLE = 'x_imper_verify_event';
/** The scripted REST API's base path (namespace = scope, serviceId = `imper`). */
export const API_BASE_PATH = '/api/x_imper_verify/imper';

export const COLUMNS = {
  verification: 'x_imper_verify_verification',
  status: 'x_imper_verify_status',
  riskLevel: 'x_imper_verify_risk_level',
  id: 'x_imper_verify_id',
  detailsUrl: 'x_imper_verify_details_url',
  attention: 'x_imper_verify_attention',
  action: 'x_imper_verify_action',
  actionStatus: 'x_imper_verify_action_status',
} as const;

export const PROPERTIES = {
  serviceUrl: 'x_imper_verify.service_url',
  launchSecret: 'x_imper_verify.launch_secret',
  launchLifetime: 'x_imper_verify.launch_token_lifetime',
  guardEnabled: 'x_imper_verify.guard_enabled',
} as const;

export const ROLES = {
  agent: 'x_imper_verify.agent',
  admin: 'x_imper_verify.admin',
  integration: 'x_imper_verify.integration',
} as const;

export const TICKET_STATUSES = [
  'required',
  'sent',
  'in_progress',
  'passed',
  'failed',
  'incomplete',
  'timed_out',
  'canceled',
] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];
export const RISK_LEVELS = ['verified', 'medium', 'high'] as const;
export const ACTIONS = ['none', 'password_reset', 'account_unlock', 'mfa_reset'] as const;
export type Action = (typeof ACTIONS)[number];
export const ACTION_STATUSES = ['not_started', 'completed', 'failed'] as const;

export const LAUNCH_AUDIENCE = 'imper-verify';
export const LAUNCH_MAX_LIFETIME_SECONDS = 120;
export const LAUNCH_DEFAULT_LIFETIME_SECONDS = 60;

/** The text the verification field and the UI action show. */
export const SEND_LINK_TEXT = 'imper.ai - Send Verification link';
