// The assurance history queries against a real migrated database: each counts only its own tenant's rows (S18),
// inside its window, and never the verification being decided.
import { randomBytes } from 'node:crypto';
import { build, type TestApp } from '../helper';
import { newPublicId } from '../reliability/fixtures';
import { sha256 } from '../../src/lib/crypto';
import type { Verification } from '../../src/domain/verification';
import { insertLink, insertVerification } from '../../src/repositories/verifications';
import { upsertTenant } from '../../src/repositories/tenants';
import {
  countOtherRequestersFromIp,
  countRecentByAgent,
  countRecentForDestination,
  countRecentForRequester,
  destinationUsedForOtherRequester,
  latestOpenedLink,
  recordLinkOpenedDevice,
  recordStartClientIp,
  windowStart,
  type HistoryScope,
} from '../../src/repositories/assurance';
import { loadAssuranceInputs, buildRiskContext } from '../../src/services/assurance-context';
import type { NetworkLookup } from '../../src/signals';

let t: TestApp;
let tenantA: string;
let tenantB: string;
const now = new Date();
const daysAgo = (d: number) => new Date(now.getTime() - d * 86_400_000);

beforeAll(async () => {
  t = await build();
  tenantA = t.deps.tenants.all()[0]!.id;
  const other = await upsertTenant(t.deps.db, {
    slug: `other-${randomBytes(3).toString('hex')}`,
    name: 'Other Corp',
    instance_url: `https://other-${randomBytes(3).toString('hex')}.service-now.com`,
    auth_type: 'basic',
    credentials_sealed: 'x',
    launch_secret_sealed: 'x',
  });
  tenantB = other.id;
});
afterAll(() => t.close());

interface Spec {
  tenantId?: string;
  requester?: string | null;
  userName?: string;
  agent?: string;
  destination?: Buffer;
  createdAt?: Date;
  onFile?: boolean;
}

async function verification(s: Spec = {}): Promise<Verification> {
  const createdAt = s.createdAt ?? now;
  return insertVerification(t.deps.db, {
    publicId: newPublicId(),
    tenantId: s.tenantId ?? tenantA,
    state: 'passed',
    ticketTable: 'incident',
    ticketSysId: randomBytes(16).toString('hex'),
    ticketNumber: 'INC0000001',
    ticketSubject: 'Password reset',
    ticketCategory: 'password_reset',
    requesterSysId: s.requester === undefined ? randomBytes(16).toString('hex') : s.requester,
    requesterName: 'Someone',
    requesterUserName: s.userName ?? '',
    agentUserName: s.agent ?? 'beth.anglin',
    agentName: 'Beth Anglin',
    channel: 'sms',
    destinationSealed: t.deps.sealer.seal('+15555550100'),
    destinationMasked: '+•••••••0100',
    destinationHash: s.destination ?? randomBytes(32),
    destinationKey: s.onFile === false ? null : 'mobile_phone',
    destinationOnFile: s.onFile ?? true,
    createdAt,
    startedAt: createdAt,
    completedAt: createdAt,
    deadlineAt: new Date(createdAt.getTime() + 600_000),
  });
}

/** A verification started from `ip` at `at`. */
async function startedFrom(ip: string, at: Date, s: Spec = {}) {
  const v = await verification({ ...s, createdAt: at });
  await recordStartClientIp(t.deps.db, v.id, ip);
  return v;
}

const scope = (v: Verification, days = 30): HistoryScope => ({
  tenantId: v.tenantId,
  excludeId: v.id,
  since: windowStart(now, days),
});

