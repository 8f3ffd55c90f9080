// The agent's side (F2, F3): launch from ServiceNow, the ticket view, send, resend, cancel.
import type {
  AgentTicketView,
  AgentVerificationView,
  Channel,
  RiskLevel,
  SendVerificationBody,
} from '@imper/shared';
import type { AgentDetailsView, DetailsStep } from '@imper/portal';
import { sql, type Transaction } from 'kysely';
import type { Deps } from '../context';
import type { Database } from '../db/schema';
import { maskDestination, normalizeDestination, recipientKey, sameDestination } from '../domain/destination';
import { unverifiedIssuer, verifyLaunchToken } from '../domain/launch-token';
import { isActive, isFinal, type Verification } from '../domain/verification';
import { AppError } from '../errors';
import { hmac, newPublicId, newToken, sealedRequesterEmail, sha256 } from '../lib/crypto';
import { callCodeDigits, newSealedCallCode } from './assurance';
import { appendAuditEvent, appendAuditEvents, listAuditEvents } from '../repositories/audit';
import {
  findAgentSession,
  insertAgentSession,
  recordJti,
  updateSessionContext,
} from '../repositories/sessions';
import {
  countDeliveries,
  countRecentSends,
  findLatestForTicket,
  findVerificationByPublicId,
  DESCRIPTION_MAX,
  insertVerification,
  lastOpenedAt,
  latestDelivery,
} from '../repositories/verifications';
import { contactsOnFile, fetchTicketContext } from '../clients/servicenow/ticket-context';
import { ServiceNowError } from '../clients/servicenow/client';
import type { Tenant } from './tenants';
import { fetchCategoryPolicies, POLICY_TABLE } from '../clients/servicenow/category-policies';
import { NO_ACTION, policyForTicket, type TicketPolicy } from '../domain/category-policy';
import { applyEvent, type AuditEntry } from './lifecycle';
import { queueDelivery } from './delivery';

export interface AgentSession {
  idHash: Buffer;
  tenantId: string;
  userName: string;
  name: string;
  ticket: { table: string; sysId: string; number: string };
}

interface CachedContext {
  /** `description` is absent in older sessions */
  ticket: { number: string; subject: string; category: string; description?: string };
  /** The category policy's action for the ticket and whether it closes the ticket (absent in older sessions) */
  policy?: TicketPolicy;
  /** `email` (the email on file, for the console's table) is absent in older sessions */
  requester: { sysId: string | null; name: string; userName: string; email?: string };
  contacts: Array<{ key: string; channel: Channel; value: string; label: string }>;
}

const CONTACT_LABELS: Record<string, string> = {
  email: 'Email on file',
  mobile_phone: 'Mobile on file',
  phone: 'Phone on file',
};

export function csrfFor(deps: Pick<Deps, 'keys'>, idHash: Buffer): string {
  return hmac(deps.keys.csrf, `agent:${idHash.toString('hex')}`).toString('base64url');
}

/** GET /agent/launch: verify the token, refuse replays, open a session bound to that agent and ticket. */
export async function launch(deps: Deps, token: string, ip: string): Promise<{ sessionId: string }> {
  const tenant = deps.tenants.byInstanceUrl(unverifiedIssuer(token));
  if (!tenant)
    throw new AppError(
      'LAUNCH_TOKEN_INVALID',
      'This link does not come from a ServiceNow instance we know. Ask your ServiceNow admin to check the imper.ai settings.',
    );
  const now = deps.clock.now();
  const claims = await verifyLaunchToken(token, {
    secret: tenant.launchSecret,
    issuer: tenant.instanceUrl,
    nowSeconds: Math.floor(now.getTime() / 1000),
  });
  await assertTableCovered(deps, tenant, claims.ticket.table);
  const sessionId = newToken();
  const idHash = sha256(sessionId);
  await deps.db.transaction().execute(async (trx) => {
    if (!(await recordJti(trx, tenant.id, claims.jti, new Date(claims.exp * 1000)))) {
      throw new AppError(
        'LAUNCH_TOKEN_REPLAYED',
        'This link from ServiceNow was already used. Click the verification link on the ticket again.',
      );
    }
    await insertAgentSession(trx, {
      id_hash: idHash,
      tenant_id: tenant.id,
      user_name: claims.sub,
      name: claims.name,
      ticket_table: claims.ticket.table,
      ticket_sys_id: claims.ticket.sys_id,
      ticket_number: claims.ticket.number,
      context_sealed: deps.sealer.seal(JSON.stringify(null)),
      expires_at: new Date(now.getTime() + deps.config.agentSessionMinutes * 60_000),
    });
    await appendAuditEvent(trx, {
      tenantId: tenant.id,
      verificationId: null,
      type: 'agent.launched',
      actor: `agent:${claims.sub}`,
      data: { ticket: claims.ticket.number, table: claims.ticket.table, ip },
    });
  });
  return { sessionId };
}

