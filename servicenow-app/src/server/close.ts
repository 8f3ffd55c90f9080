// Automated close (scripted REST `POST /api/x_imper_verify/imper/close`, issue 10 §3): when the category policy
// says auto_close and the verification's automated action completed, the imper.ai service asks the app to resolve
// the incident with a valid close code (read from sys_choice) and close notes, then close it.
//
// Privilege. The route runs as the calling integration user, as every scripted REST script does. Closing an
// incident is restricted by ACL (out of the box `itil_admin`/admin; the Table API refuses the integration user),
// and this script writes through `GlideRecord`, which does not evaluate ACLs (`GlideRecordSecure` would), so the
// one thing the integration role gains is this route, and only under its own checks: the ticket's
// `x_imper_verify_action_status` is `completed`, its `x_imper_verify_id` is the caller's verification, and its
// category policy says auto_close. Business rules (the verification guard among them) and the resolve data
// policy still apply to the writes, for the calling user.
//
// Idempotent: an already closed ticket answers `{closed: true, already: true}` and nothing is written; the work
// note carries a marker (`[imper.ai VRF-… close]`) and is written only when no entry holds it yet, so a retry
// after a half-done attempt (resolved, not closed) closes without a second note.
import { GlideRecord, gs } from '@servicenow/glide';
import { COLUMNS, ROLES } from './constants';
import { closeCodesFor } from './events';
import { policyForTicket, tableAncestry } from './policy';

export const INCIDENT_RESOLVED = '6';
export const INCIDENT_CLOSED = '7';
export const INCIDENT_CANCELED = '8';

/** Close codes that say the request was solved, best first (older releases, then Utah and later). */
export const PREFERRED_CLOSE_CODES = [
  'Solved Remotely (Permanently)',
  'Solved (Permanently)',
  'Solution provided',
] as const;

export interface CloseRequest {
  table: string;
  sys_id: string;
  verification_id: string;
  close_notes: string;
}

export type CloseResult =
  | { status: 200; body: { closed: true; already: boolean; close_code: string; number: string } }
  | { status: 400 | 403 | 404 | 409 | 422; body: { error: { message: string; detail: string | null } } };

const fail = (
  status: 400 | 403 | 404 | 409 | 422,
  message: string,
  detail: string | null = null,
): CloseResult => ({ status, body: { error: { message, detail } } });

/** Public verification IDs (`VRF-7Q2K9M`): also keeps `^` and `,` out of the journal query. */
const VERIFICATION_ID = /^VRF-[A-Z0-9]{4,32}$/;

/** Pure: checks the body. */
export function parseCloseRequest(body: unknown): { request: CloseRequest } | { problems: string[] } {
  if (!body || typeof body !== 'object' || Array.isArray(body))
    return { problems: ['body must be a JSON object'] };
  const b = body as Record<string, unknown>;
  const problems: string[] = [];
  if (typeof b.table !== 'string' || !/^[a-z0-9_]{1,80}$/.test(b.table)) problems.push('table is required');
  if (typeof b.sys_id !== 'string' || !/^[0-9a-f]{32}$/.test(b.sys_id)) problems.push('sys_id is required');
  if (typeof b.verification_id !== 'string' || !VERIFICATION_ID.test(b.verification_id))
    problems.push('verification_id is required (VRF-…)');
  if (typeof b.close_notes !== 'string' || !b.close_notes.trim() || b.close_notes.length > 4000)
    problems.push('close_notes is required (at most 4000 characters)');
  return problems.length ? { problems } : { request: b as unknown as CloseRequest };
}

/** Pure: the close code to use among the table's active ones: a "solved" code if there is one, else the first. */
export function chooseCloseCode(valid: readonly string[]): string | null {
  for (const preferred of PREFERRED_CLOSE_CODES) if (valid.indexOf(preferred) >= 0) return preferred;
  for (const code of valid) if (/solved|solution/i.test(code) && !/^not /i.test(code)) return code;
  return valid.length ? (valid[0] as string) : null;
}

/** The marker identifying the close note of a verification among the ticket's work notes. */
export const closeMarker = (verificationId: string): string => `[imper.ai ${verificationId} close]`;

/** Pure: the work note written with the resolve. */
export function closeNoteText(verificationId: string, action: string, closeCode: string): string {
  const what =
    action && action !== 'none'
      ? `The automated action ${action} completed`
      : 'The automated action completed';
  return `${closeMarker(verificationId)} ${what} after a passed identity verification; imper.ai resolved this ticket (close code "${closeCode}") and closed it.`;
}

export interface TicketFacts {
  state: string;
  verificationId: string;
  actionStatus: string;
  autoClose: boolean;
}

export type ClosePlan =
  | { kind: 'already' }
  | { kind: 'refuse'; status: 403 | 409; message: string }
  | { kind: 'close'; resolve: boolean };

