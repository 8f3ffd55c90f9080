// The step-up (PRODUCT.md F4): when the engine asks for it — the agent typed a destination that is not on file, or
// the risk is Medium — the requester's manager (`sys_user.manager`) is asked to attest at their own email on file.
// They see who asks and why and approve or deny once; the verification waits for the answer until the attestation's
// time limit, then the engine decides again with it (approved / denied / timed out / no manager to ask).
//
// The manager's link is single use like the requester's: only its hash is stored, a GET never answers it, the
// answer is one conditional UPDATE … RETURNING under an anti-CSRF value bound to the browser (S4, S7).
import type { Transaction } from 'kysely';
import type { Deps } from '../context';
import type { Database } from '../db/schema';
import { AppError } from '../errors';
import { hmac, newToken, safeEqual, sha256 } from '../lib/crypto';
import { addJob } from '../lib/jobs';
import { maskDestination } from '../domain/destination';
import type { StepUpStatus } from '../domain/risk/context';
import type { Verification, VerificationChanges } from '../domain/verification';
import { renderAttestationEmail } from '../delivery/templates';
import {
  answerAttestation,
  closePendingAttestations,
  findAttestationByHash,
  insertAttestation,
  markAttestationFetched,
  pendingAttestation,
  type Attestation,
} from '../repositories/attestations';
import { appendAuditEvents } from '../repositories/audit';
import { findVerificationById } from '../repositories/verifications';
import { finishVerification } from './assurance';
import { applyEvent, type AuditEntry } from './lifecycle';

export const attestationUrl = (deps: Pick<Deps, 'config'>, token: string) =>
  `${deps.config.publicBaseUrl}/m/${token}`;

/**
 * Moves the verification to the step-up: stores what was decided so far, gives the manager
 * ATTESTATION_TIMEOUT_MINUTES (the verification's deadline moves with it) and queues the message to them.
 */
export async function requestStepUp(
  trx: Transaction<Database>,
  deps: Deps,
  v: Verification,
  o: {
    set: VerificationChanges;
    reasons: string[];
    now: Date;
    auditInto: AuditEntry[];
    audit: Record<string, unknown>;
  },
): Promise<Verification> {
  const deadline = new Date(o.now.getTime() + deps.config.assurance.attestationTimeoutMinutes * 60_000);
  const moved = await applyEvent(trx, deps, v, 'step_up_requested', {
    set: {
      ...o.set,
      deadlineAt: deadline,
      recommendation: o.set.recommendation,
      attention: null,
    },
    audit: o.audit,
    auditInto: o.auditInto,
    now: o.now,
  });
  if (!moved) return v;
  await addJob(trx, 'attest', { verificationId: v.id, reasons: o.reasons });
  await addJob(trx, 'expire', { verificationId: v.id }, { jobKey: `expire:${v.id}`, runAt: deadline });
  return moved;
}

/** Decides again with the step-up's answer (the stored context already holds the challenge). */
async function decideAgain(
  trx: Transaction<Database>,
  deps: Deps,
  v: Verification,
  stepUp: StepUpStatus,
  now: Date,
  audit: AuditEntry[],
) {
  return finishVerification(trx, deps, v, { challenge: null, override: null, stepUp, now, auditInto: audit });
}

const MANAGER_FIELDS = ['manager', 'manager.name', 'manager.email', 'manager.active'] as const;

/**
 * The `attest` task: finds the requester's manager and their email on file, mints the link and sends it. No
 * manager (or no email for them) → the engine decides with `unavailable` (Failed: the agent verifies another way).
 * A retry withdraws a link nobody opened and sends a fresh one.
 */
export async function runAttest(deps: Deps, verificationId: string, reasons: string[]): Promise<void> {
  const v = await findVerificationById(deps.db, verificationId);
  if (!v || v.state !== 'in_progress' || v.step !== 'step_up') return;
  const tenant = deps.tenants.byId(v.tenantId);
  if (!tenant) return;
  const now = deps.clock.now();
  const user = v.requesterSysId
    ? await tenant.servicenow.get('sys_user', v.requesterSysId, { fields: MANAGER_FIELDS })
    : null;
  const managerId = (user?.manager ?? '').trim();
  const email = (user?.['manager.email'] ?? '').trim();
  const active = (user?.['manager.active'] ?? 'true') !== 'false';
  if (!managerId || !email || !active || managerId === v.requesterSysId) {
    await deps.db.transaction().execute(async (trx) => {
      const audit: AuditEntry[] = [
        {
          tenantId: v.tenantId,
          verificationId: v.id,
          type: 'stepup.unavailable',
          actor: 'system',
          data: { reason: !managerId ? 'no_manager' : !email ? 'no_manager_email' : 'manager_inactive' },
        },
      ];
      const current = await findVerificationById(trx, v.id);
      if (current && current.state === 'in_progress' && current.step === 'step_up') {
        await decideAgain(trx, deps, current, 'unavailable', now, audit);
      }
      await appendAuditEvents(trx, audit);
    });
    return;
  }
  const existing = await pendingAttestation(deps.db, v.id);
  if (existing?.fetchedAt) return; // the manager has it open: a retry must not replace it
  const token = newToken();
  const attestation = await deps.db.transaction().execute(async (trx) => {
    await closePendingAttestations(trx, v.id, now, { onlyUnopened: true });
    return insertAttestation(trx, {
      tenantId: v.tenantId,
      verificationId: v.id,
      tokenHash: sha256(token),
      managerSysId: managerId,
      managerName: (user?.['manager.name'] ?? '').trim(),
      channel: 'email',
      destinationSealed: deps.sealer.seal(email),
      destinationMasked: maskDestination('email', email),
      reasons,
      expiresAt: v.deadlineAt,
    });
  });
  const minutes = Math.max(1, Math.round((v.deadlineAt.getTime() - now.getTime()) / 60_000));
  const mail = renderAttestationEmail({
    helpdeskName: tenant.name,
    ticketNumber: v.ticketNumber,
    managerName: attestation.managerName,
    requesterName: v.requesterName || v.requesterUserName,
    agentName: v.agentName,
    link: attestationUrl(deps, token),
    expiresInMinutes: minutes,
  });
  const sent = await deps.delivery.email.send({
    to: email,
    ...mail,
    verificationId: v.publicId,
    deliveryId: attestation.id,
  });
  await deps.db.transaction().execute(async (trx) =>
    appendAuditEvents(trx, [
      {
        tenantId: v.tenantId,
        verificationId: v.id,
        type: 'stepup.sent',
        actor: 'system',
        data: {
          manager: attestation.managerName,
          to: attestation.destinationMasked,
          provider: sent.provider,
        },
      },
    ]),
  );
}

