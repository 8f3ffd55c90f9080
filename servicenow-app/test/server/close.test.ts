// The automated close (src/server/close.ts): the pure decisions, then the script on the Glide runtime over a table
// store with the app's business rules and the platform's resolve data policy.
import { TableStore, type Rec } from '../../../scripts/dev-instance/src/store';
import { GlideRuntime, type SessionUser } from '../../glide-runtime';
import { applyCategoryPolicy } from '../../src/server/category-rule';
import {
  chooseCloseCode,
  closeMarker,
  closeNoteText,
  closeTicket,
  parseCloseRequest,
  planClose,
  type TicketFacts,
} from '../../src/server/close';
import { guardResolveClose } from '../../src/server/guard';

const NOW = Date.UTC(2026, 0, 15, 12, 0, 0);
const user = (userName: string, roles: string[]): SessionUser => ({
  sysId: `${userName.replace(/\W/g, '')}`.padEnd(32, '0').slice(0, 32),
  userName,
  name: userName,
  roles,
});
const INTEGRATION = user('imper.integration', ['x_imper_verify.integration']);
const AGENT = user('beth.anglin', ['itil', 'x_imper_verify.agent']);
const VRF = 'VRF-7Q2K9M';
const NOTES = 'Password reset after a passed imper.ai verification.';

describe('pure parts', () => {
  it('parses the body: table, sys_id, a VRF id, close notes', () => {
    const ok = { table: 'incident', sys_id: 'a'.repeat(32), verification_id: VRF, close_notes: 'n' };
    expect(parseCloseRequest(ok)).toEqual({ request: ok });
    expect(parseCloseRequest(null)).toEqual({ problems: ['body must be a JSON object'] });
    expect(parseCloseRequest({ ...ok, verification_id: 'VRF-1^ORx', close_notes: ' ', sys_id: 'x' })).toEqual(
      {
        problems: [
          'sys_id is required',
          'verification_id is required (VRF-…)',
          'close_notes is required (at most 4000 characters)',
        ],
      },
    );
  });

  it('chooses a "solved" close code among the active ones, whatever the release calls them', () => {
    const older = ['Solved (Work Around)', 'Solved (Permanently)', 'Solved Remotely (Permanently)'];
    expect(chooseCloseCode(older)).toBe('Solved Remotely (Permanently)');
    expect(chooseCloseCode(['Duplicate', 'Solution provided', 'Workaround provided'])).toBe(
      'Solution provided',
    );
    expect(chooseCloseCode(['Not Solved (Too Costly)', 'Solved by vendor'])).toBe('Solved by vendor');
    expect(chooseCloseCode(['Closed/Resolved by Caller'])).toBe('Closed/Resolved by Caller');
    expect(chooseCloseCode([])).toBeNull();
  });

  it('plans: integration only, same verification, already closed, canceled, action completed, auto_close', () => {
    const t: TicketFacts = { state: '2', verificationId: VRF, actionStatus: 'completed', autoClose: true };
    expect(planClose(t, VRF, true)).toEqual({ kind: 'close', resolve: true });
    expect(planClose({ ...t, state: '6' }, VRF, true)).toEqual({ kind: 'close', resolve: false });
    expect(planClose({ ...t, state: '7' }, VRF, true)).toEqual({ kind: 'already' });
    expect(planClose({ ...t, state: '7', actionStatus: 'failed' }, VRF, true)).toEqual({ kind: 'already' });
    expect(planClose(t, VRF, false)).toMatchObject({ kind: 'refuse', status: 403 });
    expect(planClose({ ...t, state: '7' }, 'VRF-OTHER1', true)).toMatchObject({
      kind: 'refuse',
      status: 409,
      message: `The ticket's imper.ai verification is "${VRF}", not "VRF-OTHER1".`,
    });
    expect(planClose({ ...t, verificationId: '' }, VRF, true)).toMatchObject({
      message: `The ticket's imper.ai verification is not set, not "${VRF}".`,
    });
    expect(planClose({ ...t, state: '8' }, VRF, true)).toMatchObject({ kind: 'refuse', status: 409 });
    expect(planClose({ ...t, actionStatus: 'failed' }, VRF, true)).toMatchObject({
      kind: 'refuse',
      status: 409,
      message: 'The automated action has not completed (x_imper_verify_action_status is "failed").',
    });
    expect(planClose({ ...t, autoClose: false }, VRF, true)).toMatchObject({ kind: 'refuse', status: 409 });
  });

  it('the note starts with its marker and names the action and code', () => {
    expect(closeNoteText(VRF, 'account_unlock', 'Solution provided')).toBe(
      `${closeMarker(VRF)} The automated action account_unlock completed after a passed identity verification; imper.ai resolved this ticket (close code "Solution provided") and closed it.`,
    );
    expect(closeMarker(VRF)).toBe('[imper.ai VRF-7Q2K9M close]');
  });
});