/** The app's category policies (CONTRACTS.md): which task tables, and so which tickets, verification is for. */

/** The deadline for the ServiceNow calls one agent request waits on (see Config.servicenowRequestBudgetMs). */
const servicenowDeadline = (deps: Deps) => Date.now() + deps.config.servicenowRequestBudgetMs;

const servicenowTimeout = () =>
  new AppError('SERVICENOW_TIMEOUT', 'ServiceNow did not answer in time. Try again in a minute.');

/**
 * A signed launch names a ticket on any table the instance's user could open; only task tables an active category
 * policy covers are verification tickets (a write-back to `sys_user` would fail anyway). Refused before anything
 * is created. One small read per launch, within the request budget.
 */
async function assertTableCovered(deps: Deps, tenant: Tenant, table: string) {
  let tables: Set<string>;
  try {
    const { records } = await tenant.servicenow.query(POLICY_TABLE, {
      query: 'active=true',
      fields: ['task_table'],
      limit: 1000,
      deadline: servicenowDeadline(deps),
    });
    // `task_table` defaults to incident (CONTRACTS.md); an empty value means the default.
    tables = new Set(records.map((r) => (r.task_table ?? '').trim() || 'incident'));
  } catch (err) {
    deps.log.warn({ err: { message: (err as Error).message } }, 'category policies unavailable');
    if (err instanceof ServiceNowError && err.kind === 'timeout') throw servicenowTimeout();
    throw new AppError(
      'SERVICENOW_UNAVAILABLE',
      'ServiceNow did not answer. Try again in a moment; if it keeps happening, ask your ServiceNow admin to check the imper.ai app.',
    );
  }
  if (!tables.has(table)) {
    throw new AppError(
      'TICKET_TABLE_NOT_SUPPORTED',
      `Verification is not set up for ${table} records: no active imper.ai category policy covers that table. Use the link on an incident, or ask your ServiceNow admin to add a policy.`,
    );
  }
}

/** What the agent is told when reading the ticket from ServiceNow failed. */
function ticketReadFailure(deps: Deps, err: unknown, ticket: AgentSession['ticket']): AppError {
  deps.log.warn({ err: { message: (err as Error).message } }, 'ticket context unavailable');
  if (err instanceof ServiceNowError) {
    if (err.kind === 'timeout') return servicenowTimeout();
    // ServiceNow answers 400 "Invalid table <name>" for a table the instance does not have.
    if (err.status === 400 && /invalid table/i.test(err.message)) {
      return new AppError(
        'TICKET_NOT_FOUND',
        `The ServiceNow instance has no table ${ticket.table}, so ticket ${ticket.number} cannot be read. Ask your ServiceNow admin to check the imper.ai category policies.`,
      );
    }
    if (err.status === 404) return ticketNotFound(ticket);
  }
  return new AppError('SERVICENOW_UNAVAILABLE', 'ServiceNow did not answer. Try again in a moment.');
}

const ticketNotFound = (ticket: AgentSession['ticket']) =>
  new AppError(
    'TICKET_NOT_FOUND',
    `Ticket ${ticket.number} was not found on the ServiceNow instance (or imper.ai may not read it). Check that it still exists, then click its verification link again.`,
  );

export async function loadSession(
  deps: Deps,
  sessionId: string | undefined,
): Promise<AgentSession & { contextSealed: string }> {
  if (!sessionId || sessionId.length > 100) throw sessionRequired();
  const row = await findAgentSession(deps.db, sha256(sessionId), deps.clock.now());
  if (!row) throw sessionRequired();
  return {
    idHash: row.id_hash,
    tenantId: row.tenant_id,
    userName: row.user_name,
    name: row.name,
    ticket: { table: row.ticket_table, sysId: row.ticket_sys_id, number: row.ticket_number },
    contextSealed: row.context_sealed,
  };
}

