// What the ticket shows for a verification (CONTRACTS.md "Ticket columns") and the work note each event adds.
import { TICKET_COLUMNS as C, type VerificationState } from '@imper/shared';
import { oneLine } from '../lib/text';
import { ticketStatusFor } from './verification';

export interface TicketView {
  publicId: string;
  state: VerificationState;
  riskLevel: string | null;
  attention: string | null;
  detailsUrl: string;
  hasOutcome: boolean;
  /** The requested automated action and its status (CONTRACTS.md choices) */
  action: string;
  actionStatus: string;
}

/** Column values for the verification's current state. Always the whole set, so applying it is idempotent and
 * the newest state wins whatever order writes arrive in. */
export function ticketFieldsFor(v: TicketView): Record<string, string> {
  const fields: Record<string, string> = {
    [C.status]: ticketStatusFor(v.state),
    [C.id]: v.publicId,
    [C.detailsUrl]: v.detailsUrl,
    [C.riskLevel]: v.riskLevel ?? '',
    [C.attention]: v.attention ?? '',
    [C.action]: v.action,
    [C.actionStatus]: v.actionStatus,
  };
  if (v.hasOutcome) fields[C.verification] = v.detailsUrl;
  return fields;
}

export type WritebackKind =
  | 'sent'
  | 'resent'
  | 'delivery_failed'
  | 'in_progress'
  | 'outcome'
  | 'canceled'
  | 'timed_out'
  | 'action_completed'
  | 'action_failed'
  | 'reported';

/** The work note for an event: one line, whatever the agent's name, the provider's reason or any other value holds. */
export function workNoteFor(
  kind: WritebackKind,
  raw: {
    publicId: string;
    agentName: string;
    channel: string;
    destinationMasked: string;
    /** False when the agent typed the destination (S9): the note says so, for whoever reads the ticket later. */
    destinationOnFile?: boolean;
    outcome?: string | null;
    riskLevel?: string | null;
    recommendation?: string | null;
    reason?: string | null;
    action?: string | null;
  },
): string {
  // Every value is one-lined (no CR/LF, separators or controls), so none can forge an extra journal line.
  const d = Object.fromEntries(
    Object.entries(raw).map(([k, v]) => [k, typeof v === 'string' ? oneLine(v) : v]),
  ) as typeof raw;
  return oneLine(noteText(kind, d));
}

function noteText(kind: WritebackKind, d: Parameters<typeof workNoteFor>[1]): string {
  const channel = d.channel === 'sms' ? 'SMS' : 'email';
  switch (kind) {
    case 'sent':
      return `imper.ai verification ${d.publicId}: ${d.agentName} sent a verification link by ${channel} to ${d.destinationMasked}${notOnFile(d)}.`;
    case 'resent':
      return `imper.ai verification ${d.publicId}: ${d.agentName} sent a new verification link by ${channel} to ${d.destinationMasked}${notOnFile(d)}; the earlier link no longer works.`;
    case 'delivery_failed':
      return `imper.ai verification ${d.publicId}: the ${channel} to ${d.destinationMasked} could not be delivered (${d.reason ?? 'provider error'}). Resend it or use another channel.`;
    case 'in_progress':
      return `imper.ai verification ${d.publicId}: the requester opened the link and started verification.`;
    case 'outcome':
      return `imper.ai verification ${d.publicId}: ${OUTCOME_LABELS[d.outcome ?? ''] ?? 'Failed'}, risk level ${capital(d.riskLevel ?? '')}. ${d.recommendation ?? ''}`.trim();
    case 'canceled':
      return `imper.ai verification ${d.publicId}: canceled by ${d.agentName}; the link no longer works.`;
    case 'action_completed':
      return `imper.ai verification ${d.publicId}: the requester completed the ${actionLabel(d.action)} on the verification portal.`;
    case 'action_failed':
      return `imper.ai verification ${d.publicId}: the ${actionLabel(d.action)} could not be completed (${d.reason ?? 'directory error'}). Help the requester another way.`;
    case 'reported':
      return `imper.ai verification ${d.publicId}: SECURITY - a contact on file reported that they did not ask for the ${actionLabel(d.action)}. Treat the account as compromised and review this request.`;
    case 'timed_out':
      return `imper.ai verification ${d.publicId}: timed out - the requester did not complete verification in time. Send a new link if still needed.`;
  }
}

const ACTION_LABELS: Record<string, string> = {
  password_reset: 'password reset',
  account_unlock: 'account unlock',
  mfa_reset: 'MFA reset',
};
const actionLabel = (a: string | null | undefined) => ACTION_LABELS[a ?? ''] ?? 'automated action';

const OUTCOME_LABELS: Record<string, string> = {
  passed: 'Passed',
  failed: 'Failed',
  incomplete: 'Incomplete (not enough questions could be asked)',
};

const notOnFile = (d: { destinationOnFile?: boolean }) =>
  d.destinationOnFile === false ? ' (typed by the agent: not a contact on file)' : '';

const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
