// The automated action after a pass (PRODUCT.md F6): offered only at Passed + Verified, for the action the ticket's
// category policy names, within ACTION_WINDOW_MINUTES of the decision, bound to the browser that verified, and run
// once (S13): a conditional UPDATE claims it before the directory is called. The directory's own refusal of a
// password (history, policy) releases the claim, so the person can try another one; any other failure ends it
// (action failed, attention on the ticket, the requester told what to do next) — nothing is retried behind their
// back, and nothing is half done.
//
// The password passes through memory only: never logged, stored, audited or shown to agents (S12).
import type { Deps } from '../context';
import type { DirectoryAccount, DirectoryConnector, DirectoryResult } from '../directories/types';
import { createDirectory, type DirectoryConfig } from '../directories';
import { checkPassword } from '../domain/password-policy';
import type { Verification } from '../domain/verification';
import { AppError } from '../errors';
import { hmac, safeEqual, sha256 } from '../lib/crypto';
import { addJob } from '../lib/jobs';
import { appendAuditEvents } from '../repositories/audit';
import { findVerificationById, findVerificationBySessionHash } from '../repositories/verifications';
import { applyEvent, type AuditEntry } from './lifecycle';

export const ACTION_PATH = '/v/action';

export type OfferedAction = 'password_reset' | 'account_unlock' | 'mfa_reset';

const connectors = new WeakMap<object, DirectoryConnector>();

/** The directory a tenant's accounts live in (TENANTS[].directory; default its ServiceNow `sys_user`). */
export function directoryFor(
  deps: Pick<Deps, 'tenants' | 'config'>,
  tenantId: string,
): DirectoryConnector | null {
  const tenant = deps.tenants.byId(tenantId);
  if (!tenant) return null;
  let c = connectors.get(tenant);
  if (!c) {
    const configured = deps.config.tenants.find(
      (t) => t.instanceUrl.replace(/\/$/, '') === tenant.instanceUrl.replace(/\/$/, ''),
    );
    c = createDirectory(configured?.directory as DirectoryConfig | undefined, tenant.servicenow);
    connectors.set(tenant, c);
  }
  return c;
}

const windowEnd = (deps: Pick<Deps, 'config'>, v: Pick<Verification, 'completedAt'>) =>
  v.completedAt ? new Date(v.completedAt.getTime() + deps.config.actionWindowMinutes * 60_000) : null;

/** The action this verification may still run, and until when; null when none is offered. */
export function offeredAction(
  deps: Pick<Deps, 'config' | 'clock'>,
  v: Verification,
): { action: OfferedAction; until: Date } | null {
  if (v.state !== 'passed' || v.riskLevel !== 'verified') return null;
  if (v.action === 'none' || v.actionStatus !== 'not_started' || v.actionStartedAt) return null;
  const until = windowEnd(deps, v);
  if (!until || until <= deps.clock.now()) return null;
  return { action: v.action as OfferedAction, until };
}

export function actionCsrf(deps: Pick<Deps, 'keys'>, sessionId: string): string {
  return hmac(deps.keys.csrf, `action:${sessionId}`).toString('base64url');
}

const notAvailable = () =>
  new AppError(
    'ACTION_NOT_AVAILABLE',
    'This action is no longer available here: it was done already, or its time ran out. Ask your helpdesk to continue.',
  );

async function sessionVerification(deps: Deps, sessionId: string | undefined) {
  if (!sessionId || sessionId.length > 100) return null;
  return (await findVerificationBySessionHash(deps.db, sha256(sessionId))) ?? null;
}

export interface ActionView {
  action: OfferedAction;
  until: Date;
  csrf: string;
  helpdeskName: string;
  /** Words a new password must not contain (the person's names), for the page's hint */
  context: string[];
  minLength: number;
}

/** The action page's data for this browser's verification; null when no action is offered. */
export async function actionView(deps: Deps, sessionId: string | undefined): Promise<ActionView | null> {
  const v = await sessionVerification(deps, sessionId);
  if (!v) return null;
  const offer = offeredAction(deps, v);
  if (!offer) return null;
  return {
    ...offer,
    csrf: actionCsrf(deps, sessionId!),
    helpdeskName: deps.tenants.byId(v.tenantId)?.name ?? 'Your helpdesk',
    context: contextWords(deps, v),
    minLength: deps.config.passwordMinLength,
  };
}

function contextWords(deps: Pick<Deps, 'tenants'>, v: Verification): string[] {
  return [
    ...v.requesterName.split(/\s+/),
    v.requesterUserName,
    ...v.requesterUserName.split(/[._-]+/),
    deps.tenants.byId(v.tenantId)?.name ?? '',
  ].filter((w) => w.length >= 3);
}

export interface ActionForm {
  csrf?: string | undefined;
  password?: string | undefined;
  confirm?: string | undefined;
}

