// fetchOrgFacts against the ServiceNow stand-in (scripts/dev-instance) as the least-privilege integration user:
// the requester's facts, the decoy pools, the S10 contact history, and a challenge generated from them.

import { DEMO_TICKET } from '@imper/dev-instance';
import {
  createServiceNowClient,
  ServiceNowError,
  type ServiceNowClient,
} from '../../../src/clients/servicenow/client';
import { fetchOrgFacts } from '../../../src/clients/servicenow/org-facts';
import { NONE_OF_THESE, generateChallenge, normalizeText } from '../../../src/domain/challenge';
import { SECRETS, useStandin } from './standin';

const standin = useStandin();

const client = (username = 'imper.integration', password = SECRETS.integration.password): ServiceNowClient =>
  createServiceNowClient({
    instanceUrl: standin().url,
    auth: { type: 'basic', username, password },
    timeoutMs: 2000,
    retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 1500 },
  });

const abel = DEMO_TICKET.caller.sys_id;
const current = { table: DEMO_TICKET.table, sysId: DEMO_TICKET.sys_id };
type Row = Record<string, string>;

test("the requester's facts: manager, department, location with country, groups, devices, recent tickets and requests", async () => {
  const store = standin().store;
  const u = store.get('sys_user', abel) as Row;
  const r = await fetchOrgFacts(client(), abel, { currentTicket: current });
  expect(r).not.toBeNull();
  const { facts } = r!;
  expect(facts).toMatchObject({
    personId: abel,
    name: DEMO_TICKET.caller.name,
    title: u.title,
    vip: false,
    manager: { id: u.manager, name: store.displayOf('sys_user', u.manager as string) },
    department: { id: u.department, name: 'Finance' },
    location: { id: u.location, name: 'Washington DC HQ', country: 'USA', city: 'Washington' },
  });
  const groupNames = store
    .query('sys_user_grmember', `user=${abel}`)
    .map((m) => store.displayOf('sys_user_group', m.group as string))
    .sort();
  expect(facts.groups.map((g) => g.name).sort()).toEqual(groupNames);
  expect(facts.groups.length).toBeGreaterThanOrEqual(2);
  const devices = store.query('alm_hardware', `assigned_to=${abel}`);
  expect(facts.hardware.map((h) => h.displayName).sort()).toEqual(devices.map((d) => d.display_name).sort());
  expect(facts.hardware[0]).toEqual({
    id: expect.stringMatching(/^[0-9a-f]{32}$/),
    displayName: expect.stringMatching(/^P\d+ - /),
    modelCategory: expect.any(String),
    model: expect.any(String),
  });
  // recent tickets: incidents they called in and the item they requested, newest first, not the current one
  expect(facts.recentTickets.map((t) => t.id)).not.toContain(DEMO_TICKET.sys_id);
  expect(facts.recentTickets.filter((t) => t.table === 'incident').length).toBeGreaterThanOrEqual(2);
  expect(facts.recentTickets.filter((t) => t.table === 'sc_req_item')).toHaveLength(1);
  const opened = facts.recentTickets.map((t) => t.openedAt);
  expect(opened).toEqual([...opened].sort().reverse());
  for (const t of facts.recentTickets) expect(t.openedAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
  // no change of phone or email on file for the demo caller
  expect(facts).toMatchObject({
    lastPhoneChange: null,
    lastEmailChange: null,
    contactHistoryAvailable: true,
  });
});

test('decoy pools: real records of the same kinds, managers at the same location first, devices of the same categories', async () => {
  const { facts, pools } = (await fetchOrgFacts(client(), abel, { currentTicket: current }))!;
  const store = standin().store;
  expect(pools.departments.length).toBe(store.query('cmn_department').length);
  expect(pools.locations.map((l) => l.name)).toContain('London Office');
  expect(pools.groups.length).toBeGreaterThanOrEqual(10);
  expect(pools.managers.length).toBeGreaterThanOrEqual(5);
  expect(new Set(pools.managers.map((m) => m.id)).size).toBe(pools.managers.length);
  for (const m of pools.managers)
    expect(store.query('sys_user', `manager=${m.id}`).length).toBeGreaterThan(0);
  const categories = new Set(facts.hardware.map((h) => h.modelCategory));
  expect(pools.hardware.length).toBeGreaterThan(20);
  for (const h of pools.hardware) {
    expect(categories).toContain(h.modelCategory);
    expect(store.get('alm_hardware', h.id)?.assigned_to).not.toBe(abel);
  }
  expect(pools.tickets.length).toBeGreaterThan(50);
  for (const t of pools.tickets.slice(0, 30)) {
    const rec = store.get(t.table, t.id) as Row;
    expect(rec.caller_id ?? rec.requested_for).not.toBe(abel);
  }
});

test('every request is small: sysparm_fields, exclude_reference_link, no_count and a limit', async () => {
  standin().requests.clear();
  await fetchOrgFacts(client(), abel, { currentTicket: current });
  const reads = standin()
    .requests.all()
    .filter((x) => x.path.startsWith('/api/now/table/'));
  expect(reads.length).toBeGreaterThanOrEqual(10);
  expect(reads.length).toBeLessThanOrEqual(16);
  for (const x of reads) {
    expect(x.method).toBe('GET');
    expect(x.query.sysparm_fields).toBeTruthy();
    expect(x.query.sysparm_exclude_reference_link).toBe('true');
    expect(x.query.sysparm_no_count).toBe('true');
    if (!/\/[0-9a-f]{32}$/.test(x.path)) expect(Number(x.query.sysparm_limit)).toBeLessThanOrEqual(300);
  }
});

test('S10: a seeded recent phone change, and a change made through the Table API, come back in days', async () => {
  const seeded = standin().seed.contactChanges.find((c) => c.field === 'mobile_phone' && c.daysAgo <= 14)!;
  const id = standin().store.userByName(seeded.userName)?.sys_id as string;
  const r = (await fetchOrgFacts(client(), id))!;
  expect(r.facts.lastPhoneChange).toMatchObject({ field: 'mobile_phone', daysAgo: seeded.daysAgo });

  const victim = standin().store.query(
    'sys_user',
    'employee_numberSTARTSWITHE^ORDERBYemployee_number',
  )[5] as Row;
  const admin = client('admin', SECRETS.adminPassword);
  expect((await fetchOrgFacts(client(), victim.sys_id as string))!.facts.lastEmailChange).toBeNull();
  await admin.update('sys_user', victim.sys_id as string, { email: 'new.address@example.com' });
  const after = (await fetchOrgFacts(client(), victim.sys_id as string))!;
  expect(after.facts.lastEmailChange).toMatchObject({ field: 'email', daysAgo: 0 });
  expect(Date.parse(after.facts.lastEmailChange!.changedAt)).toBeGreaterThan(Date.now() - 60_000);
});

test('a user that does not exist is null; a failure that outlasts the retries is thrown', async () => {
  await expect(fetchOrgFacts(client(), '0'.repeat(32))).resolves.toBeNull();
  await expect(fetchOrgFacts(client(), 'not-an-id')).rejects.toThrow(TypeError);
  for (let i = 0; i < 3; i++)
    standin().faults.enqueue({ kind: 'status', status: 503, match: { method: 'GET' } });
  await expect(fetchOrgFacts(client(), abel)).rejects.toMatchObject({ status: 503 });
});

test('a challenge generated from the stand-in: four questions, private kinds, true answers or None of these', async () => {
  const { facts, pools } = (await fetchOrgFacts(client(), abel, { currentTicket: current }))!;
  const input = {
    tenantId: standin().url,
    key: Buffer.alloc(32, 9),
    personId: abel,
    facts,
    pools,
    currentTicket: { id: DEMO_TICKET.sys_id, shortDescription: DEMO_TICKET.short_description },
  };
  const r = generateChallenge(input);
  expect(r.kind).toBe('ready');
  if (r.kind !== 'ready') return;
  expect(r.questions.map((q) => q.kind)).toEqual(['recent_ticket', 'asset', 'group', 'location']);
  for (const q of r.questions) {
    const correct = q.choices.find((c) => c.id === q.correctChoiceId)!.text;
    const truths: Record<string, string[]> = {
      recent_ticket: facts.recentTickets.map((t) => t.shortDescription),
      asset: facts.hardware.map((h) => h.displayName),
      group: facts.groups.map((g) => g.name),
      location: [facts.location!.name],
    };
    const shownTruths = q.choices.filter((c) =>
      truths[q.kind]!.map(normalizeText).includes(normalizeText(c.text)),
    );
    if (correct === NONE_OF_THESE) expect(shownTruths).toEqual([]);
    else expect(shownTruths.map((c) => c.text)).toEqual([correct]);
  }
  // a second read and generation (another verification) shows the same choices
  const again = (await fetchOrgFacts(client(), abel, { currentTicket: current }))!;
  expect(generateChallenge({ ...input, facts: again.facts, pools: again.pools })).toEqual(r);
});

test('an instance without sc_req_item (400 Invalid table) or refusing sys_audit (403): no requests, history unknown', async () => {
  const real = client();
  const refusing: ServiceNowClient = {
    ...real,
    get: real.get,
    query: ((table: string, o?: Parameters<ServiceNowClient['query']>[1]) => {
      if (table === 'sc_req_item')
        return Promise.reject(
          new ServiceNowError({ kind: 'http', message: '400 Invalid table', status: 400, retriable: false }),
        );
      if (table === 'sys_audit')
        return Promise.reject(
          new ServiceNowError({
            kind: 'http',
            message: '403 Operation Failed',
            status: 403,
            retriable: false,
          }),
        );
      return real.query(table, o);
    }) as ServiceNowClient['query'],
  };
  const r = (await fetchOrgFacts(refusing, abel, { currentTicket: current }))!;
  expect(r.facts.recentTickets.every((t) => t.table === 'incident')).toBe(true);
  expect(r.facts.recentTickets.length).toBeGreaterThanOrEqual(2);
  expect(r.pools.tickets.every((t) => t.table === 'incident')).toBe(true);
  expect(r.facts).toMatchObject({
    lastPhoneChange: null,
    lastEmailChange: null,
    contactHistoryAvailable: false,
  });
  // other refusals are not swallowed
  const broken: ServiceNowClient = {
    ...real,
    query: ((table: string, o?: Parameters<ServiceNowClient['query']>[1]) =>
      table === 'alm_hardware'
        ? Promise.reject(new ServiceNowError({ kind: 'http', message: '403', status: 403, retriable: false }))
        : real.query(table, o)) as ServiceNowClient['query'],
  };
  await expect(fetchOrgFacts(broken, abel)).rejects.toMatchObject({ status: 403 });
});
