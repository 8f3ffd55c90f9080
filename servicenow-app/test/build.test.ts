// The built application (update-set XML from `now-sdk build --frozenKeys`, then `now-sdk pack`): every artifact
// the issue lists is there, named and wired as an instance needs it.
import { statSync } from 'node:fs';
import { buildApp, type BuiltApp, type XmlRecord } from './support/built-app';

let app: BuiltApp;
beforeAll(() => {
  app = buildApp();
}, 180_000);

const byName = (records: XmlRecord[], name: string) => records.find((r) => r.fields.name === name);
const TICKET_COLUMNS = [
  'x_imper_verify_verification',
  'x_imper_verify_status',
  'x_imper_verify_risk_level',
  'x_imper_verify_id',
  'x_imper_verify_details_url',
  'x_imper_verify_attention',
  'x_imper_verify_action',
  'x_imper_verify_action_status',
];

describe('now-sdk build --frozenKeys and pack', () => {
  it('builds with the committed keys.ts and packs a zip', () => {
    expect(app.records.length).toBeGreaterThan(50);
    expect(app.zip).toMatch(/\.zip$/);
    expect(statSync(app.zip).size).toBeGreaterThan(1000);
  });

  it('puts every record in the x_imper_verify scope', () => {
    const scoped = app.records.filter((r) => r.fields.sys_scope !== undefined);
    expect(scoped.length).toBeGreaterThan(50);
    for (const r of scoped)
      expect([r.file, r.xml]).toEqual([r.file, expect.stringContaining('display_value="x_imper_verify"')]);
  });
});

describe('ticket columns on task (CONTRACTS.md)', () => {
  it.each(TICKET_COLUMNS)('%s is a prefixed column of task', (column) => {
    const d = app.of('sys_dictionary').find((r) => r.fields.name === 'task' && r.fields.element === column);
    expect(d).toBeDefined();
    expect(column.startsWith('x_imper_verify_')).toBe(true);
  });

  it('labels the link field "imper.ai Verification" and makes it a URL', () => {
    const d = app.of('sys_dictionary').find((r) => r.fields.element === 'x_imper_verify_verification')!;
    expect(d.fields.internal_type).toBe('url');
    const doc = app
      .of('sys_documentation')
      .find((r) => r.fields.name === 'task' && r.fields.element === 'x_imper_verify_verification');
    expect(doc?.fields.label ?? d.fields.column_label).toBe('imper.ai Verification');
  });

  it.each([
    [
      'x_imper_verify_status',
      ['required', 'sent', 'in_progress', 'passed', 'failed', 'incomplete', 'timed_out', 'canceled'],
    ],
    ['x_imper_verify_risk_level', ['verified', 'medium', 'high']],
    ['x_imper_verify_action', ['none', 'password_reset', 'account_unlock', 'mfa_reset']],
    ['x_imper_verify_action_status', ['not_started', 'completed', 'failed']],
  ])('%s has exactly the contract choices', (element, values) => {
    const choices = app
      .of('sys_choice')
      .filter((r) => r.fields.name === 'task' && r.fields.element === element);
    expect(choices.map((c) => c.fields.value).sort()).toEqual([...values].sort());
  });
});

describe('form layout: the "imper.ai Verification" section', () => {
  // Two columns: .begin_split, four fields, .split, three fields, .end_split (details URL stays off the form).
  const LAYOUT = [
    '.begin_split',
    'x_imper_verify_verification',
    'x_imper_verify_status',
    'x_imper_verify_risk_level',
    'x_imper_verify_id',
    '.split',
    'x_imper_verify_attention',
    'x_imper_verify_action',
    'x_imper_verify_action_status',
    '.end_split',
  ];

  it.each(['incident', 'sc_req_item', 'task'])(
    'is a section of the %s form, default view, with the ticket columns in order',
    (table) => {
      const section = app
        .of('sys_ui_section')
        .find((r) => r.fields.name === table && r.fields.caption === 'imper.ai Verification');
      expect(section).toBeDefined();
      expect(section!.fields.view).toBe('Default view');
      expect(section!.xml).toContain('display_value="x_imper_verify"');
      const elements = app
        .of('sys_ui_element')
        .filter((e) => e.fields.sys_ui_section === section!.fields.sys_id)
        .sort((a, b) => Number(a.fields.position) - Number(b.fields.position));
      expect(elements.map((e) => e.fields.element)).toEqual(LAYOUT);
      expect(elements.map((e) => Number(e.fields.position))).toEqual(LAYOUT.map((_, i) => i));
      for (const e of elements) expect(e.file).toBe(section!.file);
    },
  );

  it("ships only the sections, never a sys_ui_form that would sit beside the instance's own form for the view", () => {
    expect(app.of('sys_ui_form')).toEqual([]);
    expect(app.of('sys_ui_form_section')).toEqual([]);
    expect(app.of('sys_ui_section')).toHaveLength(3);
  });

  it.each(TICKET_COLUMNS)('%s is read-only on forms (dictionary read_only)', (column) => {
    const d = app.of('sys_dictionary').find((r) => r.fields.name === 'task' && r.fields.element === column)!;
    expect(d.fields.read_only).toBe('true');
  });
});

