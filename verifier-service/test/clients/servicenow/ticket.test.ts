// fetchTicketContext and applyTicketUpdate against a small in-test table store speaking the Table API
// (incident, sys_user, sys_journal_field; journal writes append entries as on an instance).

import { createServiceNowClient, ServiceNowError } from '../../../src/clients/servicenow/client';
import { contactsOnFile, fetchTicketContext } from '../../../src/clients/servicenow/ticket-context';
import { applyTicketUpdate } from '../../../src/clients/servicenow/ticket-writer';
import {
  ok,
  snError,
  startFakeInstance,
  testClock,
  type FakeInstance,
  type Recorded,
  type Reply,
} from './fake-instance';

const INC = '1'.repeat(32);
const CALLER = '2'.repeat(32);
const DEPT = '3'.repeat(32);
const MGR = '4'.repeat(32);
const ORPHAN = '5'.repeat(32);

type Row = Record<string, string>;

function seed(): Map<string, Map<string, Row>> {
  const t = new Map<string, Map<string, Row>>();
  t.set(
    'incident',
    new Map<string, Row>([
      [
        INC,
        {
          sys_id: INC,
          number: 'INC0010002',
          short_description: 'Password reset please',
          description: 'Locked out after holiday.\nThanks',
          category: 'password_reset',
          subcategory: '',
          state: '2',
          caller_id: CALLER,
          opened_by: MGR,
          work_notes: '',
          x_imper_verify_status: 'required',
        },
      ],
      [
        ORPHAN,
        { sys_id: ORPHAN, number: 'INC0010003', short_description: 'no caller', caller_id: '', state: '1' },
      ],
    ]),
  );
  t.set(
    'sys_user',
    new Map<string, Row>([
      [
        CALLER,
        {
          sys_id: CALLER,
          name: 'Abel Tuter',
          user_name: 'abel.tuter',
          email: 'abel.tuter@example.com',
          mobile_phone: '',
          phone: '+1 555 0100',
          vip: 'true',
          locked_out: 'false',
          department: DEPT,
          manager: MGR,
          sys_updated_on: '2025-01-31 09:15:00',
          password: 'must-never-be-read',
        },
      ],
      [MGR, { sys_id: MGR, name: 'Beth Anglin' }],
    ]),
  );
  t.set('cmn_department', new Map([[DEPT, { sys_id: DEPT, name: 'Finance' }]]));
  t.set('sys_journal_field', new Map());
  return t;
}

let fake: FakeInstance | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

/**
 * `faults(r)` may return a reply to send instead; returning 'drop-after' applies the request and then drops
 * the connection (the write landed, the answer was lost).
 */
async function setup(faults?: (r: Recorded) => Reply | 'drop-after' | undefined) {
  const tables = seed();
  let nextId = 0;
  const pick = (row: Row, fields: string | null): Row => {
    if (!fields) return row;
    const out: Row = {};
    for (const f of fields.split(',')) {
      if (f.includes('.')) {
        // dot-walk one level, as sysparm_fields does (the key stays literal)
        const [ref, col] = f.split('.') as [string, string];
        const target = [...tables.values()].map((t) => t.get(row[ref] ?? '')).find(Boolean);
        if (target) out[f] = target[col] ?? '';
      } else if (f in row) out[f] = row[f]!;
    }
    return out;
  };
  const matches = (row: Row, q: string | null): boolean =>
    !q ||
    q.split('^').every((c) => {
      const like = /^([a-z_]+)LIKE(.*)$/.exec(c);
      if (like) return (row[like[1]!] ?? '').toLowerCase().includes(like[2]!.toLowerCase());
      const eq = /^([a-z_]+)=(.*)$/.exec(c);
      if (eq) return (row[eq[1]!] ?? '') === eq[2];
      throw new Error(`unsupported condition ${c}`);
    });

  fake = await startFakeInstance((r) => {
    const fault = faults?.(r);
    if (fault && fault !== 'drop-after') return fault;
    const m = /^\/api\/now\/table\/([a-z0-9_]+)(?:\/([0-9a-f]{32}))?$/.exec(r.path);
    if (!m) return snError(400, 'Invalid path');
    const table = tables.get(m[1]!);
    if (!table) return snError(400, `Invalid table ${m[1]}`);
    const fields = r.params.get('sysparm_fields');
    let reply: Reply;
    if (r.method === 'GET' && m[2]) {
      const row = table.get(m[2]);
      reply = row ? ok(pick(row, fields)) : snError(404, 'No Record found');
    } else if (r.method === 'GET') {
      const rows = [...table.values()].filter((row) => matches(row, r.params.get('sysparm_query')));
      const limit = Number(r.params.get('sysparm_limit') ?? 10000);
      reply = ok(rows.slice(0, limit).map((row) => pick(row, fields)));
    } else if (r.method === 'PATCH' && m[2]) {
      const row = table.get(m[2]);
      if (!row) return snError(404, 'No Record found');
      const body = JSON.parse(r.body) as Row;
      for (const [k, v] of Object.entries(body)) {
        if (k === 'work_notes') {
          const id = (++nextId).toString(16).padStart(32, 'f');
          tables
            .get('sys_journal_field')!
            .set(id, { sys_id: id, element_id: m[2], element: 'work_notes', name: m[1]!, value: v });
        } else row[k] = v;
      }
      reply = ok(pick(row, fields));
    } else {
      reply = snError(405, 'Method not Supported');
    }
    return fault === 'drop-after' ? 'destroy' : reply;
  });
  const client = createServiceNowClient({
    instanceUrl: fake.url,
    auth: { type: 'basic', username: 'imper.integration', password: 'integration-pw-123' },
    timeoutMs: 500,
    retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 10 },
    ...testClock(),
  });
  const notes = () => [...tables.get('sys_journal_field')!.values()].filter((e) => e.element_id === INC);
  return { client, fake, tables, notes };
}