const sessionRequired = () =>
  new AppError(
    'AGENT_SESSION_REQUIRED',
    'Your session has ended. Open the ticket in ServiceNow and click the verification link again.',
  );

/** Fetches the ticket and requester from ServiceNow and remembers what the agent was shown. */
/**
 * The action the category policy gives the ticket (and whether it closes the ticket). When the policies cannot be
 * read, no action is offered: the verification still runs, and nothing automated happens (fail closed).
 */
async function ticketPolicy(
  deps: Deps,
  tenant: Tenant,
  ticket: { table: string; category: string; subcategory: string },
): Promise<TicketPolicy> {
  try {
    const rows = await fetchCategoryPolicies(tenant.servicenow, { deadline: servicenowDeadline(deps) });
    return policyForTicket(rows, ticket);
  } catch (err) {
    deps.log.warn(
      { err: { message: (err as Error).message } },
      'category policies unavailable: no action offered',
    );
    return NO_ACTION;
  }
}

async function refreshContext(deps: Deps, s: AgentSession): Promise<CachedContext> {
  const tenant = deps.tenants.byId(s.tenantId)!;
  let ctx;
  try {
    ctx = await fetchTicketContext(
      tenant.servicenow,
      { table: s.ticket.table, sysId: s.ticket.sysId },
      { deadline: servicenowDeadline(deps) },
    );
  } catch (err) {
    throw ticketReadFailure(deps, err, s.ticket);
  }
  if (!ctx) throw ticketNotFound(s.ticket);
  const policy = await ticketPolicy(deps, tenant, ctx.ticket);
  const cached: CachedContext = {
    ticket: {
      number: ctx.ticket.number,
      subject: ctx.ticket.subject,
      category: ctx.ticket.category,
      description: ctx.ticket.description.slice(0, DESCRIPTION_MAX),
    },
    policy,
    requester: {
      sysId: ctx.requester?.sysId ?? null,
      name: ctx.requester?.name ?? '',
      userName: ctx.requester?.userName ?? '',
      email: ctx.requester?.email ?? '',
    },
    contacts: ctx.requester
      ? contactsOnFile(ctx.requester).map((c) => ({
          key: c.key,
          channel: c.channel,
          value: c.value,
          label: CONTACT_LABELS[c.key] ?? c.key,
        }))
      : [],
  };
  await updateSessionContext(deps.db, s.idHash, deps.sealer.seal(JSON.stringify(cached)));
  return cached;
}

function cachedContext(deps: Deps, s: { contextSealed: string }): CachedContext | null {
  return JSON.parse(deps.sealer.open(s.contextSealed)) as CachedContext | null;
}

/** The ticket's form on its instance (`<instance>/<table>.do?sys_id=…`), for the send page's way back. */
function ticketFormUrl(deps: Deps, s: AgentSession): string {
  const instance = deps.tenants.byId(s.tenantId)!.instanceUrl;
  return `${instance}/${encodeURIComponent(s.ticket.table)}.do?sys_id=${encodeURIComponent(s.ticket.sysId)}`;
}

export async function ticketView(deps: Deps, s: AgentSession): Promise<AgentTicketView> {
  const ctx = await refreshContext(deps, s);
  const verification = await inSnapshot(deps, async (d) => {
    const latest = await findLatestForTicket(d.db, s.tenantId, s.ticket.table, s.ticket.sysId);
    return latest ? agentView(d, latest) : undefined;
  });
  return {
    ticket: {
      table: s.ticket.table,
      sysId: s.ticket.sysId,
      number: ctx.ticket.number,
      subject: ctx.ticket.subject,
      category: ctx.ticket.category,
      url: ticketFormUrl(deps, s),
    },
    requester: { name: ctx.requester.name, userName: ctx.requester.userName },
    agent: { name: s.name, userName: s.userName },
    contacts: ctx.contacts.map((c) => ({
      key: c.key,
      channel: c.channel,
      label: c.label,
      masked: maskDestination(c.channel, c.value),
    })),
    ...(verification ? { verification } : {}),
    csrf: csrfFor(deps, s.idHash),
  };
}

