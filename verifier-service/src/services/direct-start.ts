// F7: a verification started without an agent — from the portal's self-service page or by a system through the
// API (IVR, chat bots). The same verification and actions follow an agent's; what differs is how it begins:
//
//  1. The account is looked up by user name or work email in the tenant's ServiceNow (active, exactly one).
//  2. The link goes only to a contact on file (S9): the requested channel's, or for self-service the mobile on
//     file (else the email) — never an address the caller supplies.
//  3. A ticket is created for the record, in the category of the active category policy for the action, and
//     carries the verification's public ID as `correlation_id` (a retried start finds it again). The write-back
//     records the outcome on it and, when the action completes, the close job resolves and closes it.
//  4. Limits (S16): one running direct start per account, and `directStartsPerAccountPerHour` an hour, counted
//     under a per-account lock before any ticket is created, on top of the per-recipient limit of every send.
//     The lock is held while the ticket is created, so parallel starts for one account make one ticket.
//
// There is no call code (no agent on the line to read one) and so no number matching; the rest of the assurance —
// silent checks, knowledge challenge, step-up, risk decision — is the same.
import { sql } from 'kysely';
import { ACTIONS, type Action, type Channel } from '@imper/shared';
import type { Deps } from '../context';
import { maskDestination, normalizeDestination, recipientKey } from '../domain/destination';
import { isActive, type Verification } from '../domain/verification';
import { AppError } from '../errors';
import { hmac, newPublicId, sealedRequesterEmail } from '../lib/crypto';
import { appendAuditEvent } from '../repositories/audit';
import {
  countRecentDirectStarts,
  countRecentSends,
  findVerificationByPublicId,
  insertVerification,
  latestDirectStart,
} from '../repositories/verifications';
import { fetchCategoryPolicies } from '../clients/servicenow/category-policies';
import { contactsOnFile, findRequester, type Requester } from '../clients/servicenow/ticket-context';
import { createTicketOnce } from '../clients/servicenow/create-ticket';
import type { CategoryPolicyRow } from '../domain/category-policy';
import type { Tenant } from './tenants';
import { queueDelivery } from './delivery';

export type DirectInitiator = { kind: 'self_service' } | { kind: 'api'; apiKeyId: string; keyName: string };

export interface DirectStartRequest {
  tenantId: string;
  /** A user name or work email */
  identifier: string;
  /** The contact on file to use; self-service leaves it to the service (mobile first) */
  channel?: Channel;
  action: Action;
  /** Why, in the caller's words (API); goes into the ticket's description */
  reason?: string;
  initiator: DirectInitiator;
  /** The verification's public ID when the caller chose it (a job retrying the same start) */
  publicId?: string;
}

export type DirectStartResult =
  | { kind: 'started'; verification: Verification }
  /** The account has one running already (its link still works); nothing new was created */
  | { kind: 'already_running'; verification: Verification }
  | { kind: 'unknown_account' }
  | { kind: 'no_contact'; channel: Channel | null }
  | { kind: 'action_not_offered'; action: Action };

const ACTION_SUBJECTS: Record<Action, string> = {
  none: 'Identity verification',
  password_reset: 'Password reset',
  account_unlock: 'Account unlock',
  mfa_reset: 'MFA reset',
};

const CONTACT_TYPE: Record<DirectInitiator['kind'], string> = { self_service: 'self-service', api: 'phone' };

/** The category a direct start's ticket gets: the first active policy (by order) whose action is the one asked. */
export function policyForAction(
  rows: readonly CategoryPolicyRow[],
  action: Action,
): CategoryPolicyRow | null {
  return (
    rows.filter((p) => p.active && p.action === action && p.category).sort((a, b) => a.order - b.order)[0] ??
    null
  );
}

function pickContact(requester: Requester, channel: Channel | undefined) {
  const contacts = contactsOnFile(requester);
  if (channel) return contacts.find((c) => c.channel === channel) ?? null;
  return contacts.find((c) => c.channel === 'sms') ?? contacts.find((c) => c.channel === 'email') ?? null;
}

const deadlineFor = (deps: Deps) => Date.now() + deps.config.servicenowRequestBudgetMs;

