// The verification's lifecycle, as plain data: for every event, the states it may leave from, the state it enters
// and the side effects it has. `services/lifecycle.ts` applies an event (conditional UPDATE on `statesAllowing`, then
// exactly the effects declared here, in the caller's transaction); services never list states themselves.
//
// The flow is a sequence of steps: delivery → link (opened) → started → silent checks → challenge → step-up →
// decision → action. The service STATE (the `state` column, shared VERIFICATION_STATES, the ticket's status) only
// changes at the edges: sending/sent while the link is out, in_progress from Start until the decision, then a final
// state. The steps in between are a separate dimension, `step`, that every event names. Today the steps from
// `started` to `decision` run within Start's one transaction, so no step needs storing yet.
//
// Adding a step (e.g. a challenge that waits for answers):
//   1. add its name to VERIFICATION_STEPS (in flow order) if it is not there;
//   2. add its events to EVENTS below — an in-progress step stays in `in_progress` (`to: 'same'`) and declares
//      whether it revokes links, which ticket event kind it writes back (or null) and which audit event it appends;
//   3. call `applyEvent(trx, deps, verification, '<event>', …)` from the service that runs the step.
// A step that must survive between requests (the challenge is pending until answered or timed out) also needs the
// step stored: a nullable `step` column (one migration), `fromSteps` on its events, and the same condition in
// `transitionVerification`'s UPDATE — all within this module, the lifecycle and the repository. A new service STATE
// is a contract change (shared enums, CONTRACTS.md, `ticketStatusFor`), not a local one.
import {
  FINAL_STATES,
  type Channel,
  type TicketStatus,
  type VerificationState,
  type WebhookEventType,
} from '@imper/shared';
import type { WritebackKind } from './ticket-fields';
import type { InitiatedBy } from './risk/context';

/** The steps of a verification, in flow order. */
export const VERIFICATION_STEPS = [
  'delivery', // the link is (re)sent to the requester
  'link', // the requester opened the link (no state change: a GET never consumes it)
  'started', // Start consumed the link
  'silent_checks', // network, device, behaviour
  'challenge', // knowledge questions, pending until answered or timed out
  'step_up', // the manager attests (Medium risk, destination not on file)
  'decision', // the outcome
  'action', // the automated action after Passed at Verified (password reset, unlock, MFA reset)
  'closed', // ended before a decision: canceled or timed out
] as const;
export type VerificationStep = (typeof VERIFICATION_STEPS)[number];

/** The steps that wait between requests, stored in the `step` column while the state is in_progress. */
export const STORED_STEPS = ['challenge', 'step_up'] as const satisfies readonly VerificationStep[];
export type StoredStep = (typeof STORED_STEPS)[number];

export type AuditActor = 'agent' | 'requester' | 'manager' | 'system';

export interface EventSpec {
  /** The step this event belongs to. */
  step: VerificationStep;
  /** The states the event may leave from (the conditional UPDATE's `state IN (…)`). */
  from: readonly VerificationState[];
  /** The stored steps it may leave from (`step IN (…)`); absent = any step. */
  fromSteps?: readonly StoredStep[];
  /** The stored step it enters; absent = the step stays as it is (a final state clears it). */
  toStep?: StoredStep | null;
  /** The state it enters; `'same'` for an event that leaves the state as it is (within a step). */
  to: VerificationState | 'same';
  /** Revoke every unused link of the verification. */
  revokeLinks: boolean;
  /** The ticket event written back through the outbox (R1), from the moved verification; null for none. */
  ticket: WritebackKind | ((moved: Pick<Verification, 'sends'>) => WritebackKind) | null;
  /** The audit event appended (last in the transaction, S21); null when the caller records a fact of its own. */
  audit: { type: string; actor: AuditActor } | null;
  /** For a verification an API key started: the webhook event queued (outbox, R1) when the key has a webhook. */
  webhook?: WebhookEventType;
}

