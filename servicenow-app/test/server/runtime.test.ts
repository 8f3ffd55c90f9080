// The server modules on the Glide runtime (glide-runtime/) over a table store (the stand-in's TableStore):
// the GlideRecord-backed policy loader, the category rule and the guard as business rules, the launch with
// its properties, and event application (idempotency, close codes from sys_choice, guard refusals).
import { GlideRecord } from '@servicenow/glide';
import { verifyLaunchToken } from '../../../verifier-service/src/domain/launch-token';
import { TableStore, type Rec, type User } from '../../../scripts/dev-instance/src/store';
import { GlideRuntime, type SessionUser } from '../../glide-runtime';
import { applyCategoryPolicy } from '../../src/server/category-rule';
import { applyVerificationEvent, closeCodesFor } from '../../src/server/events';
import { GUARD_MESSAGE, guardResolveClose } from '../../src/server/guard';
import { launchFor } from '../../src/server/launch';
import { loadPolicyRows, policyForTicket } from '../../src/server/policy';

const NOW = Date.UTC(2026, 0, 15, 12, 0, 0);
const SECRET = Buffer.alloc(32, 5);
const INSTANCE = 'https://acme.service-now.com';
const user = (userName: string, roles: string[]): SessionUser => ({
  sysId: `${userName}-id`,
  userName,
  name: userName.toUpperCase(),
  roles,
});
const AGENT = user('beth.anglin', ['itil', 'x_imper_verify.agent']);
const INTEGRATION = user('imper.integration', ['x_imper_verify.integration']);
const ADMIN = user('admin', ['admin']);
const EMPLOYEE = user('abel.tuter', []);

function setup(opts: { rules?: boolean } = {}) {
  const store = new TableStore({ now: () => NOW });
  const runtime = new GlideRuntime({ store });
  const raw = (table: string, values: Record<string, string>): Rec =>
    store.insert(table, values, { runRules: false });
  for (const [name, value] of [
    ['glide.servlet.uri', `${INSTANCE}/`],
    ['x_imper_verify.service_url', 'https://verify.example.com/'],
    ['x_imper_verify.launch_secret', SECRET.toString('base64')],
    ['x_imper_verify.launch_token_lifetime', '90'],
    ['x_imper_verify.guard_enabled', 'true'],
  ] as const)
    raw('sys_properties', { name, value });
  const policy = (values: Record<string, string>) =>
    raw('x_imper_verify_category_policy', {
      task_table: 'incident',
      subcategory: '',
      requires_verification: 'true',
      active: 'true',
      auto_close: 'false',
      order: '100',
      ...values,
    });
  policy({ category: 'password_reset', action: 'password_reset', auto_close: 'true', order: '100' });
  policy({ category: 'account_unlock', action: 'account_unlock', order: '200' });
  policy({ category: 'access', action: 'none', order: '300', active: 'false' });
  policy({ category: 'network', subcategory: 'vpn', action: 'mfa_reset', order: '100' });
  policy({
    category: 'password_reset',
    subcategory: 'self_service',
    requires_verification: 'false',
    order: '50',
  });
  policy({ category: 'hardware', task_table: 'sc_task', action: 'none' });
  policy({ category: 'database', task_table: 'task', action: 'none' });
  ['Solved (Work Around)', 'Solved (Permanently)', 'Known error'].forEach((value, i) =>
    raw('sys_choice', {
      name: 'incident',
      element: 'close_code',
      value,
      label: value,
      sequence: String(i),
      inactive: i === 0 ? 'true' : 'false',
    }),
  );
  if (opts.rules) {
    store.onBeforeWrite((ctx) => {
      if (ctx.op === 'delete' || !store.schema.isA(ctx.table, 'task')) return;
      for (const rule of ctx.op === 'update'
        ? [applyCategoryPolicy, guardResolveClose]
        : [applyCategoryPolicy]) {
        const r = runtime.businessRule({ ...ctx, op: ctx.op }, rule);
        if (r.aborted) return { abort: { message: 'Operation Failed', detail: r.errors.join(' ') } };
      }
    });
  }
  const ticket = (values: Record<string, string>) =>
    raw('incident', { short_description: 't', state: '1', ...values }).sys_id as string;
  const asUser = (u: SessionUser): User => u;
  return { store, runtime, ticket, asUser };
}

