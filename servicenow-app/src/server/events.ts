// Verification events from the service (scripted REST `POST /api/x_imper_verify/imper/events`): set the
// ticket's verification columns, add a work note, optionally resolve/close with a valid close code read from
// `sys_choice`. Idempotent by event id: every applied event is recorded in x_imper_verify_event, and a
// repeated id changes nothing.
import { GlideRecord, gs } from '@servicenow/glide';
import { ACTION_STATUSES, ACTIONS, COLUMNS, EVENT_TABLE, RISK_LEVELS, TICKET_STATUSES } from './constants';

export interface VerificationEvent {
  event_id: string;
  table: string;
  sys_id: string;
  status?: string;
  risk_level?: string;
  verification_id?: string;
  details_url?: string;
  /** The field's link; the service sets it to the details page once an outcome exists. */
  verification_url?: string;
  attention?: string;
  action?: string;
  action_status?: string;
  work_note?: string;
  resolve?: { close_notes: string; close_code?: string; close?: boolean };
}

export type EventResult =
  | { status: 200; body: { applied: boolean; duplicate: boolean; ticket: Record<string, string> } }
  | { status: 400 | 404 | 409 | 422; body: { error: { message: string; detail: string | null } } };

const fail = (status: 400 | 404 | 409 | 422, message: string, detail: string | null = null): EventResult => ({
  status,
  body: { error: { message, detail } },
});

const oneOf = (values: readonly string[], v: unknown) =>
  typeof v === 'string' && (v === '' || values.indexOf(v) >= 0);
const isText = (v: unknown, max: number) => typeof v === 'string' && v.length <= max;

/** Pure: checks the body and returns the event or a list of problems. */
export function parseEvent(body: unknown): { event: VerificationEvent } | { problems: string[] } {
  const problems: string[] = [];
  if (!body || typeof body !== 'object') return { problems: ['body must be a JSON object'] };
  const b = body as Record<string, unknown>;
  if (!isText(b.event_id, 100) || !b.event_id) problems.push('event_id is required');
  if (typeof b.table !== 'string' || !/^[a-z0-9_]{1,80}$/.test(b.table)) problems.push('table is required');
  if (typeof b.sys_id !== 'string' || !/^[0-9a-f]{32}$/.test(b.sys_id)) problems.push('sys_id is required');
  if (b.status !== undefined && !oneOf(TICKET_STATUSES, b.status))
    problems.push('status is not a known status');
  if (b.risk_level !== undefined && !oneOf(RISK_LEVELS, b.risk_level))
    problems.push('risk_level is not a known level');
  if (b.action !== undefined && !oneOf(ACTIONS, b.action)) problems.push('action is not a known action');
  if (b.action_status !== undefined && !oneOf(ACTION_STATUSES, b.action_status))
    problems.push('action_status is not known');
  for (const k of ['verification_id', 'attention'] as const)
    if (b[k] !== undefined && !isText(b[k], 255)) problems.push(`${k} must be text`);
  for (const k of ['details_url', 'verification_url'] as const) {
    if (b[k] !== undefined && !(isText(b[k], 1024) && /^(https?:\/\/\S+)?$/.test(b[k] as string)))
      problems.push(`${k} must be an http(s) URL`);
  }
  if (b.work_note !== undefined && !isText(b.work_note, 4000)) problems.push('work_note must be text');
  if (b.resolve !== undefined) {
    const r = b.resolve as Record<string, unknown> | null;
    if (!r || typeof r !== 'object' || !isText(r.close_notes, 4000) || !r.close_notes)
      problems.push('resolve.close_notes is required');
    else if (r.close_code !== undefined && !isText(r.close_code, 100))
      problems.push('resolve.close_code must be text');
  }
  return problems.length ? { problems } : { event: b as unknown as VerificationEvent };
}