/** Pure: what the route does with a ticket, for a caller presenting `verificationId`. */
export function planClose(t: TicketFacts, verificationId: string, isIntegration: boolean): ClosePlan {
  if (!isIntegration)
    return {
      kind: 'refuse',
      status: 403,
      message: 'Only the imper.ai integration user may close tickets through this route.',
    };
  if (t.verificationId !== verificationId)
    return {
      kind: 'refuse',
      status: 409,
      message: `The ticket's imper.ai verification is ${t.verificationId ? `"${t.verificationId}"` : 'not set'}, not "${verificationId}".`,
    };
  if (t.state === INCIDENT_CLOSED) return { kind: 'already' };
  if (t.state === INCIDENT_CANCELED)
    return { kind: 'refuse', status: 409, message: 'The ticket was canceled; imper.ai does not close it.' };
  if (t.actionStatus !== 'completed')
    return {
      kind: 'refuse',
      status: 409,
      message: `The automated action has not completed (x_imper_verify_action_status is "${t.actionStatus || 'empty'}").`,
    };
  if (!t.autoClose)
    return {
      kind: 'refuse',
      status: 409,
      message: "The ticket's category policy does not say auto_close.",
    };
  return { kind: 'close', resolve: t.state !== INCIDENT_RESOLVED };
}

/** Whether a work note of the ticket holds `marker` (the entry's text is checked, not only the query). */
export function hasNote(sysId: string, marker: string): boolean {
  const j = new GlideRecord('sys_journal_field');
  j.addQuery('element_id', sysId);
  j.addQuery('element', 'work_notes');
  j.addQuery('value', 'LIKE', marker);
  j.query();
  while (j.next()) if ((j.getValue('value') || '').indexOf(marker) >= 0) return true;
  return false;
}

const REFUSED =
  'A business rule or data policy refused the update; see the ticket and the instance log (imper.ai: close).';

export function closeTicket(body: unknown): CloseResult {
  const parsed = parseCloseRequest(body);
  if ('problems' in parsed) return fail(400, 'Bad request', parsed.problems.join('; '));
  const r = parsed.request;
  // hasRole is true for admin on every role, as the guard counts it.
  const isIntegration = gs.hasRole(ROLES.integration);
  const ticket = new GlideRecord(r.table);
  if (!ticket.isValid()) return fail(400, 'Bad request', `table ${r.table} is not a table`);
  // Incidents (and tables extending incident) only: their states 6/7 and close codes.
  if (tableAncestry(r.table).indexOf('incident') < 0)
    return fail(400, 'Bad request', `${r.table} is not an incident table`);
  if (!ticket.get(r.sys_id)) return fail(404, 'No Record found');

  const plan = planClose(
    {
      state: ticket.getValue('state') || '',
      verificationId: ticket.getValue(COLUMNS.id) || '',
      actionStatus: ticket.getValue(COLUMNS.actionStatus) || '',
      autoClose: policyForTicket(ticket).autoClose,
    },
    r.verification_id,
    isIntegration,
  );
  const number = ticket.getValue('number') || '';
  if (plan.kind === 'refuse') return fail(plan.status, 'Operation Failed', plan.message);
  if (plan.kind === 'already')
    return {
      status: 200,
      body: { closed: true, already: true, close_code: ticket.getValue('close_code') || '', number },
    };

  const codes = closeCodesFor(ticket.getTableName());
  const current = ticket.getValue('close_code') || '';
  const code = current && codes.indexOf(current) >= 0 ? current : chooseCloseCode(codes);
  if (!code) return fail(422, 'Cannot resolve', `no active close_code choices for ${r.table} in sys_choice`);

  const marker = closeMarker(r.verification_id);
  const note = hasNote(r.sys_id, marker)
    ? ''
    : closeNoteText(r.verification_id, ticket.getValue(COLUMNS.action) || '', code);
  if (plan.resolve || code !== current || !ticket.getValue('close_notes')) {
    ticket.setValue('state', INCIDENT_RESOLVED);
    ticket.setValue('close_code', code);
    ticket.setValue('close_notes', r.close_notes);
    if (note) ticket.setValue('work_notes', note);
    if (!ticket.update()) {
      gs.warn(`imper.ai: close: resolving ${r.table}/${r.sys_id} was refused`);
      return fail(409, 'Operation Failed', REFUSED);
    }
  } else if (note) {
    ticket.setValue('work_notes', note);
  }
  ticket.setValue('state', INCIDENT_CLOSED);
  if (!ticket.update()) {
    gs.warn(`imper.ai: close: closing ${r.table}/${r.sys_id} was refused`);
    return fail(409, 'Operation Failed', REFUSED);
  }
  return { status: 200, body: { closed: true, already: false, close_code: code, number } };
}
