// F7: a verification started without an agent (services/direct-start.ts), against the real stand-in and database.
// The account is found by user name or email; the link goes only to a contact on file (S9); a ticket is created for
// the record once, even when the start is retried; starts per account are limited (S16).
import { build, type TestApp } from '../helper';
import { messageTo, ticketsWithContacts, type TicketRef } from '../flows';
import { startDirect } from '../../src/services/direct-start';
import { AppError } from '../../src/errors';

let t: TestApp;
let people: Array<TicketRef['caller'] & { user_name: string }>;
const seen = new Set<string>();

beforeAll(async () => {
  t = await build({ env: { RATE_LIMIT_DIRECT_STARTS_PER_ACCOUNT_PER_HOUR: '2' } });
  await t.startWorker();
  const callers = new Map(ticketsWithContacts(t, 20).map((tk) => [tk.caller.sys_id, tk.caller]));
  people = [...callers.values()].map((c) => ({
    ...c,
    user_name: String(t.standin.store.get('sys_user', c.sys_id)!.user_name),
  }));
});
afterAll(() => t.close());

const tenantId = () => t.deps.tenants.all()[0]!.id;
const selfService = { kind: 'self_service' } as const;
const ticketsFor = (correlationId: string) =>
  t.standin.store.query('incident', `correlation_id=${correlationId}`);
const incidentCount = () => t.standin.store.query('incident', '').length;

describe('startDirect', () => {
  test('S9: finds the account by user name, sends to the mobile on file and records a ticket for it', async () => {
    const p = people[0]!;
    const r = await startDirect(t.deps, {
      tenantId: tenantId(),
      identifier: p.user_name,
      action: 'password_reset',
      initiator: selfService,
    });
    expect(r.kind).toBe('started');
    if (r.kind !== 'started') return;
    const v = r.verification;
    expect(v.initiatedBy).toBe('self_service');
    expect(v.channel).toBe('sms');
    expect(v.destinationOnFile).toBe(true);
    expect(v.callCodeSealed).toBeNull();
    expect(v.action).toBe('password_reset');
    expect(v.autoClose).toBe(true);
    const [ticket, ...more] = ticketsFor(v.publicId);
    expect(more).toHaveLength(0);
    expect(ticket).toMatchObject({
      caller_id: p.sys_id,
      category: 'password_reset',
      contact_type: 'self-service',
      number: v.ticketNumber,
    });
    expect(v.ticketSysId).toBe(ticket!.sys_id);
    const message = await messageTo(t, p.mobile_phone, seen, '/v/');
    expect(message.text).toContain(v.ticketNumber);
  });

  test('finds the account by its email; an API start uses the channel it names, still only on file', async () => {
    const p = people[1]!;
    const key = await t.deps.db
      .insertInto('api_keys')
      .values({
        tenant_id: tenantId(),
        name: 'ivr',
        prefix: 'ivk_test',
        key_hash: Buffer.alloc(32, 7),
        scopes: ['verifications:write'],
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const r = await startDirect(t.deps, {
      tenantId: tenantId(),
      identifier: p.email,
      channel: 'email',
      action: 'account_unlock',
      reason: 'IVR caller asked for an unlock',
      initiator: { kind: 'api', apiKeyId: key.id, keyName: 'ivr' },
    });
    expect(r.kind).toBe('started');
    if (r.kind !== 'started') return;
    expect(r.verification).toMatchObject({ initiatedBy: 'api', apiKeyId: key.id, channel: 'email' });
    const [ticket] = ticketsFor(r.verification.publicId);
    expect(ticket).toMatchObject({ category: 'account_unlock', contact_type: 'phone' });
    expect(String(ticket!.description)).toContain('IVR caller asked for an unlock');
    await messageTo(t, p.email, seen, '/v/');
  });

  test('an unknown account: nothing created, nothing sent', async () => {
    const before = incidentCount();
    const r = await startDirect(t.deps, {
      tenantId: tenantId(),
      identifier: 'nobody.here',
      action: 'password_reset',
      initiator: selfService,
    });
    expect(r).toEqual({ kind: 'unknown_account' });
    expect(incidentCount()).toBe(before);
  });

  test('an identifier that would add a query condition names nobody', async () => {
    const r = await startDirect(t.deps, {
      tenantId: tenantId(),
      identifier: `${people[2]!.user_name}^ORactive=true`,
      action: 'password_reset',
      initiator: selfService,
    });
    expect(r).toEqual({ kind: 'unknown_account' });
  });

  test('a retried start with the same public ID finds the same verification and creates no second ticket', async () => {
    const p = people[3]!;
    const req = {
      tenantId: tenantId(),
      identifier: p.user_name,
      action: 'password_reset' as const,
      initiator: selfService,
      publicId: 'VRF-RETRY2',
    };
    const first = await startDirect(t.deps, req);
    const second = await startDirect(t.deps, req);
    expect(first.kind).toBe('started');
    expect(second.kind).toBe('started');
    if (first.kind !== 'started' || second.kind !== 'started') return;
    expect(second.verification.id).toBe(first.verification.id);
    expect(ticketsFor('VRF-RETRY2')).toHaveLength(1);
  });

  test('S16: one running start per account, and a limit per hour', async () => {
    const p = people[4]!;
    const req = {
      tenantId: tenantId(),
      identifier: p.user_name,
      action: 'password_reset' as const,
      initiator: selfService,
    };
    const first = await startDirect(t.deps, req);
    expect(first.kind).toBe('started');
    const again = await startDirect(t.deps, req);
    expect(again.kind).toBe('already_running');
    if (first.kind !== 'started') return;
    await t.deps.db
      .updateTable('verifications')
      .set({ state: 'canceled' })
      .where('id', '=', first.verification.id)
      .execute();
    expect((await startDirect(t.deps, req)).kind).toBe('started');
    await t.deps.db
      .updateTable('verifications')
      .set({ state: 'canceled' })
      .where('requester_sys_id', '=', p.sys_id)
      .execute();
    const third = await startDirect(t.deps, req).catch((e: unknown) => e);
    expect(third).toBeInstanceOf(AppError);
    expect((third as AppError).code).toBe('RATE_LIMITED');
  });

  test('parallel starts for one account create one verification', async () => {
    const p = people[5]!;
    const req = {
      tenantId: tenantId(),
      identifier: p.user_name,
      action: 'password_reset' as const,
      initiator: selfService,
    };
    const results = await Promise.all(Array.from({ length: 5 }, () => startDirect(t.deps, req)));
    expect(results.filter((r) => r.kind === 'started')).toHaveLength(1);
    expect(results.filter((r) => r.kind === 'already_running')).toHaveLength(4);
  });
});
