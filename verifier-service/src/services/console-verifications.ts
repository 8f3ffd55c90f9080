// F8: the console's Verifications table and details (issue 11 §2): turns the API's query into a tenant-scoped filter
// and a keyset page, signs the paging cursor, builds the details from the stored verification (report, sealed
// transcript, audit events, deliveries) and reads the requester's record from ServiceNow for "additional
// information about the user" — never failing the page when the instance is down (then: what the service kept).
import { pipeline, Readable } from 'node:stream';
import { stringify } from 'csv-stringify';
import {
  CONSOLE_COUNT_CAP,
  CONSOLE_CSV_COLUMNS,
  CONSOLE_LIST_LIMIT,
  type ConsoleAnalysis,
  type ConsoleSort,
  type ConsoleTranscriptEntry,
  type ConsoleUserInfo,
  type ConsoleVerificationDetails,
  type ConsoleVerificationItem,
  type ConsoleVerificationList,
  type ConsoleVerificationsQuery,
  type RiskLevel,
} from '@imper/shared';
import type { Deps } from '../context';
import type { ChallengeTranscript } from '../domain/challenge/score';
import { maskDestination } from '../domain/destination';
import type { AnalysisReport } from '../domain/risk/report';
import { AppError } from '../errors';
import { requesterEmailHash } from '../lib/crypto';
import { cursorInvalid, KEY_TIME, openCursor, signCursor, UUID } from '../lib/signed-cursor';
import { listAuditEvents } from '../repositories/audit';
import {
  countConsoleVerifications,
  listConsoleVerifications,
  listDeliveriesForVerification,
  streamConsoleVerifications,
  type ConsoleKeyset,
  type ConsoleListFilter,
  type ConsoleListRow,
  type ConsoleSearch,
} from '../repositories/console-verifications';
import { findInstanceHealth } from '../repositories/instance-health';
import { findVerificationByPublicId } from '../repositories/verifications';

/** Who is looking: the console session's tenant and roles (`req.consoleUser`). */
export interface ConsoleViewer {
  tenantId: string;
  roles: readonly string[];
}

const PUBLIC_ID = /^VRF-[2-9A-HJ-NP-Z]{6}$/i;
/** A ServiceNow task number: a short prefix and digits (INC0010001, RITM0001234, SCTASK0000123 …). */
const TICKET_NUMBER = /^[A-Z]{2,8}\d{3,}$/i;
/** The longest a details page waits for the requester's ServiceNow record. */
const USER_READ_BUDGET_MS = 1500;

/** Ticket number, verification ID, an exact email (by its HMAC: emails are stored sealed, S19), or a name's start. */
export function classifySearch(deps: Pick<Deps, 'keys'>, q: string | undefined): ConsoleSearch | undefined {
  const s = (q ?? '').trim();
  if (!s) return undefined;
  if (PUBLIC_ID.test(s)) return { kind: 'publicId', value: s.toUpperCase() };
  if (TICKET_NUMBER.test(s)) return { kind: 'ticket', value: s.toUpperCase() };
  if (s.includes('@')) return { kind: 'email', hash: requesterEmailHash(deps, s) };
  return { kind: 'prefix', value: s };
}

const openEmail = (deps: Pick<Deps, 'sealer'>, sealed: string) => (sealed ? deps.sealer.open(sealed) : '');

const badDate = (name: string) =>
  new AppError('VALIDATION_FAILED', `querystring/${name} is not a valid date`);

function parseDate(value: string, name: string): { at: Date; wholeDay: boolean } {
  const wholeDay = /^\d{4}-\d{2}-\d{2}$/.test(value);
  const at = new Date(wholeDay ? `${value}T00:00:00Z` : value);
  if (Number.isNaN(at.getTime())) throw badDate(name);
  // `2026-02-31` parses as March 3rd: refuse a day that is not the one written
  if (wholeDay && at.toISOString().slice(0, 10) !== value) throw badDate(name);
  return { at, wholeDay };
}