export async function agentView(deps: Deps, v: Verification): Promise<AgentVerificationView> {
  const d = await latestDelivery(deps.db, v.id);
  // The send page's timeline shows when the requester opened the link (never who, where or how).
  const openedAt = await lastOpenedAt(deps.db, v.id);
  return {
    id: v.publicId,
    state: v.state,
    channel: v.channel,
    destinationMasked: v.destinationMasked,
    destinationOnFile: v.destinationOnFile,
    ...(d
      ? {
          delivery: {
            status: d.status as 'queued',
            provider: d.provider,
            ...(d.errorMessage ? { error: d.errorMessage } : {}),
            updatedAt: d.updatedAt.toISOString(),
          },
        }
      : {}),
    ...(v.outcome ? { outcome: v.outcome } : {}),
    // The risk level is the outcome's: not shown while the verification still runs (e.g. waits for the manager).
    ...(v.riskLevel && isFinal(v.state) ? { riskLevel: v.riskLevel as 'verified' } : {}),
    ...(v.recommendation ? { recommendation: v.recommendation } : {}),
    // Number matching: the agent reads this to the caller until the requester has answered or it ended.
    ...(isActive(v.state) && v.step !== 'step_up' && callCodeDigits(deps, v)
      ? { callCode: callCodeDigits(deps, v)! }
      : {}),
    ...(v.attention ? { attention: v.attention } : {}),
    ...(openedAt ? { linkOpenedAt: openedAt.toISOString() } : {}),
    linkExpiresAt: v.deadlineAt.toISOString(),
    createdAt: v.createdAt.toISOString(),
    updatedAt: v.updatedAt.toISOString(),
  };
}

export async function send(
  deps: Deps,
  s: AgentSession & { contextSealed: string },
  body: SendVerificationBody,
): Promise<AgentVerificationView> {
  const ctx = cachedContext(deps, s) ?? (await refreshContext(deps, s));
  const { channel } = body;
  if ((body.contactKey === undefined) === (body.destination === undefined)) {
    throw new AppError('VALIDATION_FAILED', 'Choose one contact on file or type a destination (not both).');
  }
  let destination: string;
  let onFile: boolean;
  let key: string | null = null;
  if (body.contactKey !== undefined) {
    const contact = ctx.contacts.find((c) => c.key === body.contactKey && c.channel === channel);
    if (!contact)
      throw new AppError(
        'INVALID_DESTINATION',
        'That contact is not on file for this requester. Pick one from the list or type one.',
      );
    destination = normalizeDestination(channel, contact.value);
    onFile = true;
    key = contact.key;
  } else {
    destination = normalizeDestination(channel, body.destination!);
    const match = ctx.contacts.find(
      (c) => c.channel === channel && sameDestination(channel, c.value, destination),
    );
    onFile = match !== undefined;
    key = match?.key ?? null;
  }
  const now = deps.clock.now();
  // Keyed by the recipient, not the spelling, so `victim+1@…` counts against `victim@…` (S16).
  const destinationHash = hmac(deps.keys.destination, `${channel}:${recipientKey(channel, destination)}`);

  const deadline = new Date(now.getTime() + deps.config.linkTtlMinutes * 60_000);
  const v = await deps.db
    .transaction()
    .execute(async (trx) => {
      await enforceSendLimits(deps, trx, s, destinationHash, now);
      const active = await findLatestForTicket(trx, s.tenantId, s.ticket.table, s.ticket.sysId);
      if (active && isActive(active.state)) throw alreadyActive(active.publicId);
      const created = await insertVerification(trx, {
        publicId: newPublicId(),
        tenantId: s.tenantId,
        state: 'sending',
        ticketTable: s.ticket.table,
        ticketSysId: s.ticket.sysId,
        ticketNumber: ctx.ticket.number || s.ticket.number,
        ticketSubject: ctx.ticket.subject,
        ticketCategory: ctx.ticket.category,
        requesterSysId: ctx.requester.sysId,
        requesterName: ctx.requester.name,
        ...sealedRequesterEmail(deps, ctx.requester.email ?? ''),
        ticketDescription: ctx.ticket.description ?? '',
        requesterUserName: ctx.requester.userName,
        agentUserName: s.userName,
        agentName: s.name,
        channel,
        destinationSealed: deps.sealer.seal(destination),
        destinationMasked: maskDestination(channel, destination),
        destinationHash,
        destinationKey: key,
        destinationOnFile: onFile,
        createdAt: now,
        deadlineAt: deadline,
        callCodeSealed: newSealedCallCode(deps),
        action: (ctx.policy ?? NO_ACTION).action,
        autoClose: (ctx.policy ?? NO_ACTION).autoClose,
      });
      await queueDelivery(trx, deps, created, deadline);
      await appendAuditEvent(trx, {
        tenantId: s.tenantId,
        verificationId: created.id,
        type: 'verification.created',
        actor: `agent:${s.userName}`,
        data: {
          ticket: created.ticketNumber,
          channel,
          destination: created.destinationMasked,
          onFile,
          contactKey: key,
        },
      });
      return created;
    })
    .catch((err: unknown) => {
      if ((err as { code?: string }).code === '23505') throw alreadyActive(null); // a parallel send won the race
      throw err;
    });
  return agentView(deps, v);
}

