// Hooks: the extension points the scoped app's business rules and scripted REST routes will use.

import { DEMO_TICKET, SnError, type DevInstance, type WriteContext } from '../src/index';
import { AS, call, startTestInstance } from './helper';

let inst: DevInstance;
const seen: Array<
  Pick<WriteContext, 'table' | 'op'> & { user: string; work_notes?: string; previousState?: string }
> = [];
beforeAll(async () => {
  inst = await startTestInstance();
  inst.hooks.beforeWrite((ctx) => {
    if (ctx.table !== 'incident') return;
    seen.push({
      table: ctx.table,
      op: ctx.op,
      user: ctx.user.userName,
      work_notes: ctx.record.work_notes,
      previousState: ctx.previous?.state,
    });
    if (ctx.record.short_description?.includes('forbidden')) {
      return { abort: { message: 'Operation Failed', detail: 'Business rule: forbidden words' } };
    }
    if (ctx.record.category === 'password_reset' && ctx.op === 'insert')
      ctx.record.x_imper_verify_attention = 'set by before rule';
    return undefined;
  });
  inst.hooks.afterWrite((ctx) => {
    if (
      ctx.table === 'incident' &&
      ctx.record.x_imper_verify_status === 'passed' &&
      ctx.previous?.x_imper_verify_status !== 'passed'
    ) {
      inst.store.update(
        'incident',
        ctx.record.sys_id as string,
        { work_notes: 'after rule: passed' },
        { user: ctx.user },
      );
    }
  });
  inst.hooks.route('POST', '/api/x_imper_verify/v1/outcome/:sys_id', (req, _reply, user) => {
    const { sys_id } = req.params as { sys_id: string };
    const body = JSON.parse(String(req.body)) as { status: string };
    if (!inst.store.get('incident', sys_id)) throw new SnError(404, 'No Record found', 'no such ticket');
    inst.store.update('incident', sys_id, { x_imper_verify_status: body.status }, { user });
    return { updated: sys_id, by: user.userName };
  });
});
afterAll(() => inst?.close());

describe('hooks', () => {
  it('beforeWrite sees the concrete table even when the write came through task, and may mutate the record', async () => {
    seen.length = 0;
    const r = await call(inst, 'POST', '/api/now/table/incident', {
      body: { short_description: 'hook insert', category: 'password_reset' },
    });
    expect(r.json.result.x_imper_verify_attention).toBe('set by before rule');
    const id = r.json.result.sys_id as string;
    await call(inst, 'PATCH', `/api/now/table/task/${id}`, {
      auth: AS.integration,
      body: { work_notes: 'via task' },
    });
    expect(seen).toEqual([
      { table: 'incident', op: 'insert', user: 'admin', work_notes: '', previousState: undefined },
      {
        table: 'incident',
        op: 'update',
        user: 'imper.integration',
        work_notes: 'via task',
        previousState: '1',
      },
    ]);
  });

  it('an abort gives 403 "Operation Failed" with the detail and writes nothing', async () => {
    const before = inst.store.query('incident').length;
    const r = await call(inst, 'POST', '/api/now/table/incident', {
      body: { short_description: 'forbidden words here' },
    });
    expect(r.status).toBe(403);
    expect(r.json).toEqual({
      error: { message: 'Operation Failed', detail: 'Business rule: forbidden words' },
      status: 'failure',
    });
    expect(inst.store.query('incident').length).toBe(before);
  });

  it('afterWrite runs after the record is stored and may write further', async () => {
    const id = inst.store.insert('incident', { short_description: 'after hook', category: 'inquiry' })
      .sys_id as string;
    await call(inst, 'PATCH', `/api/now/table/incident/${id}`, {
      auth: AS.integration,
      body: { x_imper_verify_status: 'passed' },
    });
    expect(inst.store.journal(id, 'work_notes').map((e) => [e.value, e.sys_created_by])).toEqual([
      ['after rule: passed', 'imper.integration'],
    ]);
  });

  it('route adds an authenticated scripted REST endpoint with path params and the {"result"} envelope', async () => {
    const r = await call(inst, 'POST', `/api/x_imper_verify/v1/outcome/${DEMO_TICKET.sys_id}`, {
      auth: AS.integration,
      body: { status: 'sent' },
    });
    expect(r.status).toBe(200);
    expect(r.json).toEqual({ result: { updated: DEMO_TICKET.sys_id, by: 'imper.integration' } });
    expect(inst.store.get('incident', DEMO_TICKET.sys_id)?.x_imper_verify_status).toBe('sent');
    expect(
      (
        await call(inst, 'POST', `/api/x_imper_verify/v1/outcome/${DEMO_TICKET.sys_id}`, {
          auth: null,
          body: {},
        })
      ).status,
    ).toBe(401);
    const missing = await call(inst, 'POST', `/api/x_imper_verify/v1/outcome/${'0'.repeat(32)}`, {
      auth: AS.integration,
      body: { status: 'sent' },
    });
    expect(missing.status).toBe(404);
    expect(missing.json.status).toBe('failure');
    expect(
      (
        await call(inst, 'GET', `/api/x_imper_verify/v1/outcome/${DEMO_TICKET.sys_id}`, {
          auth: AS.integration,
        })
      ).status,
    ).toBe(405);
    expect(
      inst.requests
        .all()
        .some((e) => e.path.startsWith('/api/x_imper_verify/v1/outcome/') && e.user === 'imper.integration'),
    ).toBe(true);
  });

  it('route refuses paths outside /api/ and the Table API', () => {
    expect(() => inst.hooks.route('GET', '/x', () => 1)).toThrow();
    expect(() => inst.hooks.route('GET', '/api/now/table/x', () => 1)).toThrow();
  });

  it('writes with runRules: false skip hooks (like setWorkflow(false))', () => {
    seen.length = 0;
    inst.store.insert('incident', { short_description: 'forbidden but quiet' }, { runRules: false });
    expect(seen).toHaveLength(0);
  });
});
