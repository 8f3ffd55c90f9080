// Idempotent write-back of a verification's effects to its ticket (SECURITY.md R3).
//
// Field values are PATCHed: setting the same values twice is harmless. A work note is a journal entry and
// appending one is not idempotent, so the note carries a marker (e.g. `[imper.ai VRF-7Q2K9M #3]`) and is
// written only when no entry of the ticket contains that marker yet. The client does not retry a PATCH that
// carries a note after an ambiguous failure (timeout, 5xx); the job retries this whole function later, and
// the check then finds the note if the failed attempt had in fact written it. After a failure with no answer
// at all (timeout, reset) the instance may still be working on the request, so that retry must wait a while
// (`UnconfirmedNoteError.settleMs`) or its check could miss a note that lands just after it.

import { assertSysId, assertTable, encodedQuery } from './encoded-query';
import type { ServiceNowClient } from './client';
import { ServiceNowError } from './errors';

export interface WorkNote {
  /** Identifies the note among all entries of the ticket; must not contain `^`. */
  marker: string;
  /** The note; the marker is put in front of it unless the text already contains it. */
  text: string;
}

export interface TicketUpdate {
  table: string;
  sysId: string;
  /** Columns to set, e.g. `x_imper_verify_status`; never journal fields (use `workNote`). */
  fields: Record<string, string>;
  workNote?: WorkNote;
}

const JOURNAL_FIELDS = ['work_notes', 'comments', 'comments_and_work_notes'];

export function noteText(note: WorkNote): string {
  return note.text.includes(note.marker) ? note.text : `${note.marker} ${note.text}`;
}

/**
 * Whether a work note containing `marker` is already on the record. The matching entry's text is checked
 * too: an instance ignores query conditions it cannot apply (an unreadable column, for instance), and then
 * any note of the ticket would come back. Rather than guess, that case is a non-retriable error.
 */
export async function hasWorkNote(client: ServiceNowClient, sysId: string, marker: string): Promise<boolean> {
  const { records } = await client.query('sys_journal_field', {
    query: encodedQuery(
      ['element_id', '=', sysId],
      ['element', '=', 'work_notes'],
      ['value', 'LIKE', marker],
    ),
    fields: ['sys_id', 'value'],
    limit: 1,
  });
  const hit = records[0];
  if (!hit) return false;
  if ((hit.value ?? '').toLowerCase().includes(marker.toLowerCase())) return true;
  throw new ServiceNowError({
    kind: 'http',
    message:
      'ServiceNow GET /api/now/table/sys_journal_field: the work-note check returned an entry without the ' +
      'marker (query condition ignored? value not readable?); not writing a note that could be a duplicate',
    retriable: false,
  });
}

export async function applyTicketUpdate(
  client: ServiceNowClient,
  update: TicketUpdate,
): Promise<{ noteWritten: boolean }> {
  assertTable(update.table);
  assertSysId(update.sysId);
  for (const k of JOURNAL_FIELDS) {
    if (k in update.fields) throw new TypeError(`${k} is a journal field; pass notes as workNote`);
  }
  const body: Record<string, string> = { ...update.fields };

  let noteWritten = false;
  if (update.workNote) {
    const { marker, text } = update.workNote;
    // At least a few characters, so that LIKE cannot match unrelated notes.
    if (typeof marker !== 'string' || marker.trim().length < 6)
      throw new TypeError('work note marker too short');
    if (typeof text !== 'string' || !text.trim()) throw new TypeError('work note text is empty');
    if (!(await hasWorkNote(client, update.sysId, marker))) {
      body.work_notes = noteText(update.workNote);
      noteWritten = true;
    }
  }

  if (Object.keys(body).length === 0) return { noteWritten: false };
  // Fields and note in one request: one update of the record, one run of its business rules.
  try {
    await client.update(update.table, update.sysId, body, { fields: ['sys_id'] });
  } catch (err) {
    // No answer at all (timeout, reset connection): the instance may still be processing the note and append it
    // after our next check. The caller must give it time before that check (R3).
    if (noteWritten && err instanceof ServiceNowError && (err.kind === 'timeout' || err.kind === 'network')) {
      throw new UnconfirmedNoteError(err, 2 * client.timeoutMs);
    }
    throw err;
  }
  return { noteWritten };
}

/** A write carrying a work note got no answer; check for the note again no sooner than `settleMs` from now. */
export class UnconfirmedNoteError extends ServiceNowError {
  constructor(
    cause: ServiceNowError,
    readonly settleMs: number,
  ) {
    super({
      kind: cause.kind,
      message: `${cause.message} (work note unconfirmed)`,
      ...(cause.status !== undefined ? { status: cause.status } : {}),
      retriable: cause.retriable,
      ...(cause.retryAfterMs !== undefined ? { retryAfterMs: cause.retryAfterMs } : {}),
      cause,
    });
  }
}