/** When the verification's deadline passes during the step-up: the attestation times out and the engine decides. */
export async function timeOutStepUp(trx: Transaction<Database>, deps: Deps, v: Verification, now: Date) {
  await closePendingAttestations(trx, v.id, now, { onlyUnopened: false });
  const audit: AuditEntry[] = [];
  const decided = await decideAgain(trx, deps, v, 'timed_out', now, audit);
  await appendAuditEvents(trx, audit);
  return decided;
}

// ── the manager's page ──────────────────────────────────────────────────────────────────────────────────────

const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;
const notFound = () =>
  new AppError(
    'ATTESTATION_NOT_FOUND',
    'This link is not valid. Check that you opened the whole link from the message.',
  );
const usedOrClosed = () =>
  new AppError(
    'ATTESTATION_USED',
    'This request has already been answered, or it no longer needs your answer.',
  );
const expired = () =>
  new AppError(
    'ATTESTATION_EXPIRED',
    'This request has expired. The helpdesk will verify the person another way.',
  );

export function attestationCsrf(deps: Pick<Deps, 'keys'>, browserNonce: string, token: string): string {
  return hmac(deps.keys.csrf, `attest:${browserNonce}:${sha256(token).toString('hex')}`).toString(
    'base64url',
  );
}

export interface AttestationView {
  helpdeskName: string;
  requesterName: string;
  ticketNumber: string;
  ticketSubject: string;
  agentName: string;
  reason: string;
  expiresAt: Date;
}

async function usable(deps: Deps, token: string): Promise<{ a: Attestation; v: Verification }> {
  if (!TOKEN_SHAPE.test(token)) throw notFound();
  const a = await findAttestationByHash(deps.db, sha256(token));
  if (!a) throw notFound();
  const v = await findVerificationById(deps.db, a.verificationId);
  if (!v) throw notFound();
  if (a.status !== 'pending') throw a.status === 'timed_out' ? expired() : usedOrClosed();
  if (a.expiresAt <= deps.clock.now()) throw expired();
  if (v.state !== 'in_progress' || v.step !== 'step_up') throw usedOrClosed();
  return { a, v };
}

/** GET of the manager's link: who asks and why. Never answers it. */
export async function openAttestation(deps: Deps, token: string): Promise<AttestationView> {
  const { a, v } = await usable(deps, token);
  if (!a.fetchedAt) await markAttestationFetched(deps.db, a.id, deps.clock.now());
  return {
    helpdeskName: deps.tenants.byId(v.tenantId)?.name ?? 'IT Helpdesk',
    requesterName: v.requesterName || v.requesterUserName,
    ticketNumber: v.ticketNumber,
    ticketSubject: v.ticketSubject,
    agentName: v.agentName,
    reason: a.reasons.includes('typed_destination') ? 'typed_destination' : 'medium_risk',
    expiresAt: a.expiresAt,
  };
}

/** The manager's answer: once (conditional UPDATE), then the engine decides again. */
export async function answerStepUp(
  deps: Deps,
  token: string,
  csrf: { nonce: string | undefined; value: string | undefined },
  decision: string | undefined,
): Promise<{ decision: 'approved' | 'denied'; helpdeskName: string }> {
  if (!TOKEN_SHAPE.test(token)) throw notFound();
  const expected = csrf.nonce ? Buffer.from(attestationCsrf(deps, csrf.nonce, token)) : null;
  if (!expected || !csrf.value || !safeEqual(Buffer.from(csrf.value), expected)) {
    throw new AppError(
      'CSRF_FAILED',
      'Your browser did not send the form we expected. Open the link again and answer.',
    );
  }
  if (decision !== 'approve' && decision !== 'deny') {
    throw new AppError('VALIDATION_FAILED', 'Choose Approve or Deny.');
  }
  const { v: asked } = await usable(deps, token);
  const status = decision === 'approve' ? 'approved' : 'denied';
  const now = deps.clock.now();
  const answered = await deps.db.transaction().execute(async (trx) => {
    const a = await answerAttestation(trx, sha256(token), status, now);
    if (!a) return false;
    const v = await findVerificationById(trx, a.verificationId);
    if (!v) return false;
    const audit: AuditEntry[] = [];
    const moved = await applyEvent(trx, deps, v, 'step_up_answered', {
      audit: { decision: status, manager: a.managerName },
      auditInto: audit,
      now,
    });
    if (!moved) return false;
    await decideAgain(trx, deps, moved, status, now, audit);
    await appendAuditEvents(trx, audit);
    return true;
  });
  if (!answered) throw usedOrClosed();
  return { decision: status, helpdeskName: deps.tenants.byId(asked.tenantId)?.name ?? 'IT Helpdesk' };
}
