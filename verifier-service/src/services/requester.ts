// The requester's side (F4, first version): a GET shows who asks and why and never consumes the link (S7);
// Start consumes it atomically (S4), binds the browser, and runs the decision.
import type { Deps } from '../context';
import { AppError } from '../errors';
import { hmac, newToken, safeEqual, sha256 } from '../lib/crypto';
import { appendAuditEvent, appendAuditEvents } from '../repositories/audit';
import {
  consumeLink,
  findLinkByHash,
  findVerificationById,
  findVerificationBySessionHash,
  markLinkFetched,
  markLinkOpened,
} from '../repositories/verifications';
import { decidedEvent, isFinal, type Verification, type VerificationLink } from '../domain/verification';
import { applyEvent, type AuditEntry } from './lifecycle';

export interface LinkLanding {
  helpdeskName: string;
  ticketNumber: string;
  agentName: string;
  requesterName: string;
  expiresAt: Date;
}

const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

const notFound = () =>
  new AppError(
    'LINK_NOT_FOUND',
    'This link is not valid. Check that you opened the whole link from the message, or ask your helpdesk for a new one.',
  );
const used = () =>
  new AppError(
    'LINK_USED',
    'This link has already been used. If that was not you, tell your helpdesk right away; otherwise ask them for a new link.',
  );
const expired = () =>
  new AppError('LINK_EXPIRED', 'This link has expired. Ask your helpdesk agent to send you a new one.');

async function lookup(deps: Deps, token: string): Promise<{ link: VerificationLink; v: Verification }> {
  if (!TOKEN_SHAPE.test(token)) throw notFound();
  const link = await findLinkByHash(deps.db, sha256(token));
  if (!link) throw notFound();
  const v = await findVerificationById(deps.db, link.verificationId);
  if (!v) throw notFound();
  return { link, v };
}

function refuseUnusable(link: VerificationLink, v: Verification, now: Date) {
  if (link.usedAt) throw used();
  if (link.revokedAt || link.expiresAt <= now || isFinal(v.state)) throw expired();
}

/** The anti-CSRF value for the Start form: bound to the browser's cookie and to this link (S7). */
export function startCsrf(deps: Pick<Deps, 'keys'>, browserNonce: string, token: string): string {
  return hmac(deps.keys.csrf, `start:${browserNonce}:${sha256(token).toString('hex')}`).toString('base64url');
}

/**
 * GET (and HEAD) of the link: the landing page. Records the first fetch as `link.fetched` — a mail scanner or link
 * preview fetches links too, so this is not an open (see `reportOpened`).
 */
export async function openLink(deps: Deps, token: string): Promise<LinkLanding> {
  const { link, v } = await lookup(deps, token);
  const now = deps.clock.now();
  refuseUnusable(link, v, now);
  if (!link.fetchedAt) {
    await deps.db.transaction().execute(async (trx) => {
      if (!(await markLinkFetched(trx, link.id, now))) return; // a parallel fetch recorded it
      await appendAuditEvent(trx, {
        tenantId: v.tenantId,
        verificationId: v.id,
        type: 'link.fetched',
        actor: 'requester',
        data: {},
      });
    });
  }
  const tenant = deps.tenants.byId(v.tenantId);
  return {
    helpdeskName: tenant?.name ?? 'IT Helpdesk',
    ticketNumber: v.ticketNumber,
    agentName: v.agentName,
    requesterName: v.requesterName,
    expiresAt: link.expiresAt,
  };
}

function checkStartCsrf(
  deps: Deps,
  token: string,
  csrf: { nonce: string | undefined; value: string | undefined },
) {
  const expected = csrf.nonce ? Buffer.from(startCsrf(deps, csrf.nonce, token)) : null;
  if (!expected || !csrf.value || !safeEqual(Buffer.from(csrf.value), expected)) {
    throw new AppError(
      'CSRF_FAILED',
      'Your browser did not send the form we expected. Open the link again and press Start.',
    );
  }
}

