// Resolve and close a ticket once its automated action completed (issue 10 §3), through the scoped app's route
// `POST /api/x_imper_verify/imper/close`: the integration user may not close an incident through the Table API
// (closing needs itil_admin there); the app's route checks the ticket's `x_imper_verify_action_status` is
// `completed`, that it carries this verification and that its category policy says auto_close, picks a valid
// close code from sys_choice, resolves with the close notes and one work note, then closes.
//
// The route is idempotent (an already closed ticket answers `already: true`; its work note is keyed by a marker),
// so the client may retry it after an ambiguous failure, and a job may repeat the whole call. Refusals come back
// as non-retriable `ServiceNowError`s: 409 (action not completed, another verification, no auto_close, a business
// rule refused), 403 (caller lacks the app's integration role), 404 (no such ticket), 422 (no close code).

import type { ServiceNowClient } from './client';
import { assertSysId, assertTable } from './encoded-query';
import { ServiceNowError } from './errors';

export const CLOSE_PATH = '/api/x_imper_verify/imper/close';

export interface CloseTicketInput {
  table: string;
  sysId: string;
  /** The verification's public ID (`VRF-7Q2K9M`); must be the one on the ticket. */
  publicId: string;
  /** The ticket's close notes (the resolution text agents and the caller read). */
  closeNotes: string;
  /** See ReadOpts.deadline. */
  deadline?: number;
}

export interface CloseTicketResult {
  closed: boolean;
  /** The ticket was closed before this call; nothing was written. */
  already: boolean;
}

export async function closeTicket(
  client: ServiceNowClient,
  input: CloseTicketInput,
): Promise<CloseTicketResult> {
  assertTable(input.table);
  assertSysId(input.sysId);
  if (typeof input.publicId !== 'string' || !/^VRF-[A-Z0-9]{4,32}$/.test(input.publicId))
    throw new TypeError('publicId must be a verification ID (VRF-…)');
  if (typeof input.closeNotes !== 'string' || !input.closeNotes.trim() || input.closeNotes.length > 4000)
    throw new TypeError('closeNotes must be 1 to 4000 characters');
  const result = await client.postApi(
    CLOSE_PATH,
    {
      table: input.table,
      sys_id: input.sysId,
      verification_id: input.publicId,
      close_notes: input.closeNotes,
    },
    { idempotent: true, ...(input.deadline !== undefined ? { deadline: input.deadline } : {}) },
  );
  const r = (typeof result === 'object' && result !== null ? result : {}) as Record<string, unknown>;
  if (typeof r.closed !== 'boolean' || typeof r.already !== 'boolean') {
    throw new ServiceNowError({
      kind: 'http',
      message: `ServiceNow POST ${CLOSE_PATH}: 200 answer without closed/already (is the app x_imper_verify installed and current?)`,
      status: 200,
      retriable: false,
    });
  }
  return { closed: r.closed, already: r.already };
}