export type ActionOutcome =
  | { kind: 'done'; action: OfferedAction }
  /** The person can correct it and try again (their password, or the directory's policy refused it) */
  | { kind: 'retry'; code: 'PASSWORDS_DIFFER' | 'PASSWORD_REFUSED'; message: string }
  | { kind: 'failed'; action: OfferedAction; message: string };

const account = (v: Verification): DirectoryAccount => ({
  sysId: v.requesterSysId,
  userName: v.requesterUserName,
  email: null,
});

/** Runs the offered action once. */
export async function runAction(
  deps: Deps,
  sessionId: string | undefined,
  form: ActionForm,
): Promise<ActionOutcome> {
  const v = await sessionVerification(deps, sessionId);
  if (!v) throw notAvailable();
  const expected = Buffer.from(actionCsrf(deps, sessionId!));
  if (!form.csrf || !safeEqual(Buffer.from(form.csrf), expected)) {
    throw new AppError(
      'CSRF_FAILED',
      'Your browser did not send the form we expected. Go back and try again.',
    );
  }
  const offer = offeredAction(deps, v);
  if (!offer) throw notAvailable();
  const password = offer.action === 'password_reset' ? (form.password ?? '') : null;
  if (password !== null) {
    if (password !== (form.confirm ?? '')) {
      return {
        kind: 'retry',
        code: 'PASSWORDS_DIFFER',
        message: 'The two passwords are not the same. Type the new password twice.',
      };
    }
    const check = checkPassword(password, {
      minLength: deps.config.passwordMinLength,
      context: contextWords(deps, v),
    });
    if (!check.ok) return { kind: 'retry', code: 'PASSWORD_REFUSED', message: check.message };
  }
  const directory = directoryFor(deps, v.tenantId);
  if (!directory) throw notAvailable();
  const now = deps.clock.now();
  // S13: claimed once, before the directory is called; a parallel or repeated submit finds it claimed.
  const claimed = await deps.db
    .updateTable('verifications')
    .set({ action_started_at: now, updated_at: now })
    .where('id', '=', v.id)
    .where('state', '=', 'passed')
    .where('action_status', '=', 'not_started')
    .where('action_started_at', 'is', null)
    .returningAll()
    .executeTakeFirst();
  if (!claimed) throw notAvailable();

  let result: DirectoryResult;
  try {
    result =
      offer.action === 'password_reset'
        ? await directory.setPassword(account(v), password!)
        : offer.action === 'account_unlock'
          ? await directory.unlock(account(v))
          : await directory.resetMfa(account(v));
  } catch (err) {
    deps.log.warn(
      { verification: v.publicId, error: (err as Error).message?.slice(0, 200) },
      'directory error',
    );
    result = {
      ok: false,
      reason: 'unavailable',
      message: 'The account directory did not answer, so nothing was changed.',
    };
  }

  if (!result.ok && result.reason === 'password_policy') {
    // The directory refused this password (history, its own policy): nothing changed; let them try another.
    await deps.db
      .updateTable('verifications')
      .set({ action_started_at: null, updated_at: deps.clock.now() })
      .where('id', '=', v.id)
      .where('action_status', '=', 'not_started')
      .execute();
    return { kind: 'retry', code: 'PASSWORD_REFUSED', message: result.message };
  }

  const done = deps.clock.now();
  await deps.db.transaction().execute(async (trx) => {
    const current = await findVerificationById(trx, v.id);
    if (!current) return;
    const audit: AuditEntry[] = [];
    if (result.ok) {
      await applyEvent(trx, deps, current, 'action_completed', {
        set: { actionStatus: 'completed', actionCompletedAt: done, attention: null },
        audit: { action: offer.action, directory: directory.kind },
        auditInto: audit,
        now: done,
      });
      // S11: every contact on file is told, with a "This wasn't me" link (services/action-report.ts).
      await addJob(trx, 'notify_action', { verificationId: v.id }, { jobKey: `notify_action:${v.id}` });
    } else {
      await applyEvent(trx, deps, current, 'action_failed', {
        set: {
          actionStatus: 'failed',
          actionCompletedAt: done,
          actionError: result.message.slice(0, 500),
          attention:
            'Action failed - the automated action could not be completed; help the requester directly',
        },
        audit: {
          action: offer.action,
          directory: directory.kind,
          reason: result.reason,
          code: result.code ?? null,
        },
        ticket: { reason: result.message.slice(0, 200) },
        auditInto: audit,
        now: done,
      });
    }
    await appendAuditEvents(trx, audit);
  });
  if (result.ok) return { kind: 'done', action: offer.action };
  return { kind: 'failed', action: offer.action, message: result.message };
}

/** Whether a verification's action is finished (for the result page): its status and, on failure, what to do. */
export function actionResult(
  v: Verification,
): { action: string; status: string; message: string | null } | null {
  if (v.action === 'none' || v.actionStatus === 'not_started') return null;
  return { action: v.action, status: v.actionStatus, message: v.actionError };
}
