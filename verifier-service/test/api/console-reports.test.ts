// The audit log and dashboard routes (F8, S18, S21): roles (auditor yes, operator no for the audit log), the API's
// filters, "Verify chain" naming a row altered in the database, and the dashboard page's charts and tables.
import { sql } from 'kysely';
import { build, type TestApp } from '../helper';
import { consoleSignIn, consoleUser } from '../console';
import { insertVerificationRow } from '../console/rows';

let t: TestApp;
beforeAll(async () => {
  t = await build();
});
afterAll(() => t.close());

describe('audit log routes', () => {
  it('auditor and admin allowed, operator 403; no session 401', async () => {
    const auditor = await consoleSignIn(t, await consoleUser(t, 'auditor'));
    const operator = await consoleSignIn(t, await consoleUser(t, 'operator'));
    expect((await auditor.get(`${t.url}/console/api/audit`)).status).toBe(200);
    const page = await auditor.get(`${t.url}/console/audit`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Verify chain');
    expect((await operator.get(`${t.url}/console/api/audit`)).status).toBe(403);
    expect((await operator.get(`${t.url}/console/audit`)).status).toBe(403);
    expect((await operator.post(`${t.url}/console/api/audit/verify`)).status).toBe(403);
    const anon = await fetch(`${t.url}/console/api/audit`);
    expect(anon.status).toBe(401);
  });

  it('filters by type prefix; verify chain names a tampered row (API and page button)', async () => {
    const admin = await consoleSignIn(t, await consoleUser(t, 'admin'));
    const list = (await admin.get(`${t.url}/console/api/audit?type=console.login`)).json();
    expect(list.items.length).toBeGreaterThan(0);
    expect(list.items.every((i: { type: string }) => i.type.startsWith('console.login'))).toBe(true);
    const ok = (await admin.post(`${t.url}/console/api/audit/verify`)).json();
    expect(ok.intact).toBe(true);
    // Needs the CSRF value.
    expect((await admin.request(`${t.url}/console/api/audit/verify`, { method: 'POST' })).status).toBe(403);

    const target = list.items[0].id as string;
    await sql`alter table audit_events disable trigger user`.execute(t.db.db);
    await sql`update audit_events set actor = 'someone-else' where id = ${target}`.execute(t.db.db);
    await sql`alter table audit_events enable trigger user`.execute(t.db.db);
    const broken = (await admin.post(`${t.url}/console/api/audit/verify`)).json();
    expect(broken.intact).toBe(false);
    expect(broken.problems[0]).toMatchObject({ id: target, problem: 'hash_mismatch' });
    const pageRes = await admin.request(`${t.url}/console/audit/verify`, { form: { csrf: admin.csrf } });
    expect(pageRes.status).toBe(200);
    expect(pageRes.text).toContain(`data-first-id="${target}"`);
    expect(pageRes.text).toContain('Chain broken');
  });
});

describe('dashboard routes', () => {
  it('every role sees it; the page has the charts and the numbers', async () => {
    await insertVerificationRow(t, {
      createdAt: new Date('2026-02-10T10:00:00Z'),
      state: 'passed',
      riskLevel: 'verified',
      completedAfter: 90,
    });
    await insertVerificationRow(t, {
      createdAt: new Date('2026-02-10T11:00:00Z'),
      state: 'failed',
      riskLevel: 'high',
      completedAfter: 30,
    });
    const operator = await consoleSignIn(t, await consoleUser(t, 'operator'));
    const api = (await operator.get(`${t.url}/console/api/dashboard?from=2026-02-09&to=2026-02-11`)).json();
    expect(api.outcomes).toEqual({ total: 2, completed: 2, passed: 1 });
    expect(api.perDay.map((d: { total: number }) => d.total)).toEqual([0, 2, 0]);
    const page = await operator.get(`${t.url}/console/dashboard?from=2026-02-09&to=2026-02-11`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('<svg');
    expect(page.text).toContain('<th scope="row">2026-02-10</th><td>2</td><td>1</td>');
    expect(page.text).toContain('50.0 %');
    expect((await operator.get(`${t.url}/console/api/dashboard?from=2026-02-31`)).status).toBe(400);
  });
});