const alreadyActive = (publicId: string | null) =>
  new AppError(
    'VERIFICATION_ALREADY_ACTIVE',
    `A verification${publicId ? ` (${publicId})` : ''} is already under way for this ticket. Resend or cancel it first.`,
  );

/** Transaction-scoped locks on an agent's and a recipient's sends; always agent first, so senders cannot deadlock. */
async function lockSenders(trx: Transaction<Database>, s: AgentSession, destinationHash: Buffer) {
  await sql`select pg_advisory_xact_lock(hashtextextended(${`send-agent:${s.tenantId}:${s.userName}`}, 0))`.execute(
    trx,
  );
  await sql`select pg_advisory_xact_lock(hashtextextended(${`send-recipient:${s.tenantId}:${destinationHash.toString('hex')}`}, 0))`.execute(
    trx,
  );
}

/**
 * Per-agent and per-recipient send limits (S16). Runs inside the sending transaction, after locks on the agent and
 * the recipient, so that parallel sends are counted one after another and cannot slip past the limits together.
 */
async function enforceSendLimits(
  deps: Deps,
  trx: Transaction<Database>,
  s: AgentSession,
  destinationHash: Buffer,
  now: Date,
) {
  await lockSenders(trx, s, destinationHash);
  const hourAgo = new Date(now.getTime() - 3_600_000);
  const limits = deps.config.rateLimits;
  const byAgent = await countRecentSends(trx, s.tenantId, { agent: s.userName }, hourAgo);
  if (byAgent >= limits.sendsPerAgentPerHour) {
    throw new AppError(
      'RATE_LIMITED',
      'You have sent many verification links in the last hour. Wait a while before sending another.',
      { 'retry-after': '600' },
    );
  }
  const byRecipient = await countRecentSends(trx, s.tenantId, { destinationHash }, hourAgo);
  if (byRecipient >= limits.sendsPerRecipientPerHour) {
    throw new AppError(
      'RATE_LIMITED',
      'This destination has received several links in the last hour. Wait before sending another.',
      { 'retry-after': '600' },
    );
  }
}

async function sessionVerification(deps: Deps, s: AgentSession, publicId: string) {
  const v = await findVerificationByPublicId(deps.db, s.tenantId, publicId);
  if (!v || v.ticketSysId !== s.ticket.sysId)
    throw new AppError('VERIFICATION_NOT_FOUND', 'No such verification for this ticket.');
  return v;
}

export async function resend(deps: Deps, s: AgentSession, publicId: string): Promise<AgentVerificationView> {
  const v = await sessionVerification(deps, s, publicId);
  const now = deps.clock.now();
  const deadline = new Date(now.getTime() + deps.config.linkTtlMinutes * 60_000);
  const updated = await deps.db.transaction().execute(async (trx) => {
    // Counted under the same locks as sends (resends of one verification share its recipient), so parallel
    // resends cannot slip past the limit together.
    await lockSenders(trx, s, v.destinationHash);
    if ((await countDeliveries(trx, v.id)) >= deps.config.rateLimits.sendsPerVerification) {
      throw new AppError(
        'RATE_LIMITED',
        'This verification has been sent the most times allowed. Cancel it and start a new one.',
        { 'retry-after': '3600' },
      );
    }
    await enforceSendLimits(deps, trx, s, v.destinationHash, now);
    // The audit event waits for the end of the transaction (the chain's lock is held briefly).
    const audit: AuditEntry[] = [];
    const moved = await applyEvent(trx, deps, v, 'resent', {
      set: { deadlineAt: deadline, attention: null },
      agent: s.userName,
      auditInto: audit,
      now,
    });
    if (!moved)
      throw new AppError('INVALID_STATE', 'This verification can no longer be resent. Start a new one.');
    await queueDelivery(trx, deps, v, deadline);
    await appendAuditEvents(trx, audit);
    return moved;
  });
  return agentView(deps, updated);
}

