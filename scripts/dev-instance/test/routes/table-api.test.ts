// Conformance with SERVICENOW.md "REST Table API": one test (or more) per row, named after the row.

import { DEMO_TICKET, type DevInstance } from '../../src/index';
import { AS, GLIDE_DATE, SYS_ID, call, startTestInstance } from '../helper';

let inst: DevInstance;
beforeAll(async () => {
  inst = await startTestInstance();
});
afterAll(() => inst?.close());

const beth = (): string => inst.store.userByName('beth.anglin')?.sys_id as string;
const newIncident = async (extra: Record<string, unknown> = {}): Promise<Record<string, string>> => {
  const r = await call(inst, 'POST', '/api/now/table/incident?sysparm_exclude_reference_link=true', {
    body: {
      short_description: 'conformance test',
      caller_id: DEMO_TICKET.caller.sys_id,
      category: 'software',
      ...extra,
    },
  });
  expect(r.status).toBe(201);
  return r.json.result;
};

describe('call rows', () => {
  it('GET /api/now/table/{table}: 200 {"result":[…]}, empty list when nothing matches', async () => {
    const hit = await call(inst, 'GET', '/api/now/table/incident?sysparm_query=number=INC0010001');
    expect(hit.status).toBe(200);
    expect(hit.json.result).toHaveLength(1);
    expect(hit.json.result[0].sys_id).toBe(DEMO_TICKET.sys_id);
    const none = await call(inst, 'GET', '/api/now/table/incident?sysparm_query=number=INC9999999');
    expect(none.status).toBe(200);
    expect(none.json).toEqual({ result: [] });
    expect(none.headers.get('x-total-count')).toBe('0');
  });

  it('GET /api/now/table/{table}: X-Total-Count = all matches; Link first/prev/next/last repeating the query', async () => {
    const q = 'active=true^ORDERBYnumber';
    const all = await call(
      inst,
      'GET',
      `/api/now/table/incident?sysparm_query=${encodeURIComponent(q)}&sysparm_fields=number`,
    );
    const total = all.json.result.length as number;
    expect(total).toBeGreaterThan(6);
    const r = await call(
      inst,
      'GET',
      `/api/now/table/incident?sysparm_query=${encodeURIComponent(q)}&sysparm_fields=number&sysparm_limit=3&sysparm_offset=3`,
    );
    expect(r.headers.get('x-total-count')).toBe(String(total));
    expect(r.json.result.map((x: { number: string }) => x.number)).toEqual(
      all.json.result.slice(3, 6).map((x: { number: string }) => x.number),
    );
    const links = Object.fromEntries(
      (r.headers.get('link') ?? '').split(',').map((part) => {
        const m = /^<([^>]+)>;rel="(\w+)"$/.exec(part.trim());
        return [m?.[2], new URL(m?.[1] ?? 'http://x')];
      }),
    );
    expect(Object.keys(links).sort()).toEqual(['first', 'last', 'next', 'prev']);
    for (const u of Object.values(links) as URL[]) {
      expect(`${u.protocol}//${u.host}`).toBe(inst.url);
      expect(u.pathname).toBe('/api/now/table/incident');
      expect(u.searchParams.get('sysparm_query')).toBe(q);
      expect(u.searchParams.get('sysparm_fields')).toBe('number');
      expect(u.searchParams.get('sysparm_limit')).toBe('3');
    }
    expect((links.first as URL).searchParams.get('sysparm_offset')).toBe('0');
    expect((links.prev as URL).searchParams.get('sysparm_offset')).toBe('0');
    expect((links.next as URL).searchParams.get('sysparm_offset')).toBe('6');
    expect((links.last as URL).searchParams.get('sysparm_offset')).toBe(
      String(Math.floor((total - 1) / 3) * 3),
    );
    // following "next" gives the next page
    const next = await call(inst, 'GET', (links.next as URL).pathname + (links.next as URL).search);
    expect(next.json.result.map((x: { number: string }) => x.number)).toEqual(
      all.json.result.slice(6, 9).map((x: { number: string }) => x.number),
    );
  });

  it('GET /api/now/table/{table}/{sys_id}: 200 {"result":{…}}', async () => {
    const r = await call(inst, 'GET', `/api/now/table/incident/${DEMO_TICKET.sys_id}`);
    expect(r.status).toBe(200);
    expect(r.json.result.number).toBe(DEMO_TICKET.number);
    expect(r.json.result.short_description).toBe(DEMO_TICKET.short_description);
  });

  it('GET /api/now/table/{table}/{sys_id}: 404 when missing or hidden by ACL', async () => {
    const missing = await call(inst, 'GET', `/api/now/table/incident/${'0'.repeat(32)}`);
    expect(missing.status).toBe(404);
    expect(missing.json).toEqual({
      error: {
        message: 'No Record found',
        detail: "Record doesn't exist or ACL restricts the record retrieval",
      },
      status: 'failure',
    });
    // an ordinary employee (no role) cannot see another caller's ticket
    const employee = inst.store
      .query('sys_user', 'active=true^locked_out=false^user_name!=abel.tuter^emailENDSWITH@example.com')
      .find((u) => inst.store.rolesOf(u.sys_id as string).length === 0) as Record<string, string>;
    await call(inst, 'PATCH', `/api/now/table/sys_user/${employee.sys_id}?sysparm_input_display_value=true`, {
      body: { user_password: 'employee-pw-1' },
    });
    const auth = `Basic ${Buffer.from(`${employee.user_name}:employee-pw-1`).toString('base64')}`;
    const hidden = await call(inst, 'GET', `/api/now/table/incident/${DEMO_TICKET.sys_id}`, { auth });
    expect(hidden.status).toBe(404);
    const own = await call(inst, 'GET', `/api/now/table/sys_user/${employee.sys_id}`, { auth });
    expect(own.status).toBe(200);
    const list = await call(inst, 'GET', '/api/now/table/sys_user?sysparm_fields=sys_id', { auth });
    expect(list.json.result).toEqual([{ sys_id: employee.sys_id }]);
  });

  it('POST /api/now/table/{table}: 201 + Location header, whole record', async () => {
    const r = await call(inst, 'POST', '/api/now/table/incident', {
      body: {
        short_description: 'New laptop will not boot',
        caller_id: DEMO_TICKET.caller.sys_id,
        category: 'hardware',
      },
    });
    expect(r.status).toBe(201);
    const rec = r.json.result;
    expect(rec.sys_id).toMatch(SYS_ID);
    expect(r.headers.get('location')).toBe(`${inst.url}/api/now/table/incident/${rec.sys_id}`);
    expect(rec.number).toMatch(/^INC\d{7}$/);
    expect(rec.short_description).toBe('New laptop will not boot');
    // whole record: every column, not just the ones sent
    for (const col of [
      'state',
      'priority',
      'opened_at',
      'sys_created_on',
      'x_imper_verify_status',
      'work_notes',
    ])
      expect(rec).toHaveProperty(col);
    const back = await call(inst, 'GET', new URL(r.headers.get('location') as string).pathname);
    expect(back.json.result.sys_id).toBe(rec.sys_id);
  });

  it('POST /api/now/table/{table}: one record per call (an array is refused)', async () => {
    const r = await call(inst, 'POST', '/api/now/table/incident', {
      body: [{ short_description: 'a' }, { short_description: 'b' }],
    });
    expect(r.status).toBe(400);
    expect(r.json.status).toBe('failure');
  });

  it('PATCH or PUT /api/now/table/{table}/{sys_id}: 200, whole record; both update only the fields sent', async () => {
    const created = await newIncident({ description: 'keep me' });
    for (const method of ['PATCH', 'PUT']) {
      const r = await call(inst, method, `/api/now/table/incident/${created.sys_id}`, {
        body: { short_description: `via ${method}` },
      });
      expect(r.status).toBe(200);
      expect(r.json.result.short_description).toBe(`via ${method}`);
      expect(r.json.result.description).toBe('keep me');
      expect(r.json.result.category).toBe('software');
      expect(r.json.result).toHaveProperty('x_imper_verify_status');
    }
    expect(inst.store.get('incident', created.sys_id as string)?.sys_mod_count).toBe('2');
  });

  it('DELETE /api/now/table/{table}/{sys_id}: 204, no body', async () => {
    const created = await newIncident();
    const r = await call(inst, 'DELETE', `/api/now/table/incident/${created.sys_id}`);
    expect(r.status).toBe(204);
    expect(r.text).toBe('');
    expect(inst.store.get('incident', created.sys_id as string)).toBeNull();
    expect((await call(inst, 'GET', `/api/now/table/incident/${created.sys_id}`)).status).toBe(404);
  });

  it('an optional version segment is allowed: /api/now/v1/table/…, /api/now/v2/table/…', async () => {
    for (const v of ['v1', 'v2']) {
      const r = await call(
        inst,
        'GET',
        `/api/now/${v}/table/incident/${DEMO_TICKET.sys_id}?sysparm_fields=number`,
      );
      expect(r.status).toBe(200);
      expect(r.json.result).toEqual({ number: DEMO_TICKET.number });
    }
    const created = await call(inst, 'POST', '/api/now/v2/table/incident', {
      body: { short_description: 'v2 insert' },
    });
    expect(created.status).toBe(201);
    expect((await call(inst, 'GET', '/api/now/v9/table/incident')).status).toBe(400);
  });

  it('request header X-no-response-body: true suppresses the body of POST/PUT/PATCH', async () => {
    const headers = { 'X-no-response-body': 'true' };
    const post = await call(inst, 'POST', '/api/now/table/incident', {
      body: { short_description: 'quiet' },
      headers,
    });
    expect(post.status).toBe(201);
    expect(post.text).toBe('');
    const id = (post.headers.get('location') ?? '').split('/').pop() as string;
    expect(inst.store.get('incident', id)?.short_description).toBe('quiet');
    for (const method of ['PATCH', 'PUT']) {
      const r = await call(inst, method, `/api/now/table/incident/${id}`, {
        body: { description: method },
        headers,
      });
      expect(r.status).toBe(200);
      expect(r.text).toBe('');
    }
    expect(inst.store.get('incident', id)?.description).toBe('PUT');
  });
});

