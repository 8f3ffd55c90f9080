// Verifications, their links and their deliveries. Rows stay here: every function returns the domain objects of
// `domain/verification.ts` (camelCase), mapped at this edge by `verificationFromRow`, `linkFromRow`, `deliveryFromRow`.
import type { Kysely, Transaction } from 'kysely';
import type { VerificationState } from '@imper/shared';
import type { Database, DeliveryRow, LinkRow, VerificationRow } from '../db/schema';
import type {
  Delivery,
  NewVerification,
  Verification,
  VerificationChanges,
  VerificationLink,
} from '../domain/verification';

type Q = Kysely<Database> | Transaction<Database>;

export function verificationFromRow(r: VerificationRow): Verification {
  return {
    id: r.id,
    publicId: r.public_id,
    tenantId: r.tenant_id,
    state: r.state as VerificationState,
    step: (r.step as Verification['step']) ?? null,
    ticketTable: r.ticket_table,
    ticketSysId: r.ticket_sys_id,
    ticketNumber: r.ticket_number,
    ticketSubject: r.ticket_subject,
    ticketCategory: r.ticket_category,
    ticketDescription: r.ticket_description,
    requesterSysId: r.requester_sys_id,
    requesterName: r.requester_name,
    requesterEmailSealed: r.requester_email_sealed,
    requesterEmailHash: r.requester_email_hash ?? null,
    requesterUserName: r.requester_user_name,
    agentUserName: r.agent_user_name,
    agentName: r.agent_name,
    initiatedBy: r.initiated_by,
    apiKeyId: r.api_key_id ?? null,
    channel: r.channel,
    destinationSealed: r.destination_sealed,
    destinationMasked: r.destination_masked,
    destinationHash: r.destination_hash,
    destinationKey: r.destination_key,
    destinationOnFile: r.destination_on_file,
    outcome: r.outcome,
    riskLevel: r.risk_level,
    riskScore: r.risk_score,
    recommendation: r.recommendation,
    reasons: r.reasons,
    action: r.action,
    actionStatus: r.action_status,
    autoClose: r.auto_close,
    actionStartedAt: r.action_started_at ?? null,
    actionCompletedAt: r.action_completed_at ?? null,
    actionError: r.action_error ?? null,
    flaggedAt: r.flagged_at ?? null,
    attention: r.attention,
    requesterSessionHash: r.requester_session_hash,
    riskContext: r.risk_context ?? null,
    report: r.report ?? null,
    transcriptSealed: r.transcript_sealed ?? null,
    callCodeSealed: r.call_code_sealed ?? null,
    sends: r.sends,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    startedAt: r.started_at,
    completedAt: r.completed_at,
    deadlineAt: r.deadline_at,
  };
}

export function linkFromRow(r: LinkRow): VerificationLink {
  return {
    id: r.id,
    tenantId: r.tenant_id,
    verificationId: r.verification_id,
    tokenHash: r.token_hash,
    expiresAt: r.expires_at,
    fetchedAt: r.fetched_at,
    openedAt: r.opened_at,
    usedAt: r.used_at,
    revokedAt: r.revoked_at,
    createdAt: r.created_at,
  };
}

