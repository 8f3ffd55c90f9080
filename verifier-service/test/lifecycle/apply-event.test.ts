// applyEvent against a real migrated database: an event's declared side effects happen exactly once, in the
// caller's transaction, and nothing happens when the verification's state does not allow the event.
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type { VerificationState } from '@imper/shared';
import { build, type TestApp } from '../helper';
import { verifyAuditChain } from '../../src/audit/verify';
import {
  eventSpec,
  isFinal,
  stepAfter,
  VERIFICATION_EVENTS,
  type StoredStep,
  type Verification,
  type VerificationEvent,
} from '../../src/domain/verification';
import { applyEvent, type AuditEntry } from '../../src/services/lifecycle';
import { findVerificationById, insertLink, insertVerification } from '../../src/repositories/verifications';
import { sha256 } from '../../src/lib/crypto';
import { newPublicId } from '../reliability/fixtures';

let t: TestApp;
beforeAll(async () => {
  t = await build(); // no worker: write-back events and their jobs stay where the test can see them
});
afterAll(() => t.close());

/**
 * A verification in `state` (and, while in progress, at the stored `step`: the challenge unless told) on a ticket of
 * its own, with one live link.
 */
async function verificationIn(
  state: VerificationState,
  step: StoredStep | null = state === 'in_progress' ? 'challenge' : null,
): Promise<Verification> {
  const tenant = t.deps.tenants.all()[0]!;
  const now = new Date();
  const v = await insertVerification(t.deps.db, {
    publicId: newPublicId(),
    tenantId: tenant.id,
    state,
    ticketTable: 'incident',
    ticketSysId: randomBytes(16).toString('hex'),
    ticketNumber: 'INC0000001',
    ticketSubject: 'Password reset',
    ticketCategory: 'password_reset',
    requesterSysId: null,
    requesterName: 'Abel Tuter',
    requesterUserName: 'abel.tuter',
    agentUserName: 'beth.anglin',
    agentName: 'Beth Anglin',
    channel: 'sms',
    destinationSealed: t.deps.sealer.seal('+15555550100'),
    destinationMasked: '+•••••••0100',
    destinationHash: randomBytes(32),
    destinationKey: null,
    destinationOnFile: true,
    deadlineAt: new Date(now.getTime() + 600_000),
  });
  await insertLink(t.deps.db, {
    tenantId: tenant.id,
    verificationId: v.id,
    tokenHash: sha256(randomBytes(32).toString('base64url')),
    expiresAt: v.deadlineAt,
  });
  if (step === null) return v;
  // Inserting never sets a step (Start does, through its event): put the fixture where the event expects it.
  await t.deps.db.updateTable('verifications').set({ step }).where('id', '=', v.id).execute();
  return { ...v, step };
}

/** Everything an event may touch, for one verification. */
async function effects(verificationId: string) {
  const db = t.deps.db;
  const v = await findVerificationById(db, verificationId);
  const links = await db
    .selectFrom('verification_links')
    .select(['revoked_at'])
    .where('verification_id', '=', verificationId)
    .execute();
  const ticketEvents = await db
    .selectFrom('writeback_events')
    .select(['id', 'kind', 'fields'])
    .where('verification_id', '=', verificationId)
    .orderBy('ordinal')
    .execute();
  const jobs = await sql<{
    key: string;
  }>`select key from graphile_worker.jobs where key = any(${ticketEvents.map(
    (e) => `writeback:${e.id}`,
  )})`.execute(db);
  const audit = await db
    .selectFrom('audit_events')
    .select(['type', 'actor', 'data'])
    .where('verification_id', '=', verificationId)
    .orderBy('id')
    .execute();
  return {
    state: v!.state,
    step: v!.step,
    updatedAt: v!.updatedAt,
    revoked: links.filter((l) => l.revoked_at !== null).length,
    live: links.filter((l) => l.revoked_at === null).length,
    ticketEvents,
    jobs: jobs.rows.map((r) => r.key),
    audit,
  };
}