describe('query parameters', () => {
  it('sysparm_query filters with an encoded query (dot-walking through references)', async () => {
    const r = await call(
      inst,
      'GET',
      '/api/now/table/incident?sysparm_query=' +
        encodeURIComponent('caller_id.user_name=abel.tuter^ORDERBYnumber') +
        '&sysparm_fields=number,caller_id&sysparm_exclude_reference_link=true',
    );
    expect(r.json.result.length).toBeGreaterThanOrEqual(4);
    for (const row of r.json.result) expect(row.caller_id).toBe(DEMO_TICKET.caller.sys_id);
    expect(r.json.result[0].number).toBe('INC0010001');
    const vip = await call(
      inst,
      'GET',
      '/api/now/table/incident?sysparm_query=caller_id.vip=true&sysparm_fields=caller_id.vip',
    );
    expect(vip.json.result.length).toBeGreaterThan(0);
    for (const row of vip.json.result) expect(row['caller_id.vip']).toBe('true');
  });

  it('sysparm_fields: comma list; unknown names ignored; dotted names come back as literal keys', async () => {
    const r = await call(
      inst,
      'GET',
      `/api/now/table/incident/${DEMO_TICKET.sys_id}?sysparm_fields=number, caller_id.email,caller_id.mobile_phone,no_such_field,caller_id.nope`,
    );
    expect(r.json.result).toEqual({
      number: DEMO_TICKET.number,
      'caller_id.email': DEMO_TICKET.caller.email,
      'caller_id.mobile_phone': DEMO_TICKET.caller.mobile_phone,
    });
  });

  it('sysparm_limit (default 10000) and sysparm_offset (default 0)', async () => {
    const all = await call(inst, 'GET', '/api/now/table/incident?sysparm_fields=sys_id');
    expect(all.json.result.length).toBe(Number(all.headers.get('x-total-count')));
    expect(all.json.result.length).toBeGreaterThan(400); // more than any small default page
    const page = await call(
      inst,
      'GET',
      '/api/now/table/incident?sysparm_fields=sys_id&sysparm_limit=5&sysparm_offset=10',
    );
    expect(page.json.result).toEqual(all.json.result.slice(10, 15));
  });

  it('sysparm_no_count=true: no X-Total-Count', async () => {
    const r = await call(
      inst,
      'GET',
      '/api/now/table/incident?sysparm_fields=sys_id&sysparm_limit=2&sysparm_no_count=true',
    );
    expect(r.headers.get('x-total-count')).toBeNull();
    expect(r.headers.get('link')).toContain('rel="next"');
    expect(r.json.result).toHaveLength(2);
  });

  it('keyset paging: ORDERBYsys_id with sys_id>last walks every record once', async () => {
    const seen: string[] = [];
    let last = '';
    for (;;) {
      const q = encodeURIComponent(`${last ? `sys_id>${last}^` : ''}ORDERBYsys_id`);
      const r = await call(
        inst,
        'GET',
        `/api/now/table/cmn_location?sysparm_query=${q}&sysparm_fields=sys_id&sysparm_limit=3&sysparm_no_count=true`,
      );
      if (r.json.result.length === 0) break;
      for (const row of r.json.result) seen.push(row.sys_id);
      last = seen[seen.length - 1] as string;
    }
    expect(seen).toEqual([...seen].sort());
    expect(new Set(seen).size).toBe(inst.store.query('cmn_location').length);
  });

  it('sysparm_input_display_value=true: references and choices may be written by display value', async () => {
    const r = await call(
      inst,
      'POST',
      '/api/now/table/incident?sysparm_input_display_value=true&sysparm_exclude_reference_link=true',
      {
        body: {
          short_description: 'by display value',
          caller_id: 'Abel Tuter',
          category: 'Network',
          assigned_to: 'Beth Anglin',
        },
      },
    );
    expect(r.json.result.caller_id).toBe(DEMO_TICKET.caller.sys_id);
    expect(r.json.result.assigned_to).toBe(beth());
    expect(r.json.result.category).toBe('network');
  });
});