describe('policy loader over GlideRecord (x_imper_verify_category_policy)', () => {
  const { runtime, ticket } = setup();
  const decide = (values: Record<string, string>) => {
    const id = ticket(values);
    return runtime.run(AGENT, () => {
      const gr = new GlideRecord('incident');
      expect(gr.get(id)).toBe(true);
      return policyForTicket(gr);
    });
  };

  it('reads only active rows of the category, by order', () => {
    const rows = runtime.run(AGENT, () => loadPolicyRows('password_reset'));
    expect(rows.map((r) => [r.subcategory, r.order, r.requiresVerification, r.action, r.autoClose])).toEqual([
      ['self_service', 50, false, 'none', false],
      ['', 100, true, 'password_reset', true],
    ]);
    expect(runtime.run(AGENT, () => loadPolicyRows('access'))).toEqual([]);
  });

  it('matches category, subcategory (empty = any), the table or a parent; inactive rows and other tables do not count', () => {
    expect(decide({ category: 'password_reset' })).toMatchObject({
      required: true,
      action: 'password_reset',
      autoClose: true,
    });
    expect(decide({ category: 'password_reset', subcategory: 'self_service' })).toMatchObject({
      required: false,
    });
    expect(decide({ category: 'network', subcategory: 'VPN' })).toMatchObject({
      required: true,
      action: 'mfa_reset',
    });
    expect(decide({ category: 'network', subcategory: 'wifi' }).required).toBe(false);
    expect(decide({ category: 'access' }).required).toBe(false);
    expect(decide({ category: 'hardware' }).required).toBe(false);
    expect(decide({ category: 'database' }).required).toBe(true);
    expect(decide({ category: 'software' }).required).toBe(false);
  });
});

describe('business rules as the runtime runs them', () => {
  it('the category rule sets status, link and action on insert through GlideRecord', () => {
    const { runtime, store } = setup({ rules: true });
    const id = runtime.run(AGENT, () => {
      const gr = new GlideRecord('incident');
      gr.initialize();
      gr.setValue('short_description', 'Locked out');
      gr.setValue('category', 'account_unlock');
      return gr.insert();
    });
    expect(store.get('incident', id as string)).toMatchObject({
      x_imper_verify_status: 'required',
      x_imper_verify_verification: `${INSTANCE}/api/x_imper_verify/imper/launch?table=incident&sys_id=${id}`,
      x_imper_verify_action: 'account_unlock',
      x_imper_verify_action_status: 'not_started',
      sys_created_by: 'beth.anglin',
    });
  });

  it("the guard aborts an agent's resolve with its message and lets an admin override with a work note", () => {
    const { runtime, store, ticket } = setup();
    const id = ticket({ category: 'password_reset', x_imper_verify_status: 'sent' });
    const previous = store.get('incident', id) as Rec;
    const attempt = (u: SessionUser) => {
      const record: Rec = { ...previous, state: '6' };
      return {
        ...runtime.businessRule(
          { table: 'incident', op: 'update', record, previous, user: u },
          guardResolveClose,
        ),
        record,
      };
    };
    expect(attempt(AGENT)).toMatchObject({ aborted: true, errors: [GUARD_MESSAGE] });
    expect(attempt(INTEGRATION).aborted).toBe(true);
    const admin = attempt(ADMIN);
    expect(admin.aborted).toBe(false);
    expect(admin.record.work_notes).toMatch(
      /ADMIN \(admin\) resolved\/closed this ticket without a passed verification \(status "sent"\) by admin override/,
    );
  });
});

describe("launch with the instance's properties", () => {
  const { runtime, ticket } = setup();
  const id = ticket({ category: 'password_reset', number: 'INC0010042' });

  it('mints a token the service verifies, for the calling agent and ticket, with the property lifetime', async () => {
    const result = runtime.run(AGENT, () => launchFor('incident', id));
    if (!result.ok) throw new Error(result.message);
    const url = new URL(result.location);
    expect(`${url.origin}${url.pathname}`).toBe('https://verify.example.com/agent/launch');
    const claims = await verifyLaunchToken(url.searchParams.get('token') as string, {
      secret: SECRET,
      issuer: INSTANCE,
      nowSeconds: NOW / 1000,
    });
    expect(claims).toMatchObject({
      sub: 'beth.anglin',
      name: 'BETH.ANGLIN',
      ticket: { table: 'incident', sys_id: id, number: 'INC0010042' },
      iat: NOW / 1000,
      exp: NOW / 1000 + 90,
    });
  });

  it('refuses users without an agent role, unknown tickets and an unconfigured instance', () => {
    expect(runtime.run(EMPLOYEE, () => launchFor('incident', id))).toMatchObject({ ok: false, status: 403 });
    expect(runtime.run(AGENT, () => launchFor('incident', 'f'.repeat(32)))).toMatchObject({
      ok: false,
      status: 404,
    });
    expect(runtime.run(AGENT, () => launchFor('no_such_table', id))).toMatchObject({
      ok: false,
      status: 404,
    });
    const bare = new GlideRuntime({ store: new TableStore({ now: () => NOW }) });
    const other = bare.host.store.insert('incident', { short_description: 'x' }, { runRules: false })
      .sys_id as string;
    expect(bare.run(AGENT, () => launchFor('incident', other))).toMatchObject({ ok: false, status: 503 });
  });
});

