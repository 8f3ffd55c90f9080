// Every enum the parts share. Values are the wire values (and the ServiceNow choice values) — never rename one
// without every side that uses it (CONTRACTS.md).

export const CHANNELS = ['email', 'sms'] as const;
export type Channel = (typeof CHANNELS)[number];

/** Life of a verification inside the service. */
export const VERIFICATION_STATES = [
  'sending', // created, first link being delivered
  'sent', // a link is out and unused
  'in_progress', // the requester started (link consumed)
  'passed',
  'failed',
  'incomplete',
  'timed_out',
  'canceled',
] as const;
export type VerificationState = (typeof VERIFICATION_STATES)[number];
export const FINAL_STATES: readonly VerificationState[] = [
  'passed',
  'failed',
  'incomplete',
  'timed_out',
  'canceled',
];

/** `x_imper_verify_status` on the ticket. */
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
export type RiskLevel = (typeof RISK_LEVELS)[number];

export const OUTCOMES = ['passed', 'failed', 'incomplete', 'timed_out'] as const;
export type Outcome = (typeof OUTCOMES)[number];

export const ACTIONS = ['none', 'password_reset', 'account_unlock', 'mfa_reset'] as const;
export type Action = (typeof ACTIONS)[number];

export const ACTION_STATUSES = ['not_started', 'completed', 'failed'] as const;
export type ActionStatus = (typeof ACTION_STATUSES)[number];

/** Delivery of one message, as the providers report it (normalised). */
export const DELIVERY_STATUSES = ['queued', 'sent', 'delivered', 'failed', 'opened'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

export const DELIVERY_PROVIDERS = ['sendgrid', 'twilio', 'dev'] as const;
export type DeliveryProvider = (typeof DELIVERY_PROVIDERS)[number];

/** Ticket columns the app adds to `task` (CONTRACTS.md). */
export const TICKET_COLUMNS = {
  verification: 'x_imper_verify_verification',
  status: 'x_imper_verify_status',
  riskLevel: 'x_imper_verify_risk_level',
  id: 'x_imper_verify_id',
  detailsUrl: 'x_imper_verify_details_url',
  attention: 'x_imper_verify_attention',
  action: 'x_imper_verify_action',
  actionStatus: 'x_imper_verify_action_status',
} as const;

export const LAUNCH_AUDIENCE = 'imper-verify';
export const LAUNCH_MAX_LIFETIME_SECONDS = 120;
