// Helpers for the reliability tests: verifications and write-back events made directly through the services'
// own functions (the flows that create them over HTTP are covered by test/e2e), and views of what reached the
// ServiceNow stand-in.
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type { LoggedRequest } from '@imper/dev-instance';
import type { TestApp } from '../helper';
import { insertVerification } from '../../src/repositories/verifications';
import { recordTicketEvent, noteMarker } from '../../src/services/writeback';
import type { WritebackKind } from '../../src/domain/ticket-fields';
import type { Verification } from '../../src/domain/verification';

const ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';
export const newPublicId = () =>
  `VRF-${[...randomBytes(6)].map((b) => ALPHABET[b % ALPHABET.length]).join('')}`;

/** Incidents of the stand-in other than the demo ticket, so each test can use tickets of its own. */
export function incidents(t: TestApp): string[] {
  return t.standin.store
    .query('incident', '')
    .map((r) => String(r.sys_id))
    .filter((id) => /^[0-9a-f]{32}$/.test(id));
}

/** A decided verification (state `passed`) on the given ticket. */
export async function passedVerification(t: TestApp, ticketSysId: string): Promise<Verification> {
  const tenant = t.deps.tenants.all()[0]!;
  const now = new Date();
  return insertVerification(t.deps.db, {
    publicId: newPublicId(),
    tenantId: tenant.id,
    state: 'passed',
    ticketTable: 'incident',
    ticketSysId: ticketSysId,
    ticketNumber: 'INC0000000',
    ticketSubject: 'Password reset',
    ticketCategory: 'password_reset',
    requesterSysId: null,
    requesterName: 'Abel Tuter',
    requesterUserName: 'abel.tuter',
    agentUserName: 'beth.anglin',
    agentName: 'Beth Anglin',
    channel: 'sms',
    destinationSealed: t.deps.sealer.seal('+15555550100'),
    destinationMasked: '+1 •••• ••0100',
    destinationHash: randomBytes(32),
    destinationKey: null,
    destinationOnFile: true,
    outcome: 'passed',
    riskLevel: 'verified',
    riskScore: 0,
    recommendation: 'User verified successfully - Proceed with action',
    completedAt: now,
    deadlineAt: new Date(now.getTime() + 600_000),
  });
}

/** Records a write-back event the way the services do: inside the transaction of a state change (R1). */
export async function recordEvent(t: TestApp, v: Verification, kind: WritebackKind = 'outcome') {
  return t.deps.db.transaction().execute((trx) => recordTicketEvent(trx, t.deps, v, kind));
}

export const journal = (t: TestApp, sysId: string) =>
  t.standin.store
    .query('sys_journal_field', `element_id=${sysId}^element=work_notes`)
    .map((r) => String(r.value));

/** How many journal entries of the ticket carry this event's marker. */
export const notesWithMarker = (t: TestApp, v: Verification, seq: number) =>
  journal(t, v.ticketSysId).filter((n) => n.includes(noteMarker(v.publicId, seq))).length;

export async function eventRow(t: TestApp, id: string) {
  return t.deps.db.selectFrom('writeback_events').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

export async function auditTypes(t: TestApp, verificationId: string): Promise<string[]> {
  const rows = await t.deps.db
    .selectFrom('audit_events')
    .select('type')
    .where('verification_id', '=', verificationId)
    .orderBy('id')
    .execute();
  return rows.map((r) => r.type);
}

/** graphile-worker's jobs (its public view), optionally only those of one outbox event. */
export async function jobs(t: TestApp, eventId?: string) {
  const { rows } = await sql<{
    id: string;
    key: string | null;
    attempts: number;
    locked_by: string | null;
    locked_at: Date | null;
    run_at: Date;
    task_identifier: string;
  }>`
    select id, key, attempts, locked_by, locked_at, run_at, task_identifier from graphile_worker.jobs
     where ${eventId ?? null}::text is null or key like ${`writeback:${eventId ?? ''}%`}
     order by id`.execute(t.deps.db);
  return rows;
}

/** Requests that touched one ticket: its journal look-ups and its PATCHes. */
export function ticketRequests(t: TestApp, sysId: string): LoggedRequest[] {
  return t.standin.requests
    .all()
    .filter(
      (r) =>
        r.path.endsWith(`/${sysId}`) ||
        (r.path.endsWith('/sys_journal_field') && (r.query.sysparm_query ?? '').includes(sysId)),
    );
}

export async function waitFor<T>(
  what: string,
  fn: () => Promise<T | undefined | null | false> | T | undefined | null | false,
  timeoutMs = 15_000,
  intervalMs = 50,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value) return value;
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