export const EVENTS = {
  // The provider accepted a message. `message.sent` is the caller's (it is audited even when the state moved on).
  delivered_to_provider: {
    step: 'delivery',
    from: ['sending'],
    to: 'sent',
    revokeLinks: false,
    ticket: (moved) => (moved.sends > 1 ? 'resent' : 'sent'),
    audit: null,
  },
  // A message could not be delivered: the agent is asked to resend (`message.failed` is the caller's).
  delivery_failed: {
    step: 'delivery',
    from: ['sending', 'sent'],
    to: 'same',
    revokeLinks: false,
    ticket: 'delivery_failed',
    audit: null,
  },
  // The agent asked for a new link; the ticket hears of it when the message is out (`resent`).
  resent: {
    step: 'delivery',
    from: ['sending', 'sent'],
    to: 'sending',
    revokeLinks: true,
    ticket: null,
    audit: { type: 'verification.resend_requested', actor: 'agent' },
  },
  started: {
    step: 'started',
    from: ['sending', 'sent'],
    to: 'in_progress',
    toStep: 'challenge',
    revokeLinks: false,
    ticket: 'in_progress',
    audit: { type: 'verification.started', actor: 'requester' },
  },
  // One answer recorded (the submission was counted first, S5). The audit names the question's kind and position,
  // never whether it was right.
  answered: {
    step: 'challenge',
    from: ['in_progress'],
    fromSteps: ['challenge'],
    to: 'same',
    revokeLinks: false,
    ticket: null,
    audit: { type: 'challenge.answered', actor: 'requester' },
  },
  // The decision needs the manager's attestation (typed destination, Medium): the verification waits for it.
  step_up_requested: {
    step: 'step_up',
    from: ['in_progress'],
    fromSteps: ['challenge'],
    to: 'same',
    toStep: 'step_up',
    revokeLinks: false,
    ticket: null,
    audit: { type: 'stepup.requested', actor: 'system' },
  },
  step_up_answered: {
    step: 'step_up',
    from: ['in_progress'],
    fromSteps: ['step_up'],
    to: 'same',
    revokeLinks: false,
    ticket: null,
    audit: { type: 'stepup.answered', actor: 'manager' },
  },
  decided_passed: {
    step: 'decision',
    from: ['in_progress'],
    to: 'passed',
    revokeLinks: true,
    ticket: 'outcome',
    audit: { type: 'verification.decided', actor: 'system' },
    webhook: 'verification.completed',
  },
  decided_failed: {
    step: 'decision',
    from: ['in_progress'],
    to: 'failed',
    revokeLinks: true,
    ticket: 'outcome',
    audit: { type: 'verification.decided', actor: 'system' },
    webhook: 'verification.completed',
  },
  incomplete: {
    step: 'decision',
    from: ['in_progress'],
    to: 'incomplete',
    revokeLinks: true,
    ticket: 'outcome',
    audit: { type: 'verification.decided', actor: 'system' },
    webhook: 'verification.completed',
  },
  // The automated action after Passed at Verified ran (S13: once, claimed by a conditional UPDATE first). The state
  // stays passed; the ticket hears the action's status (and is resolved and closed when the policy says so).
  action_completed: {
    step: 'action',
    from: ['passed'],
    to: 'same',
    revokeLinks: false,
    ticket: 'action_completed',
    audit: { type: 'action.completed', actor: 'requester' },
    webhook: 'verification.action_completed',
  },
  // The directory refused or failed: nothing half done; the ticket's attention says so (fail closed).
  action_failed: {
    step: 'action',
    from: ['passed'],
    to: 'same',
    revokeLinks: false,
    ticket: 'action_failed',
    audit: { type: 'action.failed', actor: 'system' },
    webhook: 'verification.action_failed',
  },
  // "This wasn't me" from a contact on file after the action (S11): flagged for security, attention on the ticket.
  reported_not_me: {
    step: 'action',
    from: ['passed'],
    to: 'same',
    revokeLinks: false,
    ticket: 'reported',
    audit: { type: 'action.reported', actor: 'requester' },
  },
  timed_out: {
    step: 'closed',
    from: ['sending', 'sent', 'in_progress'],
    to: 'timed_out',
    revokeLinks: true,
    ticket: 'timed_out',
    audit: { type: 'verification.timed_out', actor: 'system' },
    webhook: 'verification.completed',
  },
  canceled: {
    step: 'closed',
    from: ['sending', 'sent', 'in_progress'],
    to: 'canceled',
    revokeLinks: true,
    ticket: 'canceled',
    audit: { type: 'verification.canceled', actor: 'agent' },
    webhook: 'verification.completed',
  },
} as const satisfies Record<string, EventSpec>;

export type VerificationEvent = keyof typeof EVENTS;
export const VERIFICATION_EVENTS = Object.keys(EVENTS) as VerificationEvent[];

export const eventSpec = (event: VerificationEvent): EventSpec => EVENTS[event];

/** The stored step after an event: its own, none once the state is final, else unchanged (undefined). */
export function stepAfter(event: VerificationEvent, to: VerificationState): StoredStep | null | undefined {
  const spec = eventSpec(event);
  if (spec.toStep !== undefined) return spec.toStep;
  return FINAL_STATES.includes(to) ? null : undefined;
}

/** The next state, or null when the event is not allowed in this state. */
export function transition(state: VerificationState, event: VerificationEvent): VerificationState | null {
  const spec = eventSpec(event);
  if (!spec.from.includes(state)) return null;
  return spec.to === 'same' ? state : spec.to;
}

/** States an event may start from (for conditional UPDATE … WHERE state IN (…)). */
export function statesAllowing(event: VerificationEvent): VerificationState[] {
  return [...eventSpec(event).from];
}

/** The event that records a decision's outcome. */
export function decidedEvent(outcome: 'passed' | 'failed' | 'incomplete'): VerificationEvent {
  return outcome === 'incomplete' ? 'incomplete' : outcome === 'passed' ? 'decided_passed' : 'decided_failed';
}

export const isFinal = (state: VerificationState): boolean => FINAL_STATES.includes(state);
export const isActive = (state: VerificationState): boolean => !isFinal(state);

/** What the ticket's `x_imper_verify_status` shows for a service state. */
export function ticketStatusFor(state: VerificationState): TicketStatus {
  return state === 'sending' ? 'sent' : state;
}

