// S11 (NIST SP 800-63B-4 4.6): after a reset or an unlock every contact on file is told, with a "This wasn't me"
// link. The `notify_action` job reads the account's contacts from ServiceNow (the current ones: a contact the
// attacker just changed gets it too, and so does the old one the verification was sent to), mints one single-use
// link (only its hash is stored) and sends it to each. Using the link flags the verification for security, puts
// attention on the ticket, writes an audit event and, where the directory can, locks the account again.
//
// A GET of the link never acts (mail scanners fetch links, S7); the report is a POST with an anti-CSRF value
// bound to the browser.
import type { Deps } from '../context';
import { renderActionNoticeEmail, renderActionNoticeSms } from '../delivery/templates';
import { normalizeEmail, normalizePhone } from '../domain/destination';
import { AppError } from '../errors';
import { hmac, newToken, safeEqual, sha256 } from '../lib/crypto';
import { appendAuditEvents } from '../repositories/audit';
import { findVerificationById } from '../repositories/verifications';
import { directoryFor } from './action';
import { applyEvent, type AuditEntry } from './lifecycle';

/** How long the "This wasn't me" link works. */
export const REPORT_LINK_DAYS = 7;

export const reportUrl = (deps: Pick<Deps, 'config'>, token: string) =>
  `${deps.config.publicBaseUrl}/r/${token}`;

/** The `notify_action` job. Sends nothing twice: a retry after some sends goes to nobody already told. */
export async function runNotifyAction(deps: Deps, verificationId: string): Promise<void> {
  const v = await findVerificationById(deps.db, verificationId);
  if (!v || v.actionStatus !== 'completed' || !v.requesterSysId) return;
  const tenant = deps.tenants.byId(v.tenantId);
  if (!tenant) return;
  const already = await deps.db
    .selectFrom('audit_events')
    .select('data')
    .where('verification_id', '=', v.id)
    .where('type', '=', 'action.notified')
    .execute();
  const told = new Set(
    already.flatMap((r) =>
      (r.data as { channel?: string }).channel ? [(r.data as { channel: string }).channel] : [],
    ),
  );
  const user = await tenant.servicenow.get('sys_user', v.requesterSysId, {
    fields: ['email', 'mobile_phone'],
  });
  const email = normalizeEmail(user?.email ?? '');
  const phone = normalizePhone(user?.mobile_phone ?? '');
  const now = deps.clock.now();
  const token = newToken();
  await deps.db
    .insertInto('action_reports')
    .values({
      tenant_id: v.tenantId,
      verification_id: v.id,
      token_hash: sha256(token),
      expires_at: new Date(now.getTime() + REPORT_LINK_DAYS * 86_400_000),
    })
    .execute();
  const notice = {
    helpdeskName: tenant.name,
    ticketNumber: v.ticketNumber,
    action: v.action,
    link: reportUrl(deps, token),
  };
  const sent: AuditEntry[] = [];
  if (email && !told.has('email')) {
    await deps.delivery.email.send({
      to: email,
      ...renderActionNoticeEmail(notice),
      verificationId: v.publicId,
      deliveryId: `notice-email-${v.publicId}`,
    });
    sent.push(noticeAudit(v, 'email'));
  }
  if (phone && !told.has('sms')) {
    await deps.delivery.sms.send({
      to: phone,
      body: renderActionNoticeSms(notice),
      verificationId: v.publicId,
      deliveryId: `notice-sms-${v.publicId}`,
    });
    sent.push(noticeAudit(v, 'sms'));
  }
  if (sent.length) await deps.db.transaction().execute((trx) => appendAuditEvents(trx, sent));
}

const noticeAudit = (v: { tenantId: string; id: string }, channel: 'email' | 'sms'): AuditEntry => ({
  tenantId: v.tenantId,
  verificationId: v.id,
  type: 'action.notified',
  actor: 'system',
  data: { channel },
});

// ── the "This wasn't me" page ───────────────────────────────────────────────────────────────────────────────