/** Pure: the column values an event sets. */
export function columnsFor(e: VerificationEvent): Record<string, string> {
  const out: Record<string, string> = {};
  if (e.status !== undefined) out[COLUMNS.status] = e.status;
  if (e.risk_level !== undefined) out[COLUMNS.riskLevel] = e.risk_level;
  if (e.verification_id !== undefined) out[COLUMNS.id] = e.verification_id;
  if (e.details_url !== undefined) out[COLUMNS.detailsUrl] = e.details_url;
  if (e.verification_url !== undefined) out[COLUMNS.verification] = e.verification_url;
  if (e.attention !== undefined) out[COLUMNS.attention] = e.attention;
  if (e.action !== undefined) out[COLUMNS.action] = e.action;
  if (e.action_status !== undefined) out[COLUMNS.actionStatus] = e.action_status;
  return out;
}

/** Pure: the close code to use: the requested one when valid, else the first valid choice. */
export function pickCloseCode(valid: readonly string[], requested: string | undefined): string | null {
  if (requested && valid.indexOf(requested) >= 0) return requested;
  return valid.length ? (valid[0] as string) : null;
}

/** Valid close codes for a table, in choice order (`sys_choice`, never hard-coded). */
export function closeCodesFor(table: string): string[] {
  const codes: string[] = [];
  const ch = new GlideRecord('sys_choice');
  ch.addQuery('name', table);
  ch.addQuery('element', 'close_code');
  ch.addQuery('inactive', false);
  ch.orderBy('sequence');
  ch.query();
  while (ch.next()) {
    const v = ch.getValue('value');
    if (v && codes.indexOf(v) < 0) codes.push(v);
  }
  return codes;
}

function alreadyApplied(eventId: string): boolean {
  const ev = new GlideRecord(EVENT_TABLE);
  ev.addQuery('event_id', eventId);
  ev.setLimit(1);
  ev.query();
  return ev.hasNext();
}

function ticketColumns(gr: GlideRecord): Record<string, string> {
  const out: Record<string, string> = {
    sys_id: gr.getUniqueValue(),
    number: gr.getValue('number') || '',
    state: gr.getValue('state') || '',
  };
  for (const c of Object.keys(COLUMNS)) {
    const column = COLUMNS[c as keyof typeof COLUMNS];
    out[column] = gr.getValue(column) || '';
  }
  return out;
}

export function applyVerificationEvent(body: unknown): EventResult {
  const parsed = parseEvent(body);
  if ('problems' in parsed) return fail(400, 'Bad request', parsed.problems.join('; '));
  const e = parsed.event;
  const ticket = new GlideRecord(e.table);
  if (!ticket.isValid() || !ticket.get(e.sys_id)) return fail(404, 'No Record found');
  if (alreadyApplied(e.event_id))
    return { status: 200, body: { applied: false, duplicate: true, ticket: ticketColumns(ticket) } };

  const columns = columnsFor(e);
  for (const name of Object.keys(columns)) ticket.setValue(name, columns[name] as string);
  if (e.work_note) ticket.setValue('work_notes', e.work_note);
  if (e.resolve) {
    const code = pickCloseCode(closeCodesFor(e.table), e.resolve.close_code);
    if (!code)
      return fail(422, 'Cannot resolve', `no active close_code choices for ${e.table} in sys_choice`);
    ticket.setValue('close_code', code);
    ticket.setValue('close_notes', e.resolve.close_notes);
    ticket.setValue('state', e.resolve.close ? '7' : '6');
  }
  if (!ticket.update()) {
    gs.warn(`imper.ai: event ${e.event_id} for ${e.table}/${e.sys_id} was refused by a business rule`);
    return fail(
      409,
      'Operation Failed',
      'A business rule refused the update (the imper.ai guard: verification not passed or action not completed).',
    );
  }
  const log = new GlideRecord(EVENT_TABLE);
  log.initialize();
  log.setValue('event_id', e.event_id);
  log.setValue('ticket_table', e.table);
  log.setValue('ticket_sys_id', e.sys_id);
  log.insert();
  const fresh = new GlideRecord(e.table);
  fresh.get(e.sys_id);
  return { status: 200, body: { applied: true, duplicate: false, ticket: ticketColumns(fresh) } };
}
