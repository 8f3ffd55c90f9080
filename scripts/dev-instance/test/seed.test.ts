// CONTRACTS.md "Stand-in seed data": deterministic, with the columns and relations the service draws on.

import { DEMO_TICKET, Prng, SEED_USERS, TableStore, installApp, seedStore } from '../src/index';

const NOW = Date.UTC(2025, 0, 15, 12, 0, 0);
function seeded(seed: number, now = NOW): TableStore {
  const store = new TableStore({ now: () => now });
  // The app's category rule (servicenow-app) sets the verification columns of the seeded incidents.
  const app = installApp(store, {
    instanceUrl: () => 'http://localhost:8081',
    serviceUrl: 'http://localhost:8080',
    launchSecret: Buffer.alloc(32, 7).toString('base64'),
    launchLifetimeSeconds: 60,
  });
  app.seedProperties();
  seedStore(store, {
    seed,
    now,
    applyPolicy: app.applyPolicyOnInsert,
    adminPassword: 'a',
    agentPassword: 'b',
    integrationPassword: 'c',
  });
  return store;
}

const a = seeded(42);

describe('seed', () => {
  it('same seed → same users (ids, names, emails, phones, managers…); another seed → other users', () => {
    const b = seeded(42);
    expect(b.query('sys_user', 'ORDERBYuser_name')).toEqual(a.query('sys_user', 'ORDERBYuser_name'));
    expect(b.query('incident', 'ORDERBYnumber')).toEqual(a.query('incident', 'ORDERBYnumber'));
    const c = seeded(7);
    const names = (s: TableStore): string[] =>
      s.query('sys_user', 'ORDERBYuser_name').map((u) => u.user_name as string);
    expect(names(c)).not.toEqual(names(a));
    // fixed users exist whatever the seed
    for (const u of [
      SEED_USERS.admin,
      SEED_USERS.agent,
      SEED_USERS.integration,
      DEMO_TICKET.caller.user_name,
      ...SEED_USERS.otherAgents,
    ]) {
      expect(c.userByName(u)).not.toBeNull();
    }
  });

  it('user ids and names do not depend on the clock; dates are relative to it', () => {
    const later = seeded(42, NOW + 30 * 86_400_000);
    const strip = (s: TableStore): string[] =>
      s.query('sys_user', 'ORDERBYsys_id').map((u) => `${u.sys_id}:${u.user_name}:${u.manager}`);
    expect(strip(later)).toEqual(strip(a));
    expect(later.get('incident', DEMO_TICKET.sys_id)?.opened_at).not.toBe(
      a.get('incident', DEMO_TICKET.sys_id)?.opened_at,
    );
  });

  it('at least 200 users with user_name, name, email, mobile_phone (fictional 555-01xx), manager, department, location, title, vip, locked_out', () => {
    const users = a.query('sys_user');
    expect(users.length).toBeGreaterThanOrEqual(200);
    const people = users.filter((u) => u.user_name !== SEED_USERS.integration);
    for (const u of people) {
      expect(u.user_name).toMatch(/^[a-z.]+\d*$/);
      expect(u.email).toMatch(/^[a-z.0-9]+@example\.com$/);
      expect(u.mobile_phone).toMatch(/^\+1\d{3}5550(1\d\d)$/);
      expect(u.department).not.toBe('');
      expect(u.location).not.toBe('');
      expect(u.title).not.toBe('');
      expect(['true', 'false']).toContain(u.vip);
      expect(['true', 'false']).toContain(u.locked_out);
    }
    expect(new Set(people.map((u) => u.mobile_phone)).size).toBe(people.length);
    expect(new Set(users.map((u) => u.user_name)).size).toBe(users.length);
    expect(people.filter((u) => u.manager === '').length).toBe(1); // only the CEO
    expect(users.some((u) => u.vip === 'true')).toBe(true);
    expect(users.some((u) => u.locked_out === 'true')).toBe(true);
  });

  it('departments, locations, groups with members, hardware assigned to users', () => {
    expect(a.query('cmn_department').length).toBeGreaterThanOrEqual(5);
    expect(a.query('cmn_location').length).toBeGreaterThanOrEqual(5);
    expect(a.query('sys_user_group').length).toBeGreaterThanOrEqual(10);
    const abel = DEMO_TICKET.caller.sys_id;
    expect(a.query('sys_user_grmember', `user=${abel}`).length).toBeGreaterThanOrEqual(2);
    expect(a.query('alm_hardware', `assigned_to=${abel}`).length).toBeGreaterThanOrEqual(2);
    expect(a.query('alm_hardware', 'assigned_toISEMPTY')).toHaveLength(0);
  });

  it('catalog requests (sc_request + sc_req_item) for some people, the demo caller among them; deterministic', () => {
    const items = a.query('sc_req_item', 'ORDERBYnumber');
    expect(items.length).toBeGreaterThanOrEqual(30);
    expect(items[0]?.number).toBe('RITM0010001');
    const abel = DEMO_TICKET.caller.sys_id;
    expect(a.query('sc_req_item', `requested_for=${abel}`)).toHaveLength(1);
    for (const i of items) {
      expect(a.get('sys_user', i.requested_for as string)).not.toBeNull();
      expect(a.get('sc_request', i.request as string)?.requested_for).toBe(i.requested_for);
      expect(i.short_description).not.toBe('');
    }
    expect(seeded(42).query('sc_req_item', 'ORDERBYnumber')).toEqual(items);
  });

  it('devices: at least five models per category, so a device question has look-alikes of its own kind', () => {
    const models = new Map<string, Set<string>>();
    for (const h of a.query('alm_hardware')) {
      const set = models.get(h.model_category as string) ?? new Set<string>();
      set.add(h.model as string);
      models.set(h.model_category as string, set);
      expect(h.display_name).toBe(`${h.asset_tag} - ${h.model}`);
    }
    expect([...models.keys()].sort()).toEqual(['Computer', 'Mobile Phone', 'Monitor']);
    for (const set of models.values()) expect(set.size).toBeGreaterThanOrEqual(4);
    expect(models.get('Monitor')?.size).toBeGreaterThanOrEqual(5);
    expect(models.get('Mobile Phone')?.size).toBeGreaterThanOrEqual(5);
    const tags = a.query('alm_hardware').map((h) => h.asset_tag);
    expect(new Set(tags).size).toBe(tags.length);
  });

  it('contact changes in sys_audit (S10) by position among the people; the demo caller has none', () => {
    const rows = a.query('sys_audit', 'tablename=sys_user^ORDERBYsys_created_on');
    expect(rows.length).toBeGreaterThanOrEqual(10);
    const abel = DEMO_TICKET.caller.sys_id;
    expect(rows.filter((r) => r.documentkey === abel)).toHaveLength(0);
    for (const r of rows) {
      const u = a.get('sys_user', r.documentkey as string) as Record<string, string>;
      expect(u[r.fieldname as string]).toBe(r.newvalue);
      expect(r.oldvalue).not.toBe(r.newvalue);
    }
    const recentPhone = rows.filter(
      (r) =>
        r.fieldname === 'mobile_phone' &&
        Date.parse(`${r.sys_created_on?.replace(' ', 'T')}Z`) > NOW - 15 * 86_400_000,
    );
    expect(recentPhone.length).toBeGreaterThanOrEqual(4);
  });

  it('agents: beth.anglin (Beth Anglin) has itil and x_imper_verify.agent; imper.integration has the integration role', () => {
    const beth = a.userByName('beth.anglin') as Record<string, string>;
    expect(beth.name).toBe('Beth Anglin');
    expect(a.rolesOf(beth.sys_id as string).sort()).toEqual(['itil', 'x_imper_verify.agent']);
    expect(a.rolesOf(a.userByName('admin')?.sys_id as string)).toEqual(['admin']);
    // user_admin: resetting passwords and clearing locked_out on sys_user (issue 10, README "Access control")
    expect(a.rolesOf(a.userByName('imper.integration')?.sys_id as string).sort()).toEqual([
      'user_admin',
      'x_imper_verify.integration',
    ]);
    const itil = a.query('sys_user_has_role', 'role.name=itil').length;
    expect(itil).toBeGreaterThanOrEqual(3);
    expect(a.authenticate('beth.anglin', 'b')?.userName).toBe('beth.anglin');
    expect(a.authenticate('david.loddy', 'b')).not.toBeNull();
    expect(a.authenticate('admin', 'a')?.roles).toEqual(['admin']);
    expect(a.authenticate('beth.anglin', 'a')).toBeNull();
  });

  it('a few recent incidents per user, mixed categories, all with the 8 x_imper_verify_* columns', () => {
    const incidents = a.query('incident');
    const callers = new Set(incidents.map((i) => i.caller_id));
    expect(callers.size).toBeGreaterThanOrEqual(190);
    const categories = new Set(incidents.map((i) => i.category));
    for (const c of [
      'password_reset',
      'account_unlock',
      'access',
      'inquiry',
      'software',
      'hardware',
      'network',
      'database',
    ])
      expect(categories).toContain(c);
    for (const i of incidents) {
      for (const col of [
        'verification',
        'status',
        'risk_level',
        'id',
        'details_url',
        'attention',
        'action',
        'action_status',
      ]) {
        expect(i).toHaveProperty(`x_imper_verify_${col}`);
      }
    }
    expect(a.query('incident', 'opened_at<javascript:gs.daysAgo(91)')).toHaveLength(0);
    expect(a.query('incident', 'active=true').length).toBeGreaterThan(10);
  });

  it('incidents in password_reset/account_unlock/access have status required and the launch URL; others are untouched', () => {
    for (const i of a.query('incident', 'categoryINpassword_reset,account_unlock,access')) {
      expect(i.x_imper_verify_status).toBe('required');
      expect(i.x_imper_verify_verification).toBe(
        `http://localhost:8081/api/x_imper_verify/imper/launch?table=incident&sys_id=${i.sys_id}`,
      );
    }
    for (const i of a.query('incident', 'categoryNOT INpassword_reset,account_unlock,access')) {
      expect(i.x_imper_verify_status).toBe('');
      expect(i.x_imper_verify_verification).toBe('');
    }
  });

  it('DEMO_TICKET is INC0010001, an open password-reset incident of a caller with email and mobile', () => {
    const t = a.get('incident', DEMO_TICKET.sys_id) as Record<string, string>;
    expect(t).toMatchObject({
      number: 'INC0010001',
      category: 'password_reset',
      state: '1',
      active: 'true',
      caller_id: DEMO_TICKET.caller.sys_id,
      short_description: DEMO_TICKET.short_description,
    });
    expect(a.get('sys_user', DEMO_TICKET.caller.sys_id)).toMatchObject({
      email: DEMO_TICKET.caller.email,
      mobile_phone: DEMO_TICKET.caller.mobile_phone,
      name: 'Abel Tuter',
    });
    expect(a.query('incident', `caller_id=${DEMO_TICKET.caller.sys_id}`).length).toBeGreaterThanOrEqual(3);
  });

  it('sys_choice holds category, state, close_code and verification choices; the category policy has the defaults', () => {
    const label = (el: string, v: string, t = 'incident'): string => a.choiceLabel(t, el, v);
    expect(label('category', 'password_reset')).toBe('Password Reset');
    expect(label('category', 'account_unlock')).toBe('Account Unlock');
    expect(label('category', 'access')).toBe('Access Request');
    expect(label('x_imper_verify_status', 'timed_out')).toBe('Timed Out');
    expect(label('x_imper_verify_risk_level', 'high')).toBe('High');
    expect(
      a.query('sys_choice', 'name=incident^element=close_code^inactive=false').length,
    ).toBeGreaterThanOrEqual(5);
    const policy = a
      .query('x_imper_verify_category_policy', 'ORDERBYorder')
      .map((p) => [p.category, p.action, p.auto_close, p.task_table, p.active]);
    expect(policy).toEqual([
      ['password_reset', 'password_reset', 'true', 'incident', 'true'],
      ['account_unlock', 'account_unlock', 'true', 'incident', 'true'],
      ['access', 'none', 'false', 'incident', 'true'],
    ]);
  });

  it('Prng is deterministic', () => {
    const x = new Prng(1);
    const y = new Prng(1);
    const seq = Array.from({ length: 5 }, () => x.uint32());
    expect(Array.from({ length: 5 }, () => y.uint32())).toEqual(seq);
    expect(new Prng(2).uint32()).not.toBe(seq[0]);
    expect(new Prng(3).sysId()).toMatch(/^[0-9a-f]{32}$/);
  });
});