const apply = (v: Verification, event: VerificationEvent, opts: Parameters<typeof applyEvent>[4] = {}) =>
  t.deps.db
    .transaction()
    .execute((trx) => applyEvent(trx, t.deps, v, event, { agent: 'beth.anglin', ...opts }));

describe('applyEvent', () => {
  it('cancel: moves the verification, revokes its links, records one ticket event and one audit event', async () => {
    const v = await verificationIn('sent');
    const now = new Date();
    const moved = await apply(v, 'canceled', { set: { completedAt: now, attention: null } });
    expect(moved).toMatchObject({ id: v.id, publicId: v.publicId, state: 'canceled', completedAt: now });
    const after = await effects(v.id);
    expect(after).toMatchObject({ state: 'canceled', revoked: 1, live: 0 });
    expect(after.ticketEvents.map((e) => e.kind)).toEqual(['canceled']);
    expect(after.ticketEvents[0]!.fields).toMatchObject({ x_imper_verify_status: 'canceled' });
    expect(after.jobs).toEqual([`writeback:${after.ticketEvents[0]!.id}`]);
    expect(after.audit).toEqual([{ type: 'verification.canceled', actor: 'agent:beth.anglin', data: {} }]);
  });

  it.each(VERIFICATION_EVENTS.map((e) => [e]))(
    '%s: does exactly what the table declares, from each state (and stored step) it allows',
    async (event) => {
      const spec = eventSpec(event);
      for (const from of spec.from) {
        // The stored steps the event leaves from; an event that names none runs from the step a verification in
        // that state has (the challenge while in progress, none before Start).
        const steps: (StoredStep | null)[] = spec.fromSteps
          ? [...spec.fromSteps]
          : [from === 'in_progress' ? 'challenge' : null];
        for (const fromStep of steps) {
          const v = await verificationIn(from, fromStep);
          const moved = await apply(v, event, { audit: { n: 1 } });
          const after = await effects(v.id);
          const to = spec.to === 'same' ? from : spec.to;
          const declared = stepAfter(event, to);
          const step = declared === undefined ? fromStep : declared;
          expect({ from, fromStep, state: moved?.state, stored: after.state }).toEqual({
            from,
            fromStep,
            state: to,
            stored: to,
          });
          expect({ from, fromStep, step: moved?.step, stored: after.step }).toEqual({
            from,
            fromStep,
            step,
            stored: step,
          });
          expect({ from, revoked: after.revoked }).toEqual({ from, revoked: spec.revokeLinks ? 1 : 0 });
          const kind = typeof spec.ticket === 'function' ? spec.ticket(moved!) : spec.ticket;
          expect({ from, ticket: after.ticketEvents.map((e) => e.kind) }).toEqual({
            from,
            ticket: kind ? [kind] : [],
          });
          expect(after.jobs).toHaveLength(after.ticketEvents.length);
          const actor = spec.audit?.actor === 'agent' ? 'agent:beth.anglin' : spec.audit?.actor;
          expect({ from, audit: after.audit }).toEqual({
            from,
            audit: spec.audit ? [{ type: spec.audit.type, actor, data: { n: 1 } }] : [],
          });
        }
      }
    },
  );

  it('does nothing at all when the stored step does not allow the event (the state does)', async () => {
    for (const [step, event] of [
      ['step_up', 'answered'],
      [null, 'answered'],
      ['step_up', 'step_up_requested'],
      ['challenge', 'step_up_answered'],
      [null, 'step_up_answered'],
    ] as const) {
      const v = await verificationIn('in_progress', step);
      const before = await effects(v.id);
      expect(await apply(v, event, { audit: { n: 1 } })).toBeNull();
      expect({ step, event, after: await effects(v.id) }).toEqual({ step, event, after: before });
      expect(before).toMatchObject({ state: 'in_progress', step, ticketEvents: [], audit: [] });
    }
  });

  it('does nothing at all when the state does not allow the event', async () => {
    for (const [state, event] of [
      ['passed', 'canceled'],
      ['canceled', 'timed_out'],
      ['in_progress', 'resent'],
      ['in_progress', 'delivery_failed'],
      ['sent', 'decided_passed'],
      ['timed_out', 'started'],
    ] as const) {
      const v = await verificationIn(state);
      const before = await effects(v.id);
      expect(await apply(v, event, { set: { attention: 'x', completedAt: new Date() } })).toBeNull();
      expect({ state, event, after: await effects(v.id) }).toEqual({ state, event, after: before });
      expect(before).toMatchObject({ state, revoked: 0, live: 1, ticketEvents: [], audit: [] });
    }
  });

  it('a race: of two cancels in parallel, exactly one is applied, with its effects once', async () => {
    const v = await verificationIn('sent');
    const results = await Promise.all([apply(v, 'canceled'), apply(v, 'canceled')]);
    expect(results.filter((r) => r !== null)).toHaveLength(1);
    const after = await effects(v.id);
    expect(after).toMatchObject({ state: 'canceled', revoked: 1 });
    expect(after.ticketEvents.map((e) => e.kind)).toEqual(['canceled']);
    expect(after.jobs).toHaveLength(1);
    expect(after.audit.map((a) => a.type)).toEqual(['verification.canceled']);
  });

  it('a race: a cancel and a time-out in parallel end the verification once', async () => {
    const v = await verificationIn('in_progress');
    const results = await Promise.all([apply(v, 'canceled'), apply(v, 'timed_out')]);
    const won = results.filter((r) => r !== null);
    expect(won).toHaveLength(1);
    const after = await effects(v.id);
    expect(isFinal(after.state)).toBe(true);
    expect(after.ticketEvents).toHaveLength(1);
    expect(after.audit).toHaveLength(1);
    expect((await verifyAuditChain(t.deps.db)).problems).toEqual([]);
  });

  it('rolls every effect back with the caller’s transaction', async () => {
    const v = await verificationIn('sent');
    const before = await effects(v.id);
    await expect(
      t.deps.db.transaction().execute(async (trx) => {
        await applyEvent(trx, t.deps, v, 'canceled', { agent: 'beth.anglin' });
        throw new Error('the caller fails after the event');
      }),
    ).rejects.toThrow('the caller fails');
    expect(await effects(v.id)).toEqual(before);
  });

  it('collects the audit event for the caller to append last when asked (auditInto)', async () => {
    const v = await verificationIn('sent');
    const audit: AuditEntry[] = [];
    await t.deps.db.transaction().execute(async (trx) => {
      const started = await applyEvent(trx, t.deps, v, 'started', {
        audit: { ip: '192.0.2.1' },
        auditInto: audit,
      });
      expect(
        await trx.selectFrom('audit_events').select('id').where('verification_id', '=', v.id).execute(),
      ).toEqual([]);
      await applyEvent(trx, t.deps, started!, 'decided_passed', { auditInto: audit });
    });
    expect(audit.map((a) => [a.type, a.actor])).toEqual([
      ['verification.started', 'requester'],
      ['verification.decided', 'system'],
    ]);
    const after = await effects(v.id);
    expect(after.state).toBe('passed');
    expect(after.ticketEvents.map((e) => e.kind)).toEqual(['in_progress', 'outcome']);
    expect(after.audit).toEqual([]); // the caller's to append
  });

  it('refuses an agent event without the agent who acted (and changes nothing)', async () => {
    const v = await verificationIn('sent');
    const before = await effects(v.id);
    await expect(
      t.deps.db.transaction().execute((trx) => applyEvent(trx, t.deps, v, 'canceled')),
    ).rejects.toThrow('needs the agent');
    expect(await effects(v.id)).toEqual(before);
  });
});