export function filterFor(
  deps: Pick<Deps, 'keys'>,
  viewer: ConsoleViewer,
  q: ConsoleVerificationsQuery,
): ConsoleListFilter {
  const f: ConsoleListFilter = { tenantId: viewer.tenantId };
  if (q.status) f.state = q.status;
  if (q.risk) f.riskLevel = q.risk;
  if (q.category) f.category = q.category;
  if (q.agent) f.agentUserName = q.agent;
  if (q.initiatedBy) f.initiatedBy = q.initiatedBy;
  if (q.from) f.createdFrom = parseDate(q.from, 'from').at;
  if (q.to) {
    const to = parseDate(q.to, 'to');
    f.createdTo = to.wholeDay
      ? { at: new Date(to.at.getTime() + 86_400_000), inclusive: false }
      : { at: to.at, inclusive: true };
  }
  const search = classifySearch(deps, q.q);
  if (search) f.search = search;
  return f;
}

// ── The cursor (lib/signed-cursor.ts): the sort, created_at and the id, bound to the tenant ────────────────────

const SORT_CODE: Record<ConsoleSort, string> = { newest: 'n', oldest: 'o' };
const LIST = 'console-cursor';

export function encodeCursor(
  deps: Pick<Deps, 'keys'>,
  tenantId: string,
  sort: ConsoleSort,
  k: ConsoleKeyset,
) {
  return signCursor(deps.keys.csrf, LIST, tenantId, [SORT_CODE[sort], k.createdAt, k.id]);
}

export function decodeCursor(
  deps: Pick<Deps, 'keys'>,
  tenantId: string,
  sort: ConsoleSort,
  cursor: string,
): ConsoleKeyset {
  const [s, t, id] = openCursor(deps.keys.csrf, LIST, tenantId, cursor, 3);
  if (s !== SORT_CODE[sort] || typeof t !== 'string' || !KEY_TIME.test(t)) throw cursorInvalid();
  if (typeof id !== 'string' || !UUID.test(id)) throw cursorInvalid();
  return { createdAt: t, id };
}

// ── The list ──────────────────────────────────────────────────────────────────────────────────────────────────

export function itemFromRow(deps: Pick<Deps, 'sealer'>, r: ConsoleListRow): ConsoleVerificationItem {
  return {
    publicId: r.publicId,
    ticketNumber: r.ticketNumber,
    ticketSubject: r.ticketSubject,
    requesterName: r.requesterName,
    requesterEmail: openEmail(deps, r.requesterEmailSealed),
    riskLevel: r.riskLevel,
    status: r.state,
    category: r.category,
    initiatedBy: r.initiatedBy,
    agentName: r.initiatedBy === 'agent' ? r.agentName || r.agentUserName : '',
    agentUserName: r.initiatedBy === 'agent' ? r.agentUserName : '',
    createdAt: r.createdAt.toISOString(),
    completedAt: r.completedAt ? r.completedAt.toISOString() : null,
  };
}

export async function listVerifications(
  deps: Pick<Deps, 'db' | 'keys' | 'sealer'>,
  viewer: ConsoleViewer,
  q: ConsoleVerificationsQuery,
  opts: { count?: boolean } = {},
): Promise<ConsoleVerificationList> {
  const sort = q.sort ?? 'newest';
  const filter = filterFor(deps, viewer, q);
  const after = q.cursor ? decodeCursor(deps, viewer.tenantId, sort, q.cursor) : undefined;
  const limit = q.limit ?? CONSOLE_LIST_LIMIT.default;
  const [page, n] = await Promise.all([
    listConsoleVerifications(deps.db, filter, { sort, limit, ...(after ? { after } : {}) }),
    opts.count === false ? Promise.resolve(0) : countConsoleVerifications(deps.db, filter, CONSOLE_COUNT_CAP),
  ]);
  return {
    items: page.rows.map((r) => itemFromRow(deps, r)),
    nextCursor: page.next ? encodeCursor(deps, viewer.tenantId, sort, page.next) : null,
    count: Math.min(n, CONSOLE_COUNT_CAP),
    countCapped: n > CONSOLE_COUNT_CAP,
  };
}

