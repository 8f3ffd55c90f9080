// Issue 10 §3: when the category policy says auto_close and the automated action completed, the ticket is resolved
// with a valid close code and close notes, then closed — through the scoped app's close route, which lets the
// integration user do exactly that and nothing more (servicenow-app README). Queued by the write-back once the
// ticket shows the action completed; idempotent (an already closed ticket answers `already`), so a retried job never
// closes twice or notes twice.
import type { Deps } from '../context';
import { closeTicket } from '../clients/servicenow/close-ticket';
import { appendAuditEvent } from '../repositories/audit';
import { findVerificationById } from '../repositories/verifications';

const ACTION_WORDS: Record<string, string> = {
  password_reset: 'reset their password',
  account_unlock: 'unlocked their account',
  mfa_reset: 'reset their sign-in methods',
};

export async function runCloseTicket(deps: Deps, verificationId: string): Promise<void> {
  const v = await findVerificationById(deps.db, verificationId);
  if (!v || !v.autoClose || v.actionStatus !== 'completed' || v.flaggedAt) return;
  const tenant = deps.tenants.byId(v.tenantId);
  if (!tenant) return;
  const result = await closeTicket(tenant.servicenow, {
    table: v.ticketTable,
    sysId: v.ticketSysId,
    publicId: v.publicId,
    closeNotes: `The requester passed imper.ai verification ${v.publicId} at risk level Verified and ${ACTION_WORDS[v.action] ?? 'completed the requested action'} on the verification portal. Closed automatically per the category policy.`,
  });
  await deps.db.transaction().execute((trx) =>
    appendAuditEvent(trx, {
      tenantId: v.tenantId,
      verificationId: v.id,
      type: 'ticket.closed',
      actor: 'system',
      data: { already: result.already },
    }),
  );
}