describe('values', () => {
  it('every value is a string; dates YYYY-MM-DD HH:MM:SS UTC; numbers like INC0010002; sys_id 32 hex; sys_* columns', async () => {
    const r = await call(
      inst,
      'GET',
      '/api/now/table/incident?sysparm_limit=50&sysparm_exclude_reference_link=true',
    );
    for (const row of r.json.result) {
      for (const v of Object.values(row)) expect(typeof v).toBe('string');
      expect(row.sys_id).toMatch(SYS_ID);
      expect(row.number).toMatch(/^INC\d{7}$/);
      expect(row.sys_created_on).toMatch(GLIDE_DATE);
      expect(row.sys_updated_on).toMatch(GLIDE_DATE);
      expect(row.opened_at).toMatch(GLIDE_DATE);
      expect(row.sys_mod_count).toMatch(/^\d+$/);
      expect(row.sys_created_by).not.toBe('');
      expect(['true', 'false']).toContain(row.active);
    }
    const created = await newIncident();
    const now = new Date();
    expect(
      Math.abs(Date.parse(`${created.sys_created_on?.replace(' ', 'T')}Z`) - now.getTime()),
    ).toBeLessThan(5000);
    expect(created.sys_created_by).toBe('admin');
    expect(created.sys_mod_count).toBe('0');
  });

  const REF = { table: 'sys_user', id: () => DEMO_TICKET.caller.sys_id, name: DEMO_TICKET.caller.name };
  const link = (): string => `${inst.url}/api/now/table/${REF.table}/${REF.id()}`;
  const cases: Array<[string, string, () => unknown, unknown]> = [
    ['false', 'false', () => ({ link: link(), value: REF.id() }), '1'],
    ['false', 'true', () => REF.id(), '1'],
    ['true', 'false', () => ({ display_value: REF.name, link: link() }), 'New'],
    ['true', 'true', () => REF.name, 'New'],
    [
      'all',
      'false',
      () => ({ display_value: REF.name, link: link(), value: REF.id() }),
      { display_value: 'New', value: '1' },
    ],
  ];
  it.each(cases)(
    'reference and choice shape: display_value=%s exclude_reference_link=%s',
    async (dv, ex, ref, choice) => {
      const r = await call(
        inst,
        'GET',
        `/api/now/table/incident/${DEMO_TICKET.sys_id}?sysparm_fields=caller_id,state,closed_by&sysparm_display_value=${dv}&sysparm_exclude_reference_link=${ex}`,
      );
      expect(r.json.result.caller_id).toEqual(ref());
      expect(r.json.result.state).toEqual(choice);
      expect(r.json.result.closed_by).toBe(''); // an empty reference is ""
    },
  );

  it('choice labels come from sys_choice (category, close_code, x_imper_verify_status)', async () => {
    const r = await call(
      inst,
      'GET',
      `/api/now/table/incident/${DEMO_TICKET.sys_id}?sysparm_fields=category,x_imper_verify_status,x_imper_verify_action&sysparm_display_value=true`,
    );
    expect(r.json.result).toEqual({
      category: 'Password Reset',
      x_imper_verify_status: 'Required',
      x_imper_verify_action: 'Password Reset',
    });
    const codes = await call(
      inst,
      'GET',
      '/api/now/table/sys_choice?sysparm_query=' +
        encodeURIComponent('name=incident^element=close_code^inactive=false') +
        '&sysparm_fields=value,label',
    );
    expect(codes.json.result.map((c: { value: string }) => c.value)).toEqual(
      expect.arrayContaining([
        'Solved (Permanently)',
        'Solved (Work Around)',
        'Solved Remotely (Permanently)',
        'Not Solved (Not Reproducible)',
        'Closed/Resolved by Caller',
      ]),
    );
    expect(codes.json.result.map((c: { value: string }) => c.value)).not.toContain('Known error');
  });
});