/** The filtered list for the CSV, batch by batch (the query's cursor and limit are ignored: the whole set). */
export async function* exportVerifications(
  deps: Pick<Deps, 'db' | 'keys' | 'sealer'>,
  viewer: ConsoleViewer,
  q: ConsoleVerificationsQuery,
  batch = 1000,
): AsyncGenerator<ConsoleVerificationItem[]> {
  const filter = filterFor(deps, viewer, q);
  for await (const rows of streamConsoleVerifications(deps.db, filter, q.sort ?? 'newest', batch))
    yield rows.map((r) => itemFromRow(deps, r));
}

// ── Details ───────────────────────────────────────────────────────────────────────────────────────────────────

const notFound = () => new AppError('VERIFICATION_NOT_FOUND', 'No such verification.');

function analysisOf(report: unknown): ConsoleAnalysis {
  const r = report as Partial<AnalysisReport> | null;
  if (!r || typeof r !== 'object' || !r.network) {
    return {
      available: false,
      score: null,
      outcome: null,
      missingData: [],
      network: null,
      endpoint: null,
      persona: null,
      challenge: null,
      device: null,
    };
  }
  return {
    available: true,
    score: r.score ?? null,
    outcome: r.outcome ?? null,
    missingData: r.missingData ?? [],
    network: r.network ?? null,
    endpoint: r.endpoint ?? null,
    persona: r.persona ?? null,
    challenge: r.challenge ?? null,
    device: (r.device as unknown as Record<string, unknown> | undefined) ?? null,
  };
}

function transcriptOf(deps: Pick<Deps, 'sealer' | 'log'>, sealed: string | null): ConsoleTranscriptEntry[] {
  if (!sealed) return [];
  let t: ChallengeTranscript;
  try {
    t = JSON.parse(deps.sealer.open(sealed)) as ChallengeTranscript;
  } catch (err) {
    deps.log.warn({ err }, 'console details: the transcript could not be opened');
    return [];
  }
  return (t.entries ?? []).map((e, i) => ({
    position: i + 1,
    kind: e.kind,
    question: e.promptText,
    choices: (e.choices ?? []).map((c) => c.text),
    answer: e.chosen?.text ?? null,
    outcome: e.outcome,
    elapsedMs: e.timeTakenMs ?? null,
  }));
}

const USER_FIELDS = [
  'user_name',
  'email',
  'mobile_phone',
  'phone',
  'title',
  'vip',
  'locked_out',
  'department.name',
  'location.name',
  'manager.name',
];

/** The requester's sys_user now, or null when the instance is down, slow or the record is gone. */
async function readUser(deps: Deps, tenantId: string, sysId: string | null, admin: boolean) {
  const tenant = deps.tenants.byId(tenantId);
  if (!tenant || !sysId || !/^[0-9a-f]{32}$/.test(sysId)) return null;
  if (await findInstanceHealth(deps.db, tenantId)) return null; // known to be down: don't make the page wait
  try {
    const u = await tenant.servicenow.get('sys_user', sysId, {
      fields: USER_FIELDS,
      deadline: Date.now() + Math.min(USER_READ_BUDGET_MS, deps.config.servicenowRequestBudgetMs),
    });
    if (!u) return null;
    const s = (k: string) => String(u[k] ?? '').trim();
    const contacts: ConsoleUserInfo['contacts'] = [];
    if (s('email')) contacts.push({ channel: 'email', value: s('email'), masked: false });
    for (const k of ['mobile_phone', 'phone'])
      if (s(k)) contacts.push({ channel: 'sms', value: s(k), masked: false });
    const info: ConsoleUserInfo = {
      source: 'servicenow',
      userName: s('user_name'),
      department: s('department.name'),
      location: s('location.name'),
      manager: s('manager.name'),
      title: s('title'),
      vip: s('vip') ? s('vip') === 'true' : null,
      lockedOut: s('locked_out') ? s('locked_out') === 'true' : null,
      contacts: admin
        ? contacts
        : contacts.map((c) => ({ ...c, value: maskDestination(c.channel, c.value), masked: true })),
    };
    return info;
  } catch (err) {
    deps.log.info(
      { err: { message: (err as Error).message } },
      'console details: requester record unavailable',
    );
    return null;
  }
}