describe('fetchTicketContext', () => {
  test('reads the ticket and its caller with two small reads', async () => {
    const { client, fake } = await setup();
    const ctx = await fetchTicketContext(client, { table: 'incident', sysId: INC });
    expect(ctx).toEqual({
      ticket: {
        table: 'incident',
        sysId: INC,
        number: 'INC0010002',
        subject: 'Password reset please',
        description: 'Locked out after holiday.\nThanks',
        category: 'password_reset',
        subcategory: '',
        state: '2',
        requesterSysId: CALLER,
      },
      requester: {
        sysId: CALLER,
        name: 'Abel Tuter',
        userName: 'abel.tuter',
        email: 'abel.tuter@example.com',
        mobilePhone: '',
        phone: '+1 555 0100',
        vip: true,
        lockedOut: false,
        department: DEPT,
        departmentName: 'Finance',
        manager: MGR,
        managerName: 'Beth Anglin',
        updatedOn: '2025-01-31T09:15:00Z',
      },
    });
    expect(fake.requests.map((r) => r.path)).toEqual([
      `/api/now/table/incident/${INC}`,
      `/api/now/table/sys_user/${CALLER}`,
    ]);
    for (const r of fake.requests) {
      expect(r.params.get('sysparm_fields')).toBeTruthy();
      expect(r.params.get('sysparm_exclude_reference_link')).toBe('true');
    }
    expect(fake.requests[1]!.params.get('sysparm_fields')).not.toContain('password');
  });

  test('a missing ticket is null; a ticket without caller has no requester', async () => {
    const { client, fake } = await setup();
    await expect(
      fetchTicketContext(client, { table: 'incident', sysId: '9'.repeat(32) }),
    ).resolves.toBeNull();
    const ctx = await fetchTicketContext(client, { table: 'incident', sysId: ORPHAN });
    expect(ctx?.ticket.requesterSysId).toBe('');
    expect(ctx?.requester).toBeNull();
    expect(fake.requests).toHaveLength(2);
  });

  test('falls back to requested_for when there is no caller_id', async () => {
    const { client, tables } = await setup();
    const ritm = '6'.repeat(32);
    tables.set(
      'sc_req_item',
      new Map([[ritm, { sys_id: ritm, number: 'RITM0010001', requested_for: CALLER }]]),
    );
    const ctx = await fetchTicketContext(client, { table: 'sc_req_item', sysId: ritm });
    expect(ctx?.requester?.userName).toBe('abel.tuter');
  });

  test('refuses malformed references without a request', async () => {
    const { client, fake } = await setup();
    await expect(fetchTicketContext(client, { table: 'incident^x', sysId: INC })).rejects.toThrow(TypeError);
    await expect(fetchTicketContext(client, { table: 'incident', sysId: 'INC0010002' })).rejects.toThrow(
      TypeError,
    );
    expect(fake.requests).toHaveLength(0);
  });

  test('contactsOnFile lists only the non-empty destinations', async () => {
    const { client } = await setup();
    const ctx = await fetchTicketContext(client, { table: 'incident', sysId: INC });
    expect(contactsOnFile(ctx!.requester)).toEqual([
      { key: 'email', channel: 'email', value: 'abel.tuter@example.com' },
    ]);
    expect(contactsOnFile({ ...ctx!.requester!, mobilePhone: '+15550101' })).toEqual([
      { key: 'email', channel: 'email', value: 'abel.tuter@example.com' },
      { key: 'mobile_phone', channel: 'sms', value: '+15550101' },
    ]);
    expect(contactsOnFile(null)).toEqual([]);
  });
});