describe('category policy table', () => {
  it('is a new table with the contract columns', () => {
    expect(app.of('sys_db_object').map((r) => r.fields.name)).toEqual(
      expect.arrayContaining(['x_imper_verify_category_policy', 'x_imper_verify_event']),
    );
    const cols = app
      .of('sys_dictionary')
      .filter((r) => r.fields.name === 'x_imper_verify_category_policy')
      .map((r) => r.fields.element);
    expect(cols).toEqual(
      expect.arrayContaining([
        'task_table',
        'category',
        'subcategory',
        'requires_verification',
        'action',
        'auto_close',
        'active',
        'order',
      ]),
    );
  });

  it('ships the default rows on first install', () => {
    const rows = app.records.filter((r) => r.table === 'x_imper_verify_category_policy');
    expect(rows.map((r) => [r.fields.category, r.fields.action, r.fields.auto_close]).sort()).toEqual([
      ['access', 'none', 'false'],
      ['account_unlock', 'account_unlock', 'true'],
      ['password_reset', 'password_reset', 'true'],
    ]);
    for (const r of rows) expect(r.file).toMatch(/[/\\]unload[/\\]/);
  });

  it('has an admin module listing it', () => {
    const menu = app.of('sys_app_application')[0]!;
    const mod = app.of('sys_app_module').find((r) => r.fields.name === 'x_imper_verify_category_policy')!;
    expect(mod.fields.link_type).toBe('LIST');
    expect(mod.fields.application).toBe(menu.fields.sys_id);
    expect(mod.fields.roles).toContain('x_imper_verify.admin');
  });
});

describe('business rules', () => {
  it('applies the category policy before insert and update on task, from the server module', () => {
    const br = byName(app.of('sys_script'), 'imper.ai - apply category policy')!;
    expect(br.fields).toMatchObject({
      collection: 'task',
      when: 'before',
      action_insert: 'true',
      action_update: 'true',
      active: 'true',
    });
    expect(br.fields.script).toContain("src/server/category-rule.ts')");
  });

  it('guards resolve/close before update, after the policy rule', () => {
    const br = byName(app.of('sys_script'), 'imper.ai - verification guard')!;
    expect(br.fields).toMatchObject({
      collection: 'task',
      when: 'before',
      action_update: 'true',
      action_insert: 'false',
    });
    expect(Number(br.fields.order)).toBeGreaterThan(100);
    expect(br.fields.script).toContain('guardResolveClose(current, previous)');
  });
});

describe('UI action', () => {
  it('"imper.ai - Send Verification link" opens the launch route with g_navigation, for agent and itil', () => {
    const ua = byName(app.of('sys_ui_action'), 'imper.ai - Send Verification link')!;
    expect(ua.fields).toMatchObject({ table: 'task', client: 'true', form_button: 'true' });
    expect(ua.fields.script).toContain('g_navigation.open(');
    expect(ua.fields.script).toContain('/api/x_imper_verify/imper/launch');
    expect(ua.fields.script).not.toContain('window.open');
    const roles = app
      .of('sys_ui_action_role')
      .filter((r) => r.fields.sys_ui_action === ua.fields.sys_id)
      .map((r) => r.xml);
    expect(roles.join()).toContain('x_imper_verify.agent');
    expect(roles.join()).toContain('itil');
  });
});