export async function verificationDetails(
  deps: Deps,
  viewer: ConsoleViewer,
  publicId: string,
): Promise<ConsoleVerificationDetails> {
  const v = await findVerificationByPublicId(deps.db, viewer.tenantId, publicId.toUpperCase());
  if (!v || v.tenantId !== viewer.tenantId) throw notFound();
  const admin = viewer.roles.includes('admin');
  const [events, deliveries, live] = await Promise.all([
    listAuditEvents(deps.db, v.id),
    listDeliveriesForVerification(deps.db, viewer.tenantId, v.id),
    readUser(deps, viewer.tenantId, v.requesterSysId, admin),
  ]);
  const requesterEmail = openEmail(deps, v.requesterEmailSealed);
  const emailOnFile = requesterEmail
    ? [
        {
          channel: 'email' as const,
          value: admin ? requesterEmail : maskDestination('email', requesterEmail),
          masked: !admin,
        },
      ]
    : [];
  const user: ConsoleUserInfo = live ?? {
    source: 'stored',
    userName: v.requesterUserName,
    department: '',
    location: '',
    manager: '',
    title: '',
    vip: null,
    lockedOut: null,
    contacts: emailOnFile,
  };
  return {
    publicId: v.publicId,
    ticketNumber: v.ticketNumber,
    ticketSubject: v.ticketSubject,
    description: v.ticketDescription,
    category: v.ticketCategory,
    requesterName: v.requesterName,
    requesterEmail,
    status: v.state,
    outcome: v.outcome,
    riskLevel: (v.riskLevel as RiskLevel | null) ?? null,
    riskScore: v.riskScore,
    reasons: v.reasons,
    recommendation: v.recommendation,
    action: v.action as ConsoleVerificationDetails['action'],
    actionStatus: v.actionStatus as ConsoleVerificationDetails['actionStatus'],
    actionError: v.actionError,
    attention: v.attention,
    initiatedBy: v.initiatedBy,
    agentName: v.initiatedBy === 'agent' ? v.agentName || v.agentUserName : '',
    agentUserName: v.initiatedBy === 'agent' ? v.agentUserName : '',
    channel: v.channel,
    destinationMasked: v.destinationMasked,
    destinationOnFile: v.destinationOnFile,
    createdAt: v.createdAt.toISOString(),
    startedAt: v.startedAt ? v.startedAt.toISOString() : null,
    completedAt: v.completedAt ? v.completedAt.toISOString() : null,
    flaggedAt: v.flaggedAt ? v.flaggedAt.toISOString() : null,
    analysis: analysisOf(v.report),
    transcript: transcriptOf(deps, v.transcriptSealed),
    timeline: events.map((e) => ({
      type: e.type,
      actor: e.actor,
      at: e.created_at.toISOString(),
      data: e.data,
    })),
    deliveries: deliveries.map((d) => ({
      channel: d.channel,
      provider: d.provider,
      status: d.status,
      errorCode: d.errorCode,
      createdAt: d.createdAt.toISOString(),
      updatedAt: d.updatedAt.toISOString(),
    })),
    user,
  };
}

// ── CSV ───────────────────────────────────────────────────────────────────────────────────────────────────────

/**
 * The filtered list as CSV, streamed: rows are read in keyset batches as the client takes them (backpressure from
 * the socket through csv-stringify to the generator), so memory stays flat whatever the size. A cell that starts
 * with = + - @ (or a tab or CR) is prefixed with ' so a spreadsheet does not run it as a formula (csv-stringify's
 * `escape_formulas`).
 */
export function verificationsCsv(
  deps: Pick<Deps, 'db' | 'log' | 'keys' | 'sealer'>,
  viewer: ConsoleViewer,
  q: ConsoleVerificationsQuery,
): Readable {
  filterFor(deps, viewer, q); // bad dates fail here, before the 200 goes out
  const rows = async function* () {
    for await (const batch of exportVerifications(deps, viewer, q))
      for (const item of batch) yield CONSOLE_CSV_COLUMNS.map((c) => item[c] ?? '');
  };
  const out = stringify({ header: true, columns: [...CONSOLE_CSV_COLUMNS], escape_formulas: true });
  pipeline(Readable.from(rows()), out, (err) => {
    if (err) deps.log.error({ err }, 'console CSV export failed mid-stream');
  });
  return out;
}
