// The console's "Failed ticket updates" (F8 §6, R2): a tenant's dead-lettered write-backs, newest first in keyset
// pages, and Retry, which re-drives them through `redriveDeadWritebacks` — the function `npm run writeback:redrive`
// uses — so the worker delivers them with the usual per-ticket order and work-note marker (R3: never a second
// note). Everything is bound to the viewer's tenant (S18): another tenant's event id is skipped like an unknown one.
// The re-drive audits each event (`ticket.update_redriven`) with the console user as actor; nothing is audited twice.
import type { Deps } from '../context';
import { cursorInvalid, KEY_TIME, openCursor, signCursor, UUID } from '../lib/signed-cursor';
import {
  countTenantDeadLetters,
  listTenantDeadLetters,
  type DeadLetterKeyset,
} from '../repositories/writeback';
import { redriveDeadWritebacks } from './writeback';

export const DEAD_LETTER_PAGE = { default: 50, max: 100 } as const;

export interface DeadLetterError {
  /** `http 403`, `timeout`, `network`, `auth`, or `error` */
  code: string;
  /** ServiceNow's one line (the client already keeps secrets and query strings out; destinations redacted here) */
  detail: string | null;
}

export interface DeadLetterItem {
  id: string;
  publicId: string;
  ticketNumber: string;
  /** The write-back's kind: outcome, sent, action_completed, … (the page names it) */
  kind: string;
  attempts: number;
  error: DeadLetterError;
  createdAt: Date;
  deadAt: Date;
}

export interface DeadLetterList {
  items: DeadLetterItem[];
  nextCursor: string | null;
  /** Every dead letter of the tenant, not only this page */
  total: number;
}

// Contacts a ServiceNow message may quote (a field value it refused): addresses as delivery/redact.ts finds them;
// numbers only as whole tokens, so the record's sys_id in the path (32 hex digits) stays readable.
const EMAIL = /[^\s<>"'(),;:]+@[^\s<>"'(),;:]+/g;
const PHONE = /(?<![0-9A-Za-z])\+?\d[\d\s().-]{5,}\d(?![0-9A-Za-z])/g;
const redact = (s: string) => s.replace(EMAIL, '[address]').replace(PHONE, '[number]');

/** Splits a stored `last_error` ("http 403: ServiceNow PATCH …: Operation Failed") into its code and its line. */
export function errorOf(lastError: string | null): DeadLetterError {
  if (!lastError) return { code: 'error', detail: null };
  const m = /^(http(?: \d{3})?|timeout|network|auth)(?:: (.*))?$/s.exec(lastError);
  const clean = (s: string | undefined) =>
    s ? redact(s.replace(/\s+/g, ' ').trim()).slice(0, 300) || null : null;
  return m ? { code: m[1]!, detail: clean(m[2]) } : { code: 'error', detail: clean(lastError) };
}

// ── The cursor (lib/signed-cursor.ts): the dead time and the id, bound to the tenant ───────────────────────────

const LIST = 'dead-letters-cursor';

export function encodeDeadLetterCursor(deps: Pick<Deps, 'keys'>, tenantId: string, k: DeadLetterKeyset) {
  return signCursor(deps.keys.csrf, LIST, tenantId, [k.deadAt, k.id]);
}

export function decodeDeadLetterCursor(
  deps: Pick<Deps, 'keys'>,
  tenantId: string,
  cursor: string,
): DeadLetterKeyset {
  const [deadAt, id] = openCursor(deps.keys.csrf, LIST, tenantId, cursor, 2);
  if (typeof deadAt !== 'string' || !KEY_TIME.test(deadAt)) throw cursorInvalid();
  if (typeof id !== 'string' || !UUID.test(id)) throw cursorInvalid();
  return { deadAt, id };
}

// ── List and retry ───────────────────────────────────────────────────────────────────────────────────────────

export async function listConsoleDeadLetters(
  deps: Pick<Deps, 'db' | 'keys'>,
  tenantId: string,
  page: { cursor?: string; limit?: number } = {},
): Promise<DeadLetterList> {
  const before = page.cursor ? decodeDeadLetterCursor(deps, tenantId, page.cursor) : undefined;
  const limit = Math.min(page.limit ?? DEAD_LETTER_PAGE.default, DEAD_LETTER_PAGE.max);
  const [list, total] = await Promise.all([
    listTenantDeadLetters(deps.db, tenantId, { limit, ...(before ? { before } : {}) }),
    countTenantDeadLetters(deps.db, tenantId),
  ]);
  return {
    items: list.rows.map((r) => ({
      id: r.id,
      publicId: r.publicId,
      ticketNumber: r.ticketNumber,
      kind: r.kind,
      attempts: r.attempts,
      error: errorOf(r.lastError),
      createdAt: r.createdAt,
      deadAt: r.deadAt,
    })),
    nextCursor: list.next ? encodeDeadLetterCursor(deps, tenantId, list.next) : null,
    total,
  };
}

export interface RetryResult {
  /** How many were queued again */
  queued: number;
  ids: string[];
  /** Asked for but not queued: unknown, another tenant's, or no longer dead (retried meanwhile) */
  skipped: string[];
}

/**
 * Re-drives the tenant's dead letters: the given ones, or all of them. Ids are lower-cased; none of another tenant
 * is ever touched (the tenant is part of the re-drive's own selection).
 */
export async function retryConsoleDeadLetters(
  deps: Pick<Deps, 'db' | 'clock'>,
  viewer: { tenantId: string; username: string },
  selection: { ids: readonly string[] } | { all: true },
): Promise<RetryResult> {
  const actor = `console:${viewer.username}`;
  if ('all' in selection) {
    const ids = await redriveDeadWritebacks(deps, { tenantId: viewer.tenantId }, { actor });
    return { queued: ids.length, ids, skipped: [] };
  }
  const asked = [...new Set(selection.ids.map((id) => id.toLowerCase()))];
  if (asked.length === 0) return { queued: 0, ids: [], skipped: [] };
  const ids = await redriveDeadWritebacks(deps, { tenantId: viewer.tenantId, ids: asked }, { actor });
  return { queued: ids.length, ids, skipped: asked.filter((id) => !ids.includes(id)) };
}
