// The requester's side (F4): a GET shows who asks and why and never consumes the link (S7); Start consumes it
// atomically (S4), binds the browser, takes the silent checks and opens the challenge (services/assurance.ts).
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
import type { SignalsPayload } from '@imper/shared';
import { isFinal, type Verification, type VerificationLink } from '../domain/verification';
import { recordLinkOpenedDevice } from '../repositories/assurance';
import { parseSignalsPayload } from '../signals';
import { beginChallenge, CHALLENGE_PATH, loadOrgFacts, planAssurance, RESULT_PATH } from './assurance';
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
  device: { ip: string; userAgent: string },
): Promise<void> {
  if (!TOKEN_SHAPE.test(token)) throw notFound();
  checkStartCsrf(deps, token, csrf);
  const { link, v } = await lookup(deps, token);
  const now = deps.clock.now();
  refuseUnusable(link, v, now);
  if (link.openedAt) return;
  await deps.db.transaction().execute(async (trx) => {
    if (!(await markLinkOpened(trx, link.id, now))) return;
    // Who opened it, for "opened on one device, started on another".
    await recordLinkOpenedDevice(trx, link.id, device.ip, device.userAgent);
    await appendAuditEvent(trx, openedEvent(v));
  });
}

/** The collector's payload as the Start form carries it (a JSON string); null when absent or not valid. */
export function parseSignalsField(raw: string | undefined): SignalsPayload | null {
  if (!raw || raw.length > 16_384) return null;
  try {
    return parseSignalsPayload(JSON.parse(raw));
  } catch {
    return null;
  }
}

export interface StartMeta {
  ip: string;
  headers: Record<string, string | string[] | undefined>;
  /** The Start form's `signals` field (the browser collector's JSON) */
  signals?: string | undefined;
}

export async function start(
  deps: Deps,
  token: string,
  csrf: { nonce: string | undefined; value: string | undefined },
  meta: StartMeta,
): Promise<{ sessionId: string; verification: Verification; next: string }> {
  if (!TOKEN_SHAPE.test(token)) throw notFound();
  checkStartCsrf(deps, token, csrf);
  const now = deps.clock.now();
  const sessionId = newToken();
  const userAgent = String(meta.headers['user-agent'] ?? '');
  // Refuse an unusable link before asking ServiceNow anything; the facts are read outside the transaction (no
  // lock is held while ServiceNow answers).
  const pre = await lookup(deps, token);
  refuseUnusable(pre.link, pre.v, now);
  const facts = await loadOrgFacts(deps, pre.v);
  const payload = parseSignalsField(meta.signals);
  // The consume (S4: one conditional UPDATE … RETURNING), the silent checks, the move to in progress and the
  // challenge (or, with nothing to ask, the decision) share one transaction (R4): if anything after the consume
  // fails — a write, the process or its database connection dying — the whole Start rolls back and the link is
  // still unused, so the requester can simply retry. Parallel Starts wait on the link row's lock; once the first
  // commits, the others find it used.
  const verification = await deps.db.transaction().execute(async (trx) => {
    const link = await consumeLink(trx, sha256(token), now);
    if (!link) return null;
    const v0 = await findVerificationById(trx, link.verificationId);
    if (!v0) throw notFound();
    const plan = await planAssurance(
      trx,
      deps,
      v0,
      { ip: meta.ip, headers: meta.headers, payload },
      facts,
      now,
    );
    // The audit events of the steps are appended together, last (the chain's lock is held briefly).
    const audit: AuditEntry[] = [];
    const started = await applyEvent(trx, deps, v0, 'started', {
      set: {
        startedAt: now,
        requesterSessionHash: sha256(sessionId),
        riskContext: plan.riskContext,
        deadlineAt: new Date(now.getTime() + deps.config.verificationTimeoutMinutes * 60_000),
      },
      audit: { ip: meta.ip, userAgent: userAgent.slice(0, 300), collector: payload !== null },
      auditInto: audit,
      now,
    });
    if (!started) throw expired(); // canceled or timed out in the meantime (rolls the consume back too)
    // Pressing Start shows a person had the page, even when its script did not run (or did not report the open).
    const opened = !link.openedAt && (await markLinkOpened(trx, link.id, now)) ? [openedEvent(started)] : [];
    const current = await beginChallenge(trx, deps, started, plan, now, audit);
    await appendAuditEvents(trx, [...opened, ...audit]);
    return current;
  });
  if (!verification) {
    // Not consumed: say why (used, revoked, expired, finished), outside the rolled-back transaction.
    const { link: existing, v } = await lookup(deps, token);
    refuseUnusable(existing, v, now);
    throw expired();
  }
  const next =
    verification.state === 'in_progress' && verification.step === 'challenge' ? CHALLENGE_PATH : RESULT_PATH;
  return { sessionId, verification, next };
}

export async function resultForSession(deps: Deps, sessionId: string | undefined) {
  if (!sessionId || sessionId.length > 100) return null;
  return findVerificationBySessionHash(deps.db, sha256(sessionId));
}