const openedEvent = (v: Pick<Verification, 'tenantId' | 'id'>): AuditEntry => ({
  tenantId: v.tenantId,
  verificationId: v.id,
  type: 'link.opened',
  actor: 'requester',
  data: {},
});

/**
 * POST …/opened, the landing page's script reporting that a browser ran the page (with the page's anti-CSRF value,
 * S7): records the first open as `link.opened`, which the agent sees. Never consumes the link.
 */
export async function reportOpened(
  deps: Deps,
  token: string,
  csrf: { nonce: string | undefined; value: string | undefined },
): Promise<void> {
  if (!TOKEN_SHAPE.test(token)) throw notFound();
  checkStartCsrf(deps, token, csrf);
  const { link, v } = await lookup(deps, token);
  const now = deps.clock.now();
  refuseUnusable(link, v, now);
  if (link.openedAt) return;
  await deps.db.transaction().execute(async (trx) => {
    if (await markLinkOpened(trx, link.id, now)) await appendAuditEvent(trx, openedEvent(v));
  });
}

export async function start(
  deps: Deps,
  token: string,
  csrf: { nonce: string | undefined; value: string | undefined },
  meta: { ip: string; userAgent: string },
): Promise<{ sessionId: string; verification: Verification }> {
  if (!TOKEN_SHAPE.test(token)) throw notFound();
  checkStartCsrf(deps, token, csrf);
  const now = deps.clock.now();
  const sessionId = newToken();
  // The consume (S4: one conditional UPDATE … RETURNING) and the move to in progress and the decision share one
  // transaction (R4): if anything after the consume fails — the decision, a write, the process or its database
  // connection dying — the whole Start rolls back and the link is still unused, so the requester can simply retry.
  // Parallel Starts wait on the link row's lock; once the first commits, the others find it used.
  const verification = await deps.db.transaction().execute(async (trx) => {
    const link = await consumeLink(trx, sha256(token), now);
    if (!link) return null;
    const v0 = await findVerificationById(trx, link.verificationId);
    if (!v0) throw notFound();
    const decision = deps.decider.decide({
      linkPossessed: true,
      destinationOnFile: v0.destinationOnFile,
      channel: v0.channel,
      requesterContactChangedDaysAgo: null,
      openedFromSeveralDevices: false,
    });
    // The audit events of the steps are appended together, last (the chain's lock is held briefly).
    const audit: AuditEntry[] = [];
    const started = await applyEvent(trx, deps, v0, 'started', {
      set: { startedAt: now, requesterSessionHash: sha256(sessionId) },
      audit: { ip: meta.ip, userAgent: meta.userAgent.slice(0, 300) },
      auditInto: audit,
      now,
    });
    if (!started) throw expired(); // canceled or timed out in the meantime (rolls the consume back too)
    const decided = await applyEvent(trx, deps, started, decidedEvent(decision.outcome), {
      set: {
        outcome: decision.outcome,
        riskLevel: decision.riskLevel,
        riskScore: decision.score,
        recommendation: decision.recommendation,
        reasons: decision.reasons,
        completedAt: now,
        attention: decision.riskLevel === 'high' ? 'High risk detected - review before acting' : null,
      },
      audit: {
        outcome: decision.outcome,
        riskLevel: decision.riskLevel,
        score: decision.score,
        reasons: decision.reasons,
      },
      auditInto: audit,
      now,
    });
    if (!decided) throw expired();
    // Pressing Start shows a person had the page, even when its script did not run (or did not report the open).
    const opened = !link.openedAt && (await markLinkOpened(trx, link.id, now)) ? [openedEvent(started)] : [];
    await appendAuditEvents(trx, [...opened, ...audit]);
    return decided;
  });
  if (!verification) {
    // Not consumed: say why (used, revoked, expired, finished), outside the rolled-back transaction.
    const { link: existing, v } = await lookup(deps, token);
    refuseUnusable(existing, v, now);
    throw expired();
  }
  return { sessionId, verification };
}

export async function resultForSession(deps: Deps, sessionId: string | undefined) {
  if (!sessionId || sessionId.length > 100) return null;
  return findVerificationBySessionHash(deps.db, sha256(sessionId));
}