export async function cancel(deps: Deps, s: AgentSession, publicId: string): Promise<AgentVerificationView> {
  const v = await sessionVerification(deps, s, publicId);
  const now = deps.clock.now();
  const updated = await deps.db.transaction().execute(async (trx) => {
    const moved = await applyEvent(trx, deps, v, 'canceled', {
      set: { completedAt: now, attention: null },
      agent: s.userName,
      now,
    });
    if (!moved) throw new AppError('VERIFICATION_FINISHED', 'This verification has already finished.');
    return moved;
  });
  return agentView(deps, updated);
}

/** One snapshot, so the state, attention and delivery shown always belong together (they change in one transaction). */
function inSnapshot<T>(deps: Deps, fn: (d: Deps) => Promise<T>): Promise<T> {
  return deps.db
    .transaction()
    .setIsolationLevel('repeatable read')
    .execute((trx) => fn({ ...deps, db: trx }));
}

export async function verificationForSession(deps: Deps, s: AgentSession, publicId: string) {
  return inSnapshot(deps, async (d) => agentView(d, await sessionVerification(d, s, publicId)));
}

/** Audit event types the agent's details page shows, as plain steps; any other type (and every event's data) stays out. */
const DETAILS_STEP_OF: Record<string, DetailsStep> = {
  'verification.created': 'created',
  'verification.resend_requested': 'resent',
  'message.sent': 'sent',
  'message.failed': 'failed',
  'link.fetched': 'fetched',
  'link.opened': 'opened',
  'verification.started': 'started',
  'verification.decided': 'decided',
  'ticket.updated': 'ticketUpdated',
  'ticket.update_dead': 'ticketUpdateFailed',
  'verification.canceled': 'canceled',
  'verification.timed_out': 'timedOut',
};

/**
 * GET /console/verifications/:id for an agent: only a verification of the session's tenant and ticket (anything else
 * is VERIFICATION_NOT_FOUND, which the route answers exactly like a missing session). Picks fields one by one, so
 * scores, reasons, full destinations, IP addresses and user agents cannot reach the page.
 */
export async function detailsForSession(
  deps: Deps,
  s: AgentSession,
  publicId: string,
): Promise<AgentDetailsView> {
  const v = await findVerificationByPublicId(deps.db, s.tenantId, publicId);
  if (
    !v ||
    v.tenantId !== s.tenantId ||
    v.ticketTable !== s.ticket.table ||
    v.ticketSysId !== s.ticket.sysId
  ) {
    throw new AppError('VERIFICATION_NOT_FOUND', 'No such verification for this ticket.');
  }
  const events = await listAuditEvents(deps.db, v.id);
  const timeline = events.flatMap((e) => {
    const step = DETAILS_STEP_OF[e.type];
    return step ? [{ step, at: e.created_at.toISOString() }] : [];
  });
  return {
    id: v.publicId,
    ticket: { number: v.ticketNumber, subject: v.ticketSubject },
    requesterName: v.requesterName,
    state: v.state,
    ...(v.riskLevel ? { riskLevel: v.riskLevel as RiskLevel } : {}),
    ...(v.recommendation ? { recommendation: v.recommendation } : {}),
    channel: v.channel,
    destinationMasked: v.destinationMasked,
    destinationOnFile: v.destinationOnFile,
    initiatedBy: v.agentName || v.agentUserName,
    createdAt: v.createdAt.toISOString(),
    ...(v.startedAt ? { startedAt: v.startedAt.toISOString() } : {}),
    ...(v.completedAt ? { completedAt: v.completedAt.toISOString() } : {}),
    timeline,
  };
}
