// The verification state machine: which event may move a verification from which state, as plain data.
import { FINAL_STATES, type TicketStatus, type VerificationState } from '@imper/shared';

export type VerificationEvent =
  | 'delivered_to_provider' // the first message left for the provider
  | 'resent' // a new link replaced the old one
  | 'started' // the requester consumed the link
  | 'decided_passed'
  | 'decided_failed'
  | 'incomplete'
  | 'timed_out'
  | 'canceled';

const TRANSITIONS: Record<VerificationEvent, Partial<Record<VerificationState, VerificationState>>> = {
  delivered_to_provider: { sending: 'sent', sent: 'sent' },
  resent: { sending: 'sending', sent: 'sending' },
  started: { sent: 'in_progress', sending: 'in_progress' },
  decided_passed: { in_progress: 'passed' },
  decided_failed: { in_progress: 'failed' },
  incomplete: { in_progress: 'incomplete' },
  timed_out: { sending: 'timed_out', sent: 'timed_out', in_progress: 'timed_out' },
  canceled: { sending: 'canceled', sent: 'canceled', in_progress: 'canceled' },
};

/** The next state, or null when the event is not allowed in this state. */
export function transition(state: VerificationState, event: VerificationEvent): VerificationState | null {
  return TRANSITIONS[event][state] ?? null;
}

/** States an event may start from (for conditional UPDATE … WHERE state IN (…)). */
export function statesAllowing(event: VerificationEvent): VerificationState[] {
  return Object.keys(TRANSITIONS[event]) as VerificationState[];
}

export const isFinal = (state: VerificationState): boolean => FINAL_STATES.includes(state);
export const isActive = (state: VerificationState): boolean => !isFinal(state);

/** What the ticket's `x_imper_verify_status` shows for a service state. */
export function ticketStatusFor(state: VerificationState): TicketStatus {
  return state === 'sending' ? 'sent' : state;
}