// ── domain objects (the repository maps rows to these; no snake_case past it) ────────────────────────────────

export interface Verification {
  id: string;
  publicId: string;
  tenantId: string;
  state: VerificationState;
  /** The stored sub-step of in_progress (challenge, step_up); null otherwise. */
  step: StoredStep | null;
  ticketTable: string;
  ticketSysId: string;
  ticketNumber: string;
  ticketSubject: string;
  ticketCategory: string;
  /** The ticket's description at creation, for the console's details (F8) */
  ticketDescription: string;
  requesterSysId: string | null;
  requesterName: string;
  /** The requester's email on file at creation, sealed (S19; '' when unknown), for the console's table (F8) */
  requesterEmailSealed: string;
  /** HMAC of the lower-cased email, for the console's exact email search; null when unknown */
  requesterEmailHash: Buffer | null;
  requesterUserName: string;
  agentUserName: string;
  agentName: string;
  /** Who started it: an agent from the ticket, the self-service page, or a system through the API (F7) */
  initiatedBy: InitiatedBy;
  /** The API key that started it (its webhook is told of the outcome); null otherwise */
  apiKeyId: string | null;
  channel: Channel;
  destinationSealed: string;
  destinationMasked: string;
  destinationHash: Buffer;
  destinationKey: string | null;
  destinationOnFile: boolean;
  outcome: string | null;
  riskLevel: string | null;
  riskScore: number | null;
  recommendation: string | null;
  reasons: string[];
  action: string;
  actionStatus: string;
  /** Resolve and close the ticket when the action completes (category policy) */
  autoClose: boolean;
  actionStartedAt: Date | null;
  actionCompletedAt: Date | null;
  /** The directory's refusal or failure, in plain words (never a password) */
  actionError: string | null;
  /** Someone on the account's contacts reported "This wasn't me" after the action (S11) */
  flaggedAt: Date | null;
  attention: string | null;
  requesterSessionHash: Buffer | null;
  /** The silent checks taken at Start (RiskContext as JSON); null before Start. */
  riskContext: unknown;
  /** The analysis report for the console; null until decided. */
  report: unknown;
  transcriptSealed: string | null;
  callCodeSealed: string | null;
  sends: number;
  createdAt: Date;
  updatedAt: Date;
  startedAt: Date | null;
  completedAt: Date | null;
  deadlineAt: Date;
}

/** What a new verification is created with (the rest has defaults). */
export type NewVerification = Omit<
  Verification,
  | 'id'
  | 'state'
  | 'step'
  | 'riskContext'
  | 'report'
  | 'transcriptSealed'
  | 'callCodeSealed'
  | 'outcome'
  | 'riskLevel'
  | 'riskScore'
  | 'recommendation'
  | 'reasons'
  | 'action'
  | 'actionStatus'
  | 'autoClose'
  | 'initiatedBy'
  | 'apiKeyId'
  | 'actionStartedAt'
  | 'actionCompletedAt'
  | 'actionError'
  | 'flaggedAt'
  | 'attention'
  | 'requesterSessionHash'
  | 'sends'
  | 'createdAt'
  | 'updatedAt'
  | 'startedAt'
  | 'completedAt'
  | 'requesterEmailSealed'
  | 'requesterEmailHash'
  | 'ticketDescription'
> &
  Partial<
    Pick<
      Verification,
      | 'state'
      | 'outcome'
      | 'riskLevel'
      | 'riskScore'
      | 'recommendation'
      | 'reasons'
      | 'attention'
      | 'createdAt'
      | 'startedAt'
      | 'completedAt'
      | 'callCodeSealed'
      | 'action'
      | 'autoClose'
      | 'initiatedBy'
      | 'apiKeyId'
      | 'requesterEmailSealed'
      | 'requesterEmailHash'
      | 'ticketDescription'
    >
  >;

/** What an event may change besides the state. */
export type VerificationChanges = Partial<
  Pick<
    Verification,
    | 'outcome'
    | 'riskLevel'
    | 'riskScore'
    | 'recommendation'
    | 'reasons'
    | 'attention'
    | 'startedAt'
    | 'completedAt'
    | 'requesterSessionHash'
    | 'sends'
    | 'deadlineAt'
    | 'riskContext'
    | 'report'
    | 'transcriptSealed'
    | 'callCodeSealed'
    | 'actionStatus'
    | 'actionStartedAt'
    | 'actionCompletedAt'
    | 'actionError'
    | 'flaggedAt'
  >
> & { step?: StoredStep | null };

export interface VerificationLink {
  id: string;
  tenantId: string;
  verificationId: string;
  tokenHash: Buffer;
  expiresAt: Date;
  fetchedAt: Date | null;
  openedAt: Date | null;
  usedAt: Date | null;
  revokedAt: Date | null;
  createdAt: Date;
}

export interface Delivery {
  id: string;
  tenantId: string;
  verificationId: string;
  linkId: string | null;
  channel: string;
  provider: string;
  providerMessageId: string | null;
  status: string;
  errorCode: string | null;
  errorMessage: string | null;
  createdAt: Date;
  updatedAt: Date;
}