const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;
const notFound = () =>
  new AppError(
    'REPORT_LINK_NOT_FOUND',
    'This link is not valid. Contact your helpdesk by phone to report the change.',
  );
const usedOrExpired = () =>
  new AppError(
    'REPORT_LINK_USED',
    'This link was already used or has expired. If you still think someone else changed your account, call your helpdesk now.',
  );

export function reportCsrf(deps: Pick<Deps, 'keys'>, browserNonce: string, token: string): string {
  return hmac(deps.keys.csrf, `report:${browserNonce}:${sha256(token).toString('hex')}`).toString(
    'base64url',
  );
}

export interface ReportView {
  helpdeskName: string;
  ticketNumber: string;
  action: string;
  at: Date | null;
}

async function usableReport(deps: Deps, token: string) {
  if (!TOKEN_SHAPE.test(token)) throw notFound();
  const r = await deps.db
    .selectFrom('action_reports')
    .selectAll()
    .where('token_hash', '=', sha256(token))
    .executeTakeFirst();
  if (!r) throw notFound();
  if (r.used_at || r.expires_at <= deps.clock.now()) throw usedOrExpired();
  const v = await findVerificationById(deps.db, r.verification_id);
  if (!v) throw notFound();
  return { r, v };
}

/** GET: what happened, and the button. Never acts. */
export async function openReport(deps: Deps, token: string): Promise<ReportView> {
  const { v } = await usableReport(deps, token);
  return {
    helpdeskName: deps.tenants.byId(v.tenantId)?.name ?? 'IT Helpdesk',
    ticketNumber: v.ticketNumber,
    action: v.action,
    at: v.actionCompletedAt,
  };
}

/** POST: the report, once. Flags the verification, tells the ticket, and locks the account where it can. */
export async function reportNotMe(
  deps: Deps,
  token: string,
  csrf: { nonce: string | undefined; value: string | undefined },
): Promise<{ helpdeskName: string; locked: boolean }> {
  if (!TOKEN_SHAPE.test(token)) throw notFound();
  const expected = csrf.nonce ? Buffer.from(reportCsrf(deps, csrf.nonce, token)) : null;
  if (!expected || !csrf.value || !safeEqual(Buffer.from(csrf.value), expected)) {
    throw new AppError('CSRF_FAILED', 'Your browser did not send the form we expected. Open the link again.');
  }
  const { v } = await usableReport(deps, token);
  const now = deps.clock.now();
  const claimed = await deps.db
    .updateTable('action_reports')
    .set({ used_at: now })
    .where('token_hash', '=', sha256(token))
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .returning('id')
    .executeTakeFirst();
  if (!claimed) throw usedOrExpired();
  // Lock the account again where the directory can (S11); an answer of "unsupported" is recorded, not hidden.
  const directory = directoryFor(deps, v.tenantId);
  const lock = directory?.lock
    ? await directory
        .lock({ sysId: v.requesterSysId, userName: v.requesterUserName, email: null })
        .catch((err: Error) => ({
          ok: false as const,
          reason: 'unavailable' as const,
          message: err.message.slice(0, 200),
        }))
    : { ok: false as const, reason: 'unsupported' as const, message: 'The directory cannot lock accounts' };
  await deps.db.transaction().execute(async (trx) => {
    const current = await findVerificationById(trx, v.id);
    if (!current) return;
    const audit: AuditEntry[] = [];
    await applyEvent(trx, deps, current, 'reported_not_me', {
      set: {
        flaggedAt: now,
        attention:
          'SECURITY: a contact on file reported "This wasn\'t me" after the automated action - review now',
      },
      audit: { action: v.action, locked: lock.ok, lockResult: lock.ok ? 'locked' : lock.reason },
      auditInto: audit,
      now,
    });
    await appendAuditEvents(trx, audit);
  });
  return { helpdeskName: deps.tenants.byId(v.tenantId)?.name ?? 'IT Helpdesk', locked: lock.ok };
}