describe('scripted REST API', () => {
  it('serves /api/x_imper_verify/imper with launch, events and close routes, each with its own ACL', () => {
    const api = app.of('sys_ws_definition')[0]!;
    expect(api.fields.base_uri).toBe('/api/x_imper_verify/imper');
    const routes = app.of('sys_ws_operation');
    expect(routes.map((r) => `${r.fields.http_method} ${r.fields.operation_uri}`).sort()).toEqual([
      'GET /api/x_imper_verify/imper/launch',
      'POST /api/x_imper_verify/imper/close',
      'POST /api/x_imper_verify/imper/events',
    ]);
    const acls = app.of('sys_security_acl');
    for (const r of routes) {
      expect(r.fields).toMatchObject({ requires_authentication: 'true', requires_acl_authorization: 'true' });
      const acl = acls.find((a) => a.fields.sys_id === r.fields.enforce_acl);
      expect(acl?.fields).toMatchObject({ type: 'REST_Endpoint', operation: 'execute' });
    }
  });

  it('lets only the integration role execute the close route (admins pass every ACL)', () => {
    const close = app.of('sys_ws_operation').find((r) => r.fields.operation_uri?.endsWith('/close'))!;
    const acl = app.of('sys_security_acl').find((a) => a.fields.sys_id === close.fields.enforce_acl)!;
    expect(acl.fields.name).toBe('x_imper_verify.close');
    const roles = app
      .of('sys_security_acl_role')
      .filter((r) => r.fields.sys_security_acl === acl.fields.sys_id)
      .map((r) => r.xml);
    expect(roles).toHaveLength(1);
    expect(roles[0]).toContain('x_imper_verify.integration');
  });
});

describe('roles, ACLs, properties', () => {
  it('defines the three roles, admin containing agent', () => {
    const roles = app.of('sys_user_role');
    expect(roles.map((r) => r.fields.name).sort()).toEqual([
      'x_imper_verify.admin',
      'x_imper_verify.agent',
      'x_imper_verify.integration',
    ]);
    const contains = app.of('sys_user_role_contains')[0]!;
    const id = (n: string) => roles.find((r) => r.fields.name === n)!.fields.sys_id;
    expect(contains.fields.role).toBe(id('x_imper_verify.admin'));
    expect(contains.fields.contains).toBe(id('x_imper_verify.agent'));
  });

  it('lets only the integration role and admins write the ticket columns', () => {
    const acls = app.of('sys_security_acl');
    for (const column of TICKET_COLUMNS) {
      const acl = acls.find((a) => a.fields.name === `task.${column}` && a.fields.operation === 'write');
      expect(acl).toBeDefined();
      const roles = app
        .of('sys_security_acl_role')
        .filter((r) => r.fields.sys_security_acl === acl!.fields.sys_id)
        .map((r) => r.xml)
        .join();
      expect(roles).toContain('x_imper_verify.integration');
      expect(roles).not.toContain('x_imper_verify.agent');
    }
  });

  it('lets only admins change the category policy', () => {
    const acls = app.of('sys_security_acl').filter((a) => a.fields.name === 'x_imper_verify_category_policy');
    expect(acls.map((a) => a.fields.operation).sort()).toEqual(['create', 'delete', 'read', 'write']);
    for (const a of acls.filter((x) => x.fields.operation !== 'read')) {
      const roles = app
        .of('sys_security_acl_role')
        .filter((r) => r.fields.sys_security_acl === a.fields.sys_id)
        .map((r) => r.xml)
        .join();
      expect(roles).toContain('x_imper_verify.admin');
      expect(roles).not.toContain('x_imper_verify.agent');
    }
  });

  it('has the four properties, the launch secret as a private password2 with an empty value', () => {
    const props = Object.fromEntries(app.of('sys_properties').map((p) => [p.fields.name, p.fields]));
    expect(Object.keys(props).sort()).toEqual([
      'x_imper_verify.guard_enabled',
      'x_imper_verify.launch_secret',
      'x_imper_verify.launch_token_lifetime',
      'x_imper_verify.service_url',
    ]);
    expect(props['x_imper_verify.launch_secret']).toMatchObject({
      type: 'password2',
      is_private: 'true',
      value: '',
    });
    expect(props['x_imper_verify.guard_enabled']).toMatchObject({ type: 'boolean', value: 'true' });
    expect(Number(props['x_imper_verify.launch_token_lifetime']!.value)).toBeLessThanOrEqual(120);
  });
});

describe('ATF tests', () => {
  it('covers the business rules, the guard, the launch and the REST API', () => {
    expect(
      app
        .of('sys_atf_test')
        .map((t) => t.fields.name)
        .sort(),
    ).toEqual([
      'imper.ai - category policy business rules',
      'imper.ai - events REST API',
      'imper.ai - launch',
      'imper.ai - resolve/close guard',
    ]);
    const steps = app.of('sys_atf_step');
    const tests = app.of('sys_atf_test');
    for (const t of tests)
      expect(steps.filter((s) => s.fields.test === t.fields.sys_id).length).toBeGreaterThanOrEqual(4);
  });
});