export async function startDirect(deps: Deps, req: DirectStartRequest): Promise<DirectStartResult> {
  const tenant = deps.tenants.byId(req.tenantId);
  if (!tenant) throw new AppError('VALIDATION_FAILED', 'Unknown tenant.');
  if (!(ACTIONS as readonly string[]).includes(req.action))
    throw new AppError('VALIDATION_FAILED', `Unknown action ${req.action}.`);
  const requester = await findRequester(tenant.servicenow, req.identifier, { deadline: deadlineFor(deps) });
  if (!requester) return { kind: 'unknown_account' };
  // A retried start (same public ID) finds what its first attempt made. Public IDs are short (30 bits), so an ID
  // some other verification already holds is no retry: that start gets a new ID rather than another's verification.
  let publicId = req.publicId ?? newPublicId();
  if (req.publicId) {
    const again = await findVerificationByPublicId(deps.db, tenant.id, req.publicId);
    if (again && again.initiatedBy === req.initiator.kind && again.requesterSysId === requester.sysId)
      return { kind: 'started', verification: again };
    if (again) publicId = newPublicId();
  }
  const contact = pickContact(requester, req.channel);
  if (!contact) return { kind: 'no_contact', channel: req.channel ?? null };
  const policy = policyForAction(
    await fetchCategoryPolicies(tenant.servicenow, { deadline: deadlineFor(deps) }),
    req.action,
  );
  if (!policy && req.action !== 'none') return { kind: 'action_not_offered', action: req.action };

  const now = deps.clock.now();
  const hourAgo = new Date(now.getTime() - 3_600_000);
  const destination = normalizeDestination(contact.channel, contact.value);
  const destinationHash = hmac(
    deps.keys.destination,
    `${contact.channel}:${recipientKey(contact.channel, destination)}`,
  );
  const ticketTable = policy?.taskTable || 'incident';
  const subject = `${ACTION_SUBJECTS[req.action]} requested through ${
    req.initiator.kind === 'api' ? `the API (${req.initiator.keyName})` : 'self-service'
  }`;
  const deadline = new Date(now.getTime() + deps.config.linkTtlMinutes * 60_000);
  const description = [
    `${requester.name || requester.userName} started imper.ai verification ${publicId} without an agent.`,
    ...(req.reason ? [`Reason given: ${req.reason}`] : []),
    'The outcome is written on this ticket; it is resolved and closed when the requested action completes.',
  ].join('\n');
  const actor = req.initiator.kind === 'api' ? `api:${req.initiator.keyName}` : 'self_service';

  // One start per account at a time: the account's lock is held from the check to the insert, ticket creation
  // included, so parallel starts cannot each create a ticket (the lock holds no row: other accounts never wait).
  return deps.db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(hashtextextended(${`direct-start:${tenant.id}:${requester.sysId}`}, 0))`.execute(
      trx,
    );
    const running = await latestDirectStart(trx, tenant.id, requester.sysId);
    if (running && isActive(running.state)) return { kind: 'already_running', verification: running };
    await assertWithinLimits(deps, trx, tenant.id, requester.sysId, destinationHash, hourAgo);
    const ticket = await createTicketOnce(
      tenant.servicenow,
      {
        table: ticketTable,
        correlationId: publicId,
        callerSysId: requester.sysId,
        shortDescription: subject,
        description,
        category: policy?.category ?? '',
        subcategory: policy?.subcategory ?? '',
        contactType: CONTACT_TYPE[req.initiator.kind],
      },
      { deadline: deadlineFor(deps) },
    );
    const v = await insertVerification(trx, {
      publicId,
      tenantId: tenant.id,
      state: 'sending',
      ticketTable,
      ticketSysId: ticket.sysId,
      ticketNumber: ticket.number,
      ticketSubject: subject,
      ticketCategory: policy?.category ?? '',
      requesterSysId: requester.sysId,
      requesterName: requester.name,
      ...sealedRequesterEmail(deps, requester.email),
      ticketDescription: description,
      requesterUserName: requester.userName,
      agentUserName: '',
      agentName: '',
      initiatedBy: req.initiator.kind,
      apiKeyId: req.initiator.kind === 'api' ? req.initiator.apiKeyId : null,
      channel: contact.channel,
      destinationSealed: deps.sealer.seal(destination),
      destinationMasked: maskDestination(contact.channel, destination),
      destinationHash,
      destinationKey: contact.key,
      destinationOnFile: true,
      createdAt: now,
      deadlineAt: deadline,
      callCodeSealed: null,
      action: req.action,
      // The ticket exists only for the record: it is closed when the action completes (if the policy lets it).
      autoClose: req.action !== 'none' && (policy?.autoClose ?? false),
    });
    await queueDelivery(trx, deps, v, deadline);
    await appendAuditEvent(trx, {
      tenantId: tenant.id,
      verificationId: v.id,
      type: 'verification.created',
      actor,
      data: {
        ticket: ticket.number,
        channel: contact.channel,
        destination: v.destinationMasked,
        onFile: true,
        contactKey: contact.key,
        initiatedBy: req.initiator.kind,
        action: req.action,
      },
    });
    return { kind: 'started', verification: v };
  });
}

async function assertWithinLimits(
  deps: Deps,
  db: Parameters<typeof countRecentSends>[0],
  tenantId: string,
  requesterSysId: string,
  destinationHash: Buffer,
  since: Date,
) {
  const limits = deps.config.rateLimits;
  if (
    (await countRecentDirectStarts(db, tenantId, requesterSysId, since)) >=
    limits.directStartsPerAccountPerHour
  )
    throw rateLimited();
  if ((await countRecentSends(db, tenantId, { destinationHash }, since)) >= limits.sendsPerRecipientPerHour)
    throw rateLimited();
}

const rateLimited = () =>
  new AppError(
    'RATE_LIMITED',
    'Several verifications were started for this account in the last hour. Wait a while before starting another.',
    { 'retry-after': '600' },
  );

/** Tenants a direct start may name: for self-service, `?tenant=<slug>`, or the only one configured. */
export function tenantForSelfService(
  deps: Pick<Deps, 'tenants'>,
  slug: string | undefined,
): Tenant | undefined {
  const all = deps.tenants.all();
  if (slug) return all.find((t) => t.slug === slug);
  return all.length === 1 ? all[0] : undefined;
}