function setup(closeCodes: Array<[string, boolean]> = [['Solved (Permanently)', true]]) {
  const store = new TableStore({ now: () => NOW });
  const runtime = new GlideRuntime({ store });
  const raw = (table: string, values: Record<string, string>): Rec =>
    store.insert(table, values, { runRules: false });
  raw('sys_properties', { name: 'x_imper_verify.guard_enabled', value: 'true' });
  for (const [category, autoClose] of [
    ['password_reset', 'true'],
    ['access', 'false'],
  ])
    raw('x_imper_verify_category_policy', {
      task_table: 'incident',
      category: category as string,
      requires_verification: 'true',
      action: category === 'access' ? 'none' : (category as string),
      auto_close: autoClose as string,
      active: 'true',
      order: '100',
    });
  closeCodes.forEach(([value, active], i) =>
    raw('sys_choice', {
      name: 'incident',
      element: 'close_code',
      value,
      label: value,
      sequence: String(i),
      inactive: active ? 'false' : 'true',
    }),
  );
  store.onBeforeWrite((ctx) => {
    if (ctx.op === 'delete' || !store.schema.isA(ctx.table, 'task')) return;
    const rules = [applyCategoryPolicy];
    if (ctx.op === 'update' && ctx.previous?.state !== ctx.record.state && ctx.record.x_imper_verify_status)
      rules.push(guardResolveClose);
    for (const rule of rules) {
      const r = runtime.businessRule({ ...ctx, op: ctx.op }, rule);
      if (r.aborted) return { abort: { message: 'Operation Failed', detail: r.errors.join(' ') } };
    }
  });
  const ticket = (values: Record<string, string> = {}) =>
    raw('incident', {
      short_description: 't',
      state: '2',
      category: 'password_reset',
      x_imper_verify_status: 'sent',
      x_imper_verify_id: VRF,
      x_imper_verify_action: 'password_reset',
      x_imper_verify_action_status: 'completed',
      ...values,
    }).sys_id as string;
  const body = (sysId: string, extra: Record<string, unknown> = {}) => ({
    table: 'incident',
    sys_id: sysId,
    verification_id: VRF,
    close_notes: NOTES,
    ...extra,
  });
  const notes = (id: string) => store.journal(id, 'work_notes').map((e) => e.value);
  return { store, runtime, ticket, body, notes };
}