describe('event application', () => {
  const event = (id: string, extra: Record<string, unknown> = {}) => ({
    event_id: `evt-${id}`,
    table: 'incident',
    sys_id: id,
    status: 'passed',
    risk_level: 'verified',
    verification_id: 'VRF-7Q2K9M',
    action_status: 'completed',
    work_note: 'imper.ai: identity verified.',
    resolve: { close_notes: 'Password reset by imper.ai', close: true },
    ...extra,
  });

  it('applies once: a repeated event id changes nothing (one work note, one event row)', () => {
    const { runtime, store, ticket } = setup({ rules: true });
    const id = ticket({ category: 'password_reset', x_imper_verify_status: 'sent' });
    const first = runtime.run(INTEGRATION, () => applyVerificationEvent(event(id)));
    expect(first).toMatchObject({
      status: 200,
      body: {
        applied: true,
        duplicate: false,
        ticket: { state: '7', x_imper_verify_status: 'passed', x_imper_verify_id: 'VRF-7Q2K9M' },
      },
    });
    const modCount = store.get('incident', id)?.sys_mod_count;
    const second = runtime.run(INTEGRATION, () =>
      applyVerificationEvent(event(id, { status: 'failed', work_note: 'again' })),
    );
    expect(second).toMatchObject({
      status: 200,
      body: { applied: false, duplicate: true, ticket: { x_imper_verify_status: 'passed' } },
    });
    expect(store.get('incident', id)).toMatchObject({
      sys_mod_count: modCount,
      close_code: 'Solved (Permanently)',
      close_notes: 'Password reset by imper.ai',
    });
    expect(store.journal(id, 'work_notes').map((e) => e.value)).toEqual(['imper.ai: identity verified.']);
    expect(store.query('x_imper_verify_event', `event_id=evt-${id}`)).toHaveLength(1);
  });

  it('takes close codes from active sys_choice rows in order; keeps a requested valid one', () => {
    const { runtime, store, ticket } = setup();
    expect(runtime.run(INTEGRATION, () => closeCodesFor('incident'))).toEqual([
      'Solved (Permanently)',
      'Known error',
    ]);
    const id = ticket({ category: 'password_reset' });
    runtime.run(INTEGRATION, () =>
      applyVerificationEvent(event(id, { resolve: { close_notes: 'n', close_code: 'Known error' } })),
    );
    expect(store.get('incident', id)).toMatchObject({ state: '6', close_code: 'Known error' });
  });

  it('a refused update (guard) is 409 and records nothing, so a later retry still applies', () => {
    const { runtime, store, ticket } = setup({ rules: true });
    const id = ticket({ category: 'password_reset', x_imper_verify_status: 'sent' });
    const refused = runtime.run(INTEGRATION, () =>
      applyVerificationEvent(event(id, { status: 'sent', action_status: 'failed' })),
    );
    expect(refused.status).toBe(409);
    expect(store.get('incident', id)?.state).toBe('1');
    expect(store.query('x_imper_verify_event', `event_id=evt-${id}`)).toHaveLength(0);
    expect(runtime.run(INTEGRATION, () => applyVerificationEvent(event(id))).status).toBe(200);
  });

  it('answers 400 for bad bodies and 404 for unknown tickets', () => {
    const { runtime } = setup();
    expect(runtime.run(INTEGRATION, () => applyVerificationEvent({ event_id: 'x' })).status).toBe(400);
    expect(runtime.run(INTEGRATION, () => applyVerificationEvent(event('e'.repeat(32)))).status).toBe(404);
  });
});

describe('runtime basics', () => {
  it('gs and GlideDateTime read the session, properties and the store clock; Glide APIs need a run', () => {
    const { runtime } = setup();
    const { gs, GlideDateTime } = require('@servicenow/glide') as typeof import('@servicenow/glide');
    runtime.run(AGENT, () => {
      expect(gs.getUserName()).toBe('beth.anglin');
      expect(gs.hasRole('itil')).toBe(true);
      expect(gs.hasRole('admin')).toBe(false);
      expect(gs.getProperty('x_imper_verify.launch_token_lifetime', '60')).toBe('90');
      expect(gs.getProperty('x_imper_verify.nope', 'fallback')).toBe('fallback');
      expect(new GlideDateTime().getNumericValue()).toBe(NOW);
    });
    runtime.run(ADMIN, () => expect(gs.hasRole('x_imper_verify.integration')).toBe(true));
    expect(() => new GlideRecord('incident').isValid()).toThrow(/outside GlideRuntime\.run/);
  });
});