describe('table hierarchy', () => {
  it('a GET on task sees incidents (with task columns and sys_class_name incident)', async () => {
    const r = await call(inst, 'GET', `/api/now/table/task/${DEMO_TICKET.sys_id}`);
    expect(r.status).toBe(200);
    expect(r.json.result.sys_class_name).toBe('incident');
    expect(r.json.result.x_imper_verify_status).toBe('required');
    expect(r.json.result).not.toHaveProperty('caller_id');
    const list = await call(
      inst,
      'GET',
      '/api/now/table/task?sysparm_query=number=INC0010001&sysparm_fields=number',
    );
    expect(list.json.result).toEqual([{ number: 'INC0010001' }]);
  });
});

describe('errors', () => {
  const failure = (message: string): unknown => ({
    error: { message, detail: expect.anything() },
    status: 'failure',
  });

  it('400 "Invalid table foo"', async () => {
    const r = await call(inst, 'GET', '/api/now/table/foo');
    expect(r.status).toBe(400);
    expect(r.json).toEqual({ error: { message: 'Invalid table foo', detail: null }, status: 'failure' });
  });
  it('401 "User Not Authenticated" without or with wrong credentials', async () => {
    for (const auth of [null, 'Basic ' + Buffer.from('admin:wrong').toString('base64'), 'Bearer nope']) {
      const r = await call(inst, 'GET', '/api/now/table/incident', { auth });
      expect(r.status).toBe(401);
      expect(r.json).toEqual(failure('User Not Authenticated'));
    }
  });
  it('403 "Operation Failed" with a detail when an ACL refuses', async () => {
    const r = await call(inst, 'DELETE', `/api/now/table/incident/${DEMO_TICKET.sys_id}`, { auth: AS.agent });
    expect(r.status).toBe(403);
    expect(r.json).toEqual(failure('Operation Failed'));
    expect(inst.store.get('incident', DEMO_TICKET.sys_id)).not.toBeNull();
  });
  it('405 for a method the resource does not support', async () => {
    expect((await call(inst, 'DELETE', '/api/now/table/incident')).status).toBe(405);
    const r = await call(inst, 'POST', `/api/now/table/incident/${DEMO_TICKET.sys_id}`, { body: {} });
    expect(r.status).toBe(405);
    expect(r.json.status).toBe('failure');
  });
  it('406 when the Accept header excludes JSON', async () => {
    const r = await call(inst, 'GET', '/api/now/table/incident?sysparm_limit=1', {
      headers: { accept: 'text/html' },
    });
    expect(r.status).toBe(406);
    expect(r.json.status).toBe('failure');
  });
  it('415 for a non-JSON body on a write; 400 for invalid JSON', async () => {
    const form = await call(inst, 'POST', '/api/now/table/incident', {
      rawBody: 'short_description=x',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(form.status).toBe(415);
    expect(form.json).toEqual(failure('Unsupported Media Type'));
    const text = await call(inst, 'PATCH', `/api/now/table/incident/${DEMO_TICKET.sys_id}`, {
      rawBody: 'hello',
      headers: { 'content-type': 'text/plain' },
    });
    expect(text.status).toBe(415);
    const bad = await call(inst, 'POST', '/api/now/table/incident', {
      rawBody: '{nope',
      headers: { 'content-type': 'application/json' },
    });
    expect(bad.status).toBe(400);
    expect(bad.json.status).toBe('failure');
  });
  it('unknown /api resources answer 400 in the envelope', async () => {
    const r = await call(inst, 'GET', '/api/now/nothing/here');
    expect(r.status).toBe(400);
    expect(r.json.status).toBe('failure');
  });
});