export function deliveryFromRow(r: DeliveryRow): Delivery {
  return {
    id: r.id,
    tenantId: r.tenant_id,
    verificationId: r.verification_id,
    linkId: r.link_id,
    channel: r.channel,
    provider: r.provider,
    providerMessageId: r.provider_message_id,
    status: r.status,
    errorCode: r.error_code,
    errorMessage: r.error_message,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

const maybe =
  <R, T>(map: (r: R) => T) =>
  (r: R | undefined) =>
    r ? map(r) : undefined;

/** Columns for the changes an event makes (reasons are stored as JSON). */
function changeColumns(c: VerificationChanges) {
  const cols: Partial<{
    outcome: string | null;
    risk_level: string | null;
    risk_score: number | null;
    recommendation: string | null;
    reasons: string;
    attention: string | null;
    started_at: Date | null;
    completed_at: Date | null;
    requester_session_hash: Buffer | null;
    sends: number;
    deadline_at: Date;
    step: string | null;
    risk_context: string | null;
    report: string | null;
    transcript_sealed: string | null;
    call_code_sealed: string | null;
    action_status: string;
    action_started_at: Date | null;
    action_completed_at: Date | null;
    action_error: string | null;
    flagged_at: Date | null;
  }> = {};
  if (c.flaggedAt !== undefined) cols.flagged_at = c.flaggedAt;
  if (c.actionStatus !== undefined) cols.action_status = c.actionStatus;
  if (c.actionStartedAt !== undefined) cols.action_started_at = c.actionStartedAt;
  if (c.actionCompletedAt !== undefined) cols.action_completed_at = c.actionCompletedAt;
  if (c.actionError !== undefined) cols.action_error = c.actionError;
  if (c.step !== undefined) cols.step = c.step;
  if (c.riskContext !== undefined)
    cols.risk_context = c.riskContext === null ? null : JSON.stringify(c.riskContext);
  if (c.report !== undefined) cols.report = c.report === null ? null : JSON.stringify(c.report);
  if (c.transcriptSealed !== undefined) cols.transcript_sealed = c.transcriptSealed;
  if (c.callCodeSealed !== undefined) cols.call_code_sealed = c.callCodeSealed;
  if (c.outcome !== undefined) cols.outcome = c.outcome;
  if (c.riskLevel !== undefined) cols.risk_level = c.riskLevel;
  if (c.riskScore !== undefined) cols.risk_score = c.riskScore;
  if (c.recommendation !== undefined) cols.recommendation = c.recommendation;
  if (c.reasons !== undefined) cols.reasons = JSON.stringify(c.reasons);
  if (c.attention !== undefined) cols.attention = c.attention;
  if (c.startedAt !== undefined) cols.started_at = c.startedAt;
  if (c.completedAt !== undefined) cols.completed_at = c.completedAt;
  if (c.requesterSessionHash !== undefined) cols.requester_session_hash = c.requesterSessionHash;
  if (c.sends !== undefined) cols.sends = c.sends;
  if (c.deadlineAt !== undefined) cols.deadline_at = c.deadlineAt;
  return cols;
}

/** The ticket description kept with a verification, in characters (the console shows it; the ticket has it all). */
export const DESCRIPTION_MAX = 4000;

export async function insertVerification(db: Q, v: NewVerification): Promise<Verification> {
  const row = await db
    .insertInto('verifications')
    .values({
      public_id: v.publicId,
      tenant_id: v.tenantId,
      state: v.state ?? 'sending',
      ticket_table: v.ticketTable,
      ticket_sys_id: v.ticketSysId,
      ticket_number: v.ticketNumber,
      ticket_subject: v.ticketSubject,
      ticket_category: v.ticketCategory,
      requester_sys_id: v.requesterSysId,
      requester_name: v.requesterName,
      requester_email_sealed: v.requesterEmailSealed ?? '',
      requester_email_hash: v.requesterEmailHash ?? null,
      ticket_description: (v.ticketDescription ?? '').slice(0, DESCRIPTION_MAX),
      requester_user_name: v.requesterUserName,
      agent_user_name: v.agentUserName,
      agent_name: v.agentName,
      channel: v.channel,
      destination_sealed: v.destinationSealed,
      destination_masked: v.destinationMasked,
      destination_hash: v.destinationHash,
      destination_key: v.destinationKey,
      destination_on_file: v.destinationOnFile,
      call_code_sealed: v.callCodeSealed ?? null,
      ...(v.action ? { action: v.action } : {}),
      ...(v.autoClose !== undefined ? { auto_close: v.autoClose } : {}),
      ...(v.initiatedBy ? { initiated_by: v.initiatedBy } : {}),
      api_key_id: v.apiKeyId ?? null,
      outcome: v.outcome ?? null,
      risk_level: v.riskLevel ?? null,
      risk_score: v.riskScore ?? null,
      recommendation: v.recommendation ?? null,
      reasons: JSON.stringify(v.reasons ?? []),
      attention: v.attention ?? null,
      ...(v.createdAt ? { created_at: v.createdAt } : {}),
      started_at: v.startedAt ?? null,
      completed_at: v.completedAt ?? null,
      deadline_at: v.deadlineAt,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return verificationFromRow(row);
}

export function findVerificationByPublicId(db: Q, tenantId: string, publicId: string) {
  return db
    .selectFrom('verifications')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('public_id', '=', publicId)
    .executeTakeFirst()
    .then(maybe(verificationFromRow));
}

export function findVerificationById(db: Q, id: string) {
  return db
    .selectFrom('verifications')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst()
    .then(maybe(verificationFromRow));
}

/** The verification a requester's browser session is bound to. */
export function findVerificationBySessionHash(db: Q, sessionHash: Buffer) {
  return db
    .selectFrom('verifications')
    .selectAll()
    .where('requester_session_hash', '=', sessionHash)
    .executeTakeFirst()
    .then(maybe(verificationFromRow));
}

/** The newest verification for a ticket (active or finished). */
export function findLatestForTicket(db: Q, tenantId: string, table: string, sysId: string) {
  return db
    .selectFrom('verifications')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('ticket_table', '=', table)
    .where('ticket_sys_id', '=', sysId)
    .orderBy('created_at', 'desc')
    .limit(1)
    .executeTakeFirst()
    .then(maybe(verificationFromRow));
}

/**
 * Moves a verification to `to` (or leaves its state, for `'same'`) only if it is still in one of `from`
 * (optimistic, race-free); returns the updated verification or undefined when another request got there first.
 * Only the lifecycle (`services/lifecycle.ts`) calls this, with the states of the transition table.
 */
export function transitionVerification(
  db: Q,
  id: string,
  from: readonly VerificationState[],
  to: VerificationState | 'same',
  changes: VerificationChanges = {},
  now = new Date(),
  fromSteps?: readonly string[],
) {
  let q = db
    .updateTable('verifications')
    .set({ ...changeColumns(changes), ...(to === 'same' ? {} : { state: to }), updated_at: now })
    .where('id', '=', id)
    .where('state', 'in', [...from]);
  if (fromSteps) q = q.where('step', 'in', [...fromSteps]);
  return q.returningAll().executeTakeFirst().then(maybe(verificationFromRow));
}

export async function countRecentSends(
  db: Q,
  tenantId: string,
  by: { agent?: string; destinationHash?: Buffer },
  since: Date,
) {
  let q = db
    .selectFrom('deliveries')
    .innerJoin('verifications', 'verifications.id', 'deliveries.verification_id')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('deliveries.tenant_id', '=', tenantId)
    .where('deliveries.created_at', '>=', since);
  if (by.agent) q = q.where('verifications.agent_user_name', '=', by.agent);
  if (by.destinationHash) q = q.where('verifications.destination_hash', '=', by.destinationHash);
  const row = await q.executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Verifications started without an agent (self-service, API) for one account since a time (S16 for F7). */
export async function countRecentDirectStarts(db: Q, tenantId: string, requesterSysId: string, since: Date) {
  const row = await db
    .selectFrom('verifications')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('tenant_id', '=', tenantId)
    .where('requester_sys_id', '=', requesterSysId)
    .where('initiated_by', '<>', 'agent')
    .where('created_at', '>=', since)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The account's newest verification started without an agent, if any. */
export async function latestDirectStart(db: Q, tenantId: string, requesterSysId: string) {
  const row = await db
    .selectFrom('verifications')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('requester_sys_id', '=', requesterSysId)
    .where('initiated_by', '<>', 'agent')
    .orderBy('created_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ? verificationFromRow(row) : undefined;
}

// ── links ──────────────────────────────────────────────────────────────────────────────────────────────

export function insertLink(
  db: Q,
  l: Pick<VerificationLink, 'tenantId' | 'verificationId' | 'tokenHash' | 'expiresAt'>,
) {
  return db
    .insertInto('verification_links')
    .values({
      tenant_id: l.tenantId,
      verification_id: l.verificationId,
      token_hash: l.tokenHash,
      expires_at: l.expiresAt,
    })
    .returningAll()
    .executeTakeFirstOrThrow()
    .then(linkFromRow);
}

export function findLinkByHash(db: Q, tokenHash: Buffer) {
  return db
    .selectFrom('verification_links')
    .selectAll()
    .where('token_hash', '=', tokenHash)
    .executeTakeFirst()
    .then(maybe(linkFromRow));
}

/** When a browser last opened one of the verification's live links (the agent's timeline). */
export async function lastOpenedAt(db: Q, verificationId: string): Promise<Date | null> {
  const row = await db
    .selectFrom('verification_links')
    .select('opened_at')
    .where('verification_id', '=', verificationId)
    .where('opened_at', 'is not', null)
    .where('revoked_at', 'is', null)
    .orderBy('opened_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.opened_at ?? null;
}

/** Records the first GET/HEAD of a link; returns the row only for the request that recorded it. */
export function markLinkFetched(db: Q, id: string, now: Date) {
  return db
    .updateTable('verification_links')
    .set({ fetched_at: now })
    .where('id', '=', id)
    .where('fetched_at', 'is', null)
    .returning('id')
    .executeTakeFirst();
}

/** Records the first open by a browser that ran the page; returns the row only for the request that recorded it. */
export function markLinkOpened(db: Q, id: string, now: Date) {
  return db
    .updateTable('verification_links')
    .set({ opened_at: now })
    .where('id', '=', id)
    .where('opened_at', 'is', null)
    .returning('id')
    .executeTakeFirst();
}

/** Single use, atomically (S4): exactly one caller gets the link back. */
export function consumeLink(db: Q, tokenHash: Buffer, now: Date) {
  return db
    .updateTable('verification_links')
    .set({ used_at: now })
    .where('token_hash', '=', tokenHash)
    .where('used_at', 'is', null)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', now)
    .returningAll()
    .executeTakeFirst()
    .then(maybe(linkFromRow));
}

export function revokeLinks(db: Q, verificationId: string, now: Date) {
  return db
    .updateTable('verification_links')
    .set({ revoked_at: now })
    .where('verification_id', '=', verificationId)
    .where('used_at', 'is', null)
    .where('revoked_at', 'is', null)
    .execute();
}

// ── deliveries ─────────────────────────────────────────────────────────────────────────────────────────

export function insertDelivery(
  db: Q,
  d: Pick<Delivery, 'tenantId' | 'verificationId' | 'channel' | 'provider'>,
) {
  return db
    .insertInto('deliveries')
    .values({
      tenant_id: d.tenantId,
      verification_id: d.verificationId,
      channel: d.channel,
      provider: d.provider,
      status: 'queued',
    })
    .returningAll()
    .executeTakeFirstOrThrow()
    .then(deliveryFromRow);
}

export function findDelivery(db: Q, id: string) {
  return db
    .selectFrom('deliveries')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst()
    .then(maybe(deliveryFromRow));
}

export function latestDelivery(db: Q, verificationId: string) {
  return db
    .selectFrom('deliveries')
    .selectAll()
    .where('verification_id', '=', verificationId)
    .orderBy('created_at', 'desc')
    .limit(1)
    .executeTakeFirst()
    .then(maybe(deliveryFromRow));
}

/** How many messages a verification has been sent (or queued) in all. */
export async function countDeliveries(db: Q, verificationId: string): Promise<number> {
  const row = await db
    .selectFrom('deliveries')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('verification_id', '=', verificationId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The link a delivery carries. */
export function attachLink(db: Q, deliveryId: string, linkId: string) {
  return db.updateTable('deliveries').set({ link_id: linkId }).where('id', '=', deliveryId).execute();
}

export function findDeliveryByProviderId(db: Q, provider: string, providerMessageId: string) {
  return db
    .selectFrom('deliveries')
    .selectAll()
    .where('provider', '=', provider)
    .where('provider_message_id', '=', providerMessageId)
    .executeTakeFirst()
    .then(maybe(deliveryFromRow));
}

const DELIVERY_RANK: Record<string, number> = { queued: 0, sent: 1, delivered: 2, opened: 3, failed: 4 };

/** Applies a status only if it moves the delivery forward (providers' callbacks arrive out of order). */
export function updateDeliveryStatus(
  db: Q,
  id: string,
  status: string,
  extra: { providerMessageId?: string; errorCode?: string | null; errorMessage?: string | null } = {},
  now = new Date(),
) {
  const lower = Object.entries(DELIVERY_RANK)
    .filter(([, r]) => r < (DELIVERY_RANK[status] ?? 0))
    .map(([s]) => s);
  let q = db
    .updateTable('deliveries')
    .set({
      status,
      ...(extra.providerMessageId !== undefined ? { provider_message_id: extra.providerMessageId } : {}),
      ...(extra.errorCode !== undefined ? { error_code: extra.errorCode } : {}),
      ...(extra.errorMessage !== undefined ? { error_message: extra.errorMessage } : {}),
      updated_at: now,
    })
    .where('id', '=', id);
  q =
    status === 'failed'
      ? q.where('status', 'in', ['queued', 'sent'])
      : q.where('status', 'in', lower.length ? lower : ['__none__']);
  return q.returningAll().executeTakeFirst().then(maybe(deliveryFromRow));
}
