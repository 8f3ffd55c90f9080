// F7, the portal's self-service page: a person asks for a link by user name or work email. S8 (no enumeration)
// shapes the whole design: the request path does the SAME work for every identifier — check the anti-CSRF value,
// check the form, choose a public ID, queue one `self_service_start` job (one INSERT) — and answers the same page.
// It never asks ServiceNow anything, so neither the answer nor its timing can depend on whether the account
// exists. The job (`runSelfServiceStart`) then calls `startDirect`, which looks the account up, sends only to a
// contact on file (S9), counts the per-account limits (S16) and creates the ticket; unknown accounts end there,
// quietly, with an audit event that names the identifier only by its HMAC (S20).
import type { Action } from '@imper/shared';
import { SELF_SERVICE_ACTIONS, type SelfServiceAction } from '@imper/portal';
import type { Deps } from '../context';
import { AppError } from '../errors';
import { hmac, newPublicId, safeEqual } from '../lib/crypto';
import { addJob } from '../lib/jobs';
import { appendAuditEvent } from '../repositories/audit';
import { startDirect, type DirectStartResult } from './direct-start';

export const SELF_SERVICE_PATH = '/self-service';
/** The longest identifier the form accepts: an email address is at most 254 characters (RFC 5321). */
export const IDENTIFIER_MAX_LENGTH = 254;
export const SELF_SERVICE_JOB_ATTEMPTS = 5;

/** The form's anti-CSRF value: bound to the browser's cookie nonce (as the link pages', S7). */
export function selfServiceCsrf(deps: Pick<Deps, 'keys'>, browserNonce: string): string {
  return hmac(deps.keys.csrf, `self-service:${browserNonce}`).toString('base64url');
}

export function checkSelfServiceCsrf(
  deps: Pick<Deps, 'keys'>,
  csrf: { nonce: string | undefined; value: string | undefined },
): void {
  const expected = csrf.nonce ? Buffer.from(selfServiceCsrf(deps, csrf.nonce)) : null;
  if (!expected || !csrf.value || !safeEqual(Buffer.from(csrf.value), expected)) {
    throw new AppError(
      'CSRF_FAILED',
      'Your browser did not send the form we expected. Reload the self-service page and try again.',
    );
  }
}

export type FormProblem = 'IDENTIFIER_REQUIRED' | 'IDENTIFIER_TOO_LONG' | 'ACTION_UNKNOWN';

/** The form as typed → what the job needs, or what to correct. Depends on the text only, never on any account. */
export function readSelfServiceForm(body: {
  identifier?: string | undefined;
  action?: string | undefined;
}): { ok: true; identifier: string; action: SelfServiceAction } | { ok: false; problem: FormProblem } {
  const identifier = (body.identifier ?? '').trim();
  const action = body.action ?? 'password_reset';
  if (!(SELF_SERVICE_ACTIONS as readonly string[]).includes(action))
    return { ok: false, problem: 'ACTION_UNKNOWN' };
  if (!identifier) return { ok: false, problem: 'IDENTIFIER_REQUIRED' };
  if (identifier.length > IDENTIFIER_MAX_LENGTH) return { ok: false, problem: 'IDENTIFIER_TOO_LONG' };
  return { ok: true, identifier, action: action as SelfServiceAction };
}

/**
 * Queues the start: one INSERT (graphile-worker's `add_job`), whatever the identifier. The identifier travels
 * sealed (AES-GCM under the data key, S19), so the job table holds no readable user name or email either.
 */
export async function queueSelfServiceStart(
  deps: Deps,
  req: { tenantId: string; identifier: string; action: SelfServiceAction },
): Promise<void> {
  const publicId = newPublicId();
  await addJob(
    deps.db,
    'self_service_start',
    {
      tenantId: req.tenantId,
      identifierSealed: deps.sealer.seal(req.identifier),
      action: req.action,
      publicId,
    },
    { jobKey: `self_service_start:${publicId}`, maxAttempts: SELF_SERVICE_JOB_ATTEMPTS },
  );
}

export interface SelfServiceJob {
  tenantId: string;
  identifierSealed: string;
  action: Action;
  publicId: string;
}

export function parseSelfServiceJob(payload: unknown): SelfServiceJob {
  const p = (payload ?? {}) as Record<string, unknown>;
  for (const key of ['tenantId', 'identifierSealed', 'action', 'publicId'] as const)
    if (typeof p[key] !== 'string') throw new Error(`job payload has no ${key}`);
  return p as unknown as SelfServiceJob;
}

/** What the audit event records of the identifier: an HMAC under the destination key, never the text (S20). */
export const identifierHash = (deps: Pick<Deps, 'keys'>, identifier: string) =>
  hmac(deps.keys.destination, `self-service-identifier:${identifier.trim().toLowerCase()}`).toString('hex');

export type SelfServiceOutcome = DirectStartResult['kind'] | 'rate_limited';

/**
 * The job: starts the verification for the account, if there is one. Unknown accounts, accounts without a contact
 * on file, actions not offered and accounts past their limits end here, quietly (nothing is sent, the person was
 * already told "if an account matches…"). ServiceNow errors throw, so graphile-worker retries (5 attempts); a
 * retry reuses the job's public ID, so it finds the same ticket (`correlation_id`) and the same verification.
 */
export async function runSelfServiceStart(deps: Deps, job: SelfServiceJob): Promise<SelfServiceOutcome> {
  const identifier = deps.sealer.open(job.identifierSealed);
  let outcome: SelfServiceOutcome;
  let verificationId: string | null = null;
  try {
    const r = await startDirect(deps, {
      tenantId: job.tenantId,
      identifier,
      action: job.action,
      initiator: { kind: 'self_service' },
      publicId: job.publicId,
    });
    outcome = r.kind;
    if (r.kind === 'started' || r.kind === 'already_running') verificationId = r.verification.id;
  } catch (err) {
    if (!(err instanceof AppError && err.code === 'RATE_LIMITED')) throw err;
    outcome = 'rate_limited';
  }
  await deps.db.transaction().execute((trx) =>
    appendAuditEvent(trx, {
      tenantId: job.tenantId,
      verificationId,
      type: 'self_service.requested',
      actor: 'self_service',
      data: {
        outcome,
        action: job.action,
        publicId: job.publicId,
        identifierHash: identifierHash(deps, identifier),
      },
    }),
  );
  deps.log.info({ outcome, publicId: job.publicId }, 'self-service request handled');
  return outcome;
}