describe('assurance history queries', () => {
  it('the same destination used for two requesters is found; for the same requester it is not', async () => {
    const phone = randomBytes(32);
    const abel = randomBytes(16).toString('hex');
    const earlier = await verification({ requester: abel, destination: phone, createdAt: daysAgo(3) });
    const current = await verification({ requester: abel, destination: phone });
    const me = { sysId: abel, userName: '' };
    expect(await destinationUsedForOtherRequester(t.deps.db, scope(current), phone, me)).toBe(false);

    const victim2 = await verification({ destination: phone, createdAt: daysAgo(2) });
    expect(await destinationUsedForOtherRequester(t.deps.db, scope(current), phone, me)).toBe(true);
    // Outside the window it no longer counts.
    expect(await destinationUsedForOtherRequester(t.deps.db, scope(current, 1), phone, me)).toBe(false);
    // Seen from the other side too.
    expect(
      await destinationUsedForOtherRequester(t.deps.db, scope(victim2), phone, {
        sysId: victim2.requesterSysId,
        userName: '',
      }),
    ).toBe(true);
    expect(earlier.id).toBeDefined();
  });

  it('another tenant using the same destination for someone else never counts (S18)', async () => {
    const phone = randomBytes(32);
    const current = await verification({ destination: phone });
    await verification({ tenantId: tenantB, destination: phone, createdAt: daysAgo(1) });
    await verification({ tenantId: tenantB, destination: phone, createdAt: daysAgo(1) });
    const me = { sysId: current.requesterSysId, userName: '' };
    expect(await destinationUsedForOtherRequester(t.deps.db, scope(current), phone, me)).toBe(false);
    expect(await countRecentForDestination(t.deps.db, scope(current), phone)).toBe(0);
  });

  it('requesters without a sys_id are told apart by user name', async () => {
    const phone = randomBytes(32);
    const current = await verification({ requester: null, userName: 'abel.tuter', destination: phone });
    const me = { sysId: null, userName: 'abel.tuter' };
    await verification({
      requester: null,
      userName: 'abel.tuter',
      destination: phone,
      createdAt: daysAgo(1),
    });
    expect(await destinationUsedForOtherRequester(t.deps.db, scope(current), phone, me)).toBe(false);
    await verification({
      requester: null,
      userName: 'fred.luddy',
      destination: phone,
      createdAt: daysAgo(1),
    });
    expect(await destinationUsedForOtherRequester(t.deps.db, scope(current), phone, me)).toBe(true);
  });

  it('counts for the requester, the destination and the agent respect the window, the tenant and leave the current one out', async () => {
    const requester = randomBytes(16).toString('hex');
    const phone = randomBytes(32);
    const agent = `agent.${randomBytes(3).toString('hex')}`;
    const current = await verification({ requester, destination: phone, agent });
    for (const d of [1, 5, 29])
      await verification({ requester, destination: phone, agent, createdAt: daysAgo(d) });
    await verification({ requester, destination: phone, agent, createdAt: daysAgo(45) }); // outside 30 days
    // Another tenant: same requester sys_id, destination hash and agent user name, never counted (S18).
    for (const d of [1, 2]) {
      await verification({ tenantId: tenantB, requester, destination: phone, agent, createdAt: daysAgo(d) });
    }
    // Same tenant, unrelated rows.
    await verification({ createdAt: daysAgo(1) });

    const s = scope(current);
    expect(await countRecentForRequester(t.deps.db, s, requester)).toBe(3);
    expect(await countRecentForDestination(t.deps.db, s, phone)).toBe(3);
    expect(await countRecentByAgent(t.deps.db, s, agent)).toBe(3);
    const week = scope(current, 7);
    expect(await countRecentForRequester(t.deps.db, week, requester)).toBe(2);
    expect(await countRecentForDestination(t.deps.db, week, phone)).toBe(2);
    expect(await countRecentByAgent(t.deps.db, week, agent)).toBe(2);
    expect(await countRecentForRequester(t.deps.db, s, null)).toBe(0);
  });

  it('other requesters started from the same IP lately: distinct, windowed, per tenant', async () => {
    const ip = '198.51.100.23';
    const abel = randomBytes(16).toString('hex');
    const current = await startedFrom(ip, now, { requester: abel });
    const me = { sysId: abel, userName: '' };
    expect(await countOtherRequestersFromIp(t.deps.db, scope(current), ip, me)).toBe(0);

    await startedFrom(ip, daysAgo(1), { requester: abel }); // Abel again: not another requester
    const fred = randomBytes(16).toString('hex');
    await startedFrom(ip, daysAgo(2), { requester: fred });
    await startedFrom(ip, daysAgo(3), { requester: fred }); // Fred twice: one requester
    await startedFrom(`::ffff:${ip}`, daysAgo(4)); // the same address, IPv4-mapped
    await startedFrom(ip, daysAgo(40)); // outside the window
    await startedFrom(ip, daysAgo(1), { tenantId: tenantB }); // another tenant (S18)
    await startedFrom('198.51.100.24', daysAgo(1)); // another address
    expect(await countOtherRequestersFromIp(t.deps.db, scope(current), ip, me)).toBe(2);
    expect(await countOtherRequestersFromIp(t.deps.db, scope(current, 3), ip, me)).toBe(1);
    expect(await countOtherRequestersFromIp(t.deps.db, scope(current), 'not an ip', me)).toBe(0);
  });

  it('the opener recorded on the link is read back with its delivery time', async () => {
    const v = await verification();
    const link = await insertLink(t.deps.db, {
      tenantId: v.tenantId,
      verificationId: v.id,
      tokenHash: sha256(randomBytes(32).toString('base64url')),
      expiresAt: v.deadlineAt,
    });
    expect(await latestOpenedLink(t.deps.db, v.id)).toBeNull();
    const openedAt = new Date(now.getTime() - 60_000);
    await t.deps.db
      .updateTable('verification_links')
      .set({ opened_at: openedAt })
      .where('id', '=', link.id)
      .execute();
    await recordLinkOpenedDevice(t.deps.db, link.id, '::ffff:203.0.113.9', 'Mozilla/5.0 (iPhone)');
    await recordLinkOpenedDevice(t.deps.db, link.id, '203.0.113.10', 'Other'); // first report only
    expect(await latestOpenedLink(t.deps.db, v.id)).toEqual({
      linkId: link.id,
      openedAt,
      openedIp: '203.0.113.9',
      openedUserAgent: 'Mozilla/5.0 (iPhone)',
      sentAt: null,
    });
  });

  it('loadAssuranceInputs → buildRiskContext: the history lands in the context', async () => {
    const phone = randomBytes(32);
    const ip = '198.51.100.77';
    await startedFrom(ip, daysAgo(1), { destination: phone }); // another requester, same phone and address
    const current = await verification({ destination: phone });
    const lookup: NetworkLookup = {
      loadError: null,
      lookup: (addr) => ({
        status: 'ok',
        ip: addr,
        country: 'US',
        asn: 7922,
        asnOrg: 'COMCAST-7922',
        hosting: false,
        vpn: false,
        tor: false,
      }),
    };
    const inputs = await loadAssuranceInputs(
      { db: t.deps.db, network: lookup, clock: { now: () => now } },
      current,
      { ip, headers: { 'user-agent': 'Mozilla/5.0' }, at: now },
      { orgFacts: null },
    );
    const ctx = buildRiskContext(inputs);
    expect(ctx.request).toMatchObject({
      destinationUsedForOtherRequester: true,
      recentVerificationsForDestination: 1,
      recentVerificationsForRequester: 0,
    });
    expect(ctx.network).toMatchObject({ otherRequestersSameIp: 1, requesterLocationCountry: null });
    expect(ctx.device.collected).toBe(false);
  });
});