describe('applyTicketUpdate (SECURITY.md R3)', () => {
  const marker = '[imper.ai VRF-7Q2K9M #3]';
  const update = {
    table: 'incident',
    sysId: INC,
    fields: { x_imper_verify_status: 'passed', x_imper_verify_risk_level: 'verified' },
    workNote: { marker, text: 'Identity verified by SMS link.' },
  };

  test('writes fields and the note (with its marker) in one PATCH, after checking the journal', async () => {
    const { client, fake, tables, notes } = await setup();
    await expect(applyTicketUpdate(client, update)).resolves.toEqual({ noteWritten: true });
    expect(tables.get('incident')!.get(INC)).toMatchObject({
      x_imper_verify_status: 'passed',
      x_imper_verify_risk_level: 'verified',
    });
    expect(notes().map((n) => n.value)).toEqual([`${marker} Identity verified by SMS link.`]);
    const [check, patch] = fake.requests;
    expect(check!.path).toBe('/api/now/table/sys_journal_field');
    expect(check!.params.get('sysparm_query')).toBe(
      `element_id=${INC}^element=work_notes^valueLIKE${marker}`,
    );
    expect(check!.params.get('sysparm_limit')).toBe('1');
    expect(check!.params.get('sysparm_fields')).toBe('sys_id,value');
    expect(patch!.method).toBe('PATCH');
  });

  test('applying the same update twice leaves one note', async () => {
    const { client, notes, fake } = await setup();
    await applyTicketUpdate(client, update);
    await expect(applyTicketUpdate(client, update)).resolves.toEqual({ noteWritten: false });
    expect(notes()).toHaveLength(1);
    // The second run still sets the fields (harmless) but sends no work_notes.
    expect(JSON.parse(fake.requests.at(-1)!.body)).toEqual(update.fields);
  });

  test('a note that landed although its answer was lost is not written again on retry', async () => {
    let dropped = false;
    const { client, notes, fake } = await setup((r) => {
      if (r.method === 'PATCH' && !dropped) {
        dropped = true;
        return 'drop-after';
      }
      return undefined;
    });
    const err = await applyTicketUpdate(client, update).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ServiceNowError);
    expect(err).toMatchObject({ kind: 'network', retriable: true });
    // The client did not resend the note by itself…
    expect(fake.requests.filter((r) => r.method === 'PATCH')).toHaveLength(1);
    // …and the job's retry finds it.
    await expect(applyTicketUpdate(client, update)).resolves.toEqual({ noteWritten: false });
    expect(notes()).toHaveLength(1);
  });

  test('another verification event on the same ticket gets its own note', async () => {
    const { client, notes } = await setup();
    await applyTicketUpdate(client, update);
    await applyTicketUpdate(client, {
      ...update,
      workNote: { marker: '[imper.ai VRF-7Q2K9M #4]', text: '[imper.ai VRF-7Q2K9M #4] Password reset done.' },
    });
    expect(notes().map((n) => n.value)).toEqual([
      `${marker} Identity verified by SMS link.`,
      '[imper.ai VRF-7Q2K9M #4] Password reset done.',
    ]);
  });

  test('an instance that ignores the marker condition gets no note rather than a possible duplicate', async () => {
    const other = 'e'.repeat(32);
    let ignoreCondition = true;
    const { client, fake, tables, notes } = await setup((r) =>
      // As an instance does with a condition it cannot apply: `valueLIKE…` dropped, any note matches.
      ignoreCondition && r.path === '/api/now/table/sys_journal_field'
        ? ok([{ sys_id: other, value: 'Called the user back.' }])
        : undefined,
    );
    tables
      .get('sys_journal_field')!
      .set(other, { sys_id: other, element_id: INC, element: 'work_notes', value: 'Called the user back.' });
    const err = await applyTicketUpdate(client, update).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ServiceNowError);
    expect(err).toMatchObject({ retriable: false });
    expect(fake.requests.map((r) => r.method)).toEqual(['GET']);
    // With the condition applied, the unrelated note does not hide the new one.
    ignoreCondition = false;
    await expect(applyTicketUpdate(client, update)).resolves.toEqual({ noteWritten: true });
    expect(notes()).toHaveLength(2);
  });

  test('fields only: a plain PATCH, retried through a 503', async () => {
    let failed = false;
    const { client, fake, tables } = await setup((r) => {
      if (r.method === 'PATCH' && !failed) {
        failed = true;
        return snError(503, 'Service Unavailable');
      }
      return undefined;
    });
    await expect(
      applyTicketUpdate(client, { table: 'incident', sysId: INC, fields: { x_imper_verify_status: 'sent' } }),
    ).resolves.toEqual({ noteWritten: false });
    expect(fake.requests.map((r) => r.method)).toEqual(['PATCH', 'PATCH']);
    expect(tables.get('incident')!.get(INC)!.x_imper_verify_status).toBe('sent');
  });

  test('refuses markers that could inject query conditions and journal fields passed as plain fields', async () => {
    const { client, fake } = await setup();
    await expect(
      applyTicketUpdate(client, { ...update, workNote: { marker: '[x]^ORsys_idISNOTEMPTY', text: 'hi' } }),
    ).rejects.toThrow(TypeError);
    await expect(
      applyTicketUpdate(client, { table: 'incident', sysId: INC, fields: { work_notes: 'sneaky' } }),
    ).rejects.toThrow(TypeError);
    expect(fake.requests).toHaveLength(0);
  });
});