describe('closeTicket on the Glide runtime', () => {
  it('resolves then closes through GlideRecord (no close ACL), as the calling user, with one work note', () => {
    const { store, runtime, ticket, body, notes } = setup([
      ['Solved (Work Around)', true],
      ['Solved (Permanently)', false],
      ['Known error', true],
    ]);
    const id = ticket();
    const result = runtime.run(INTEGRATION, () => closeTicket(body(id)));
    expect(result).toEqual({
      status: 200,
      body: { closed: true, already: false, close_code: 'Solved (Work Around)', number: expect.any(String) },
    });
    expect(store.get('incident', id)).toMatchObject({
      state: '7',
      close_code: 'Solved (Work Around)',
      close_notes: NOTES,
      resolved_by: INTEGRATION.sysId,
      closed_by: INTEGRATION.sysId,
      sys_updated_by: 'imper.integration',
      sys_mod_count: '2',
    });
    expect(notes(id)).toEqual([closeNoteText(VRF, 'password_reset', 'Solved (Work Around)')]);
  });

  it('a retry after a half-done attempt (resolved with the note, not closed) closes without a second note', () => {
    const { store, runtime, ticket, body, notes } = setup();
    const id = ticket();
    store.update(
      'incident',
      id,
      {
        state: '6',
        close_code: 'Solved (Permanently)',
        close_notes: NOTES,
        work_notes: closeNoteText(VRF, 'password_reset', 'Solved (Permanently)'),
      },
      { user: INTEGRATION },
    );
    const result = runtime.run(INTEGRATION, () => closeTicket(body(id)));
    expect(result).toMatchObject({ status: 200, body: { closed: true, already: false } });
    expect(store.get('incident', id)?.state).toBe('7');
    expect(notes(id)).toHaveLength(1);
    expect(runtime.run(INTEGRATION, () => closeTicket(body(id)))).toMatchObject({
      status: 200,
      body: { closed: true, already: true },
    });
    expect(notes(id)).toHaveLength(1);
  });

  it('a resolved ticket with an inactive close code gets a valid one before it is closed', () => {
    const { store, runtime, ticket, body } = setup([
      ['Old code', false],
      ['Solved (Permanently)', true],
    ]);
    const id = ticket({ state: '6', close_code: 'Old code', close_notes: 'earlier' });
    expect(runtime.run(INTEGRATION, () => closeTicket(body(id))).status).toBe(200);
    expect(store.get('incident', id)).toMatchObject({
      state: '7',
      close_code: 'Solved (Permanently)',
      close_notes: NOTES,
    });
  });

  it('refuses: agents 403, action not completed / other verification / no auto_close 409, no close code 422', () => {
    const { store, runtime, ticket, body, notes } = setup();
    const id = ticket();
    expect(runtime.run(AGENT, () => closeTicket(body(id))).status).toBe(403);
    const pending = ticket({ x_imper_verify_action_status: 'failed' });
    expect(runtime.run(INTEGRATION, () => closeTicket(body(pending))).status).toBe(409);
    expect(
      runtime.run(INTEGRATION, () => closeTicket(body(id, { verification_id: 'VRF-OTHER1' }))).status,
    ).toBe(409);
    const access = ticket({ category: 'access', x_imper_verify_action: 'none' });
    expect(runtime.run(INTEGRATION, () => closeTicket(body(access))).status).toBe(409);
    for (const t of [id, pending, access]) {
      expect(store.get('incident', t)?.state).toBe('2');
      expect(notes(t)).toEqual([]);
    }
    const none = setup([['Solved (Permanently)', false]]);
    const noCodes = none.ticket();
    expect(none.runtime.run(INTEGRATION, () => closeTicket(none.body(noCodes)))).toMatchObject({
      status: 422,
      body: { error: { detail: 'no active close_code choices for incident in sys_choice' } },
    });
  });

  it('400 for bad bodies and tables that are not incidents; 404 for unknown tickets', () => {
    const { runtime, ticket, body } = setup();
    const id = ticket();
    expect(runtime.run(INTEGRATION, () => closeTicket({})).status).toBe(400);
    expect(runtime.run(INTEGRATION, () => closeTicket(body(id, { table: 'sc_req_item' })))).toMatchObject({
      status: 400,
      body: { error: { detail: 'sc_req_item is not an incident table' } },
    });
    expect(runtime.run(INTEGRATION, () => closeTicket(body(id, { table: 'no_such_table' }))).status).toBe(
      400,
    );
    expect(runtime.run(INTEGRATION, () => closeTicket(body('e'.repeat(32)))).status).toBe(404);
  });

  it('a business rule refusing the resolve is 409 and leaves the ticket as it was', () => {
    const { store, runtime, ticket, body, notes } = setup();
    const id = ticket();
    store.onBeforeWrite((ctx) =>
      ctx.op === 'update' && ctx.record.state === '6'
        ? { abort: { message: 'Operation Failed', detail: 'another rule' } }
        : undefined,
    );
    expect(runtime.run(INTEGRATION, () => closeTicket(body(id)))).toMatchObject({
      status: 409,
      body: { error: { message: 'Operation Failed' } },
    });
    expect(store.get('incident', id)?.state).toBe('2');
    expect(notes(id)).toEqual([]);
  });
});
