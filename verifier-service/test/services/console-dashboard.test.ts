// The dashboard's aggregates (F8) against rows this test inserts: exact numbers, one tenant only (S18).
import { build, type TestApp } from '../helper';
import { insertDeliveryRow, insertVerificationRow, otherTenant } from '../console/rows';
import { loadDashboard, resolvePeriod } from '../../src/services/console-dashboard';

let t: TestApp;
beforeAll(async () => {
  t = await build();
});
afterAll(() => t.close());

const at = (day: string, hh = 10) => new Date(`2026-03-${day}T${String(hh).padStart(2, '0')}:00:00Z`);

describe('dashboard aggregates', () => {
  it('counts volume per day, pass rate, risk, time to complete, categories and delivery failures', async () => {
    const other = await otherTenant(t);
    // 2026-03-02: 3 verifications (2 passed, 1 failed); 2026-03-04: 1 passed, 1 in progress; outside: 1.
    const a = await insertVerificationRow(t, {
      createdAt: at('02'),
      state: 'passed',
      riskLevel: 'verified',
      completedAfter: 60,
      category: 'password_reset',
    });
    await insertVerificationRow(t, {
      createdAt: at('02', 11),
      state: 'passed',
      riskLevel: 'verified',
      completedAfter: 120,
      category: 'password_reset',
    });
    const c = await insertVerificationRow(t, {
      createdAt: at('02', 23),
      state: 'failed',
      riskLevel: 'high',
      completedAfter: 300,
      category: 'mfa_reset',
    });
    await insertVerificationRow(t, {
      createdAt: at('04'),
      state: 'passed',
      riskLevel: 'medium',
      completedAfter: 600,
      category: 'account_unlock',
    });
    await insertVerificationRow(t, {
      createdAt: at('04', 12),
      state: 'in_progress',
      category: 'password_reset',
    });
    await insertVerificationRow(t, {
      createdAt: at('09'),
      state: 'passed',
      riskLevel: 'high',
      completedAfter: 5,
    });
    // Another tenant's rows in the same days never count.
    const o = await insertVerificationRow(t, {
      tenantId: other,
      createdAt: at('02'),
      state: 'failed',
      riskLevel: 'high',
      completedAfter: 9,
    });
    await insertDeliveryRow(t, { verificationId: a.id, status: 'delivered', createdAt: at('02') });
    await insertDeliveryRow(t, {
      verificationId: c.id,
      status: 'failed',
      errorCode: 'bounce',
      createdAt: at('02'),
    });
    await insertDeliveryRow(t, {
      verificationId: c.id,
      status: 'failed',
      channel: 'sms',
      provider: 'twilio',
      errorCode: '30003',
      createdAt: at('02'),
    });
    await insertDeliveryRow(t, {
      verificationId: c.id,
      status: 'failed',
      errorCode: 'bounce',
      createdAt: at('03'),
    });
    await insertDeliveryRow(t, {
      tenantId: other,
      verificationId: o.id,
      status: 'failed',
      createdAt: at('02'),
    });

    const tenantId = t.deps.tenants.all()[0]!.id;
    const d = await loadDashboard(t.deps, tenantId, { from: '2026-03-01', to: '2026-03-05' });
    expect(d.perDay).toEqual([
      { day: '2026-03-01', total: 0, passed: 0 },
      { day: '2026-03-02', total: 3, passed: 2 },
      { day: '2026-03-03', total: 0, passed: 0 },
      { day: '2026-03-04', total: 2, passed: 1 },
      { day: '2026-03-05', total: 0, passed: 0 },
    ]);
    expect(d.outcomes).toEqual({ total: 5, completed: 4, passed: 3 });
    expect(d.passRate).toBe(0.75);
    expect(d.risk).toEqual({ verified: 2, medium: 1, high: 1 });
    // durations 60, 120, 300, 600 s: median 210, p90 = 300 + 0.7 × 300 = 510 (percentile_cont)
    expect(d.timeToComplete).toEqual({ count: 4, medianSeconds: 210, p90Seconds: 510 });
    expect(d.categories).toEqual([
      { category: 'password_reset', count: 3 },
      { category: 'account_unlock', count: 1 },
      { category: 'mfa_reset', count: 1 },
    ]);
    expect(d.deliveries).toEqual({ total: 4, failed: 3 });
    expect(d.deliveryFailures).toEqual([
      { channel: 'email', provider: 'sendgrid', errorCode: 'bounce', count: 2 },
      { channel: 'sms', provider: 'twilio', errorCode: '30003', count: 1 },
    ]);
  });

  it('an empty period is all zeros, no pass rate', async () => {
    const d = await loadDashboard(t.deps, t.deps.tenants.all()[0]!.id, {
      from: '2025-01-01',
      to: '2025-01-02',
    });
    expect(d.outcomes.total).toBe(0);
    expect(d.passRate).toBeNull();
    expect(d.timeToComplete).toEqual({ count: 0, medianSeconds: null, p90Seconds: null });
    expect(d.perDay).toHaveLength(2);
  });
});

describe('period', () => {
  const now = new Date('2026-03-31T15:00:00Z');
  it('defaults to the last 30 days, today included', () => {
    expect(resolvePeriod(now)).toEqual({ from: '2026-03-02', to: '2026-03-31' });
  });
  it('refuses impossible dates, reversed and too long periods', () => {
    expect(() => resolvePeriod(now, '2026-02-30', '2026-03-01')).toThrow(/dates/);
    expect(() => resolvePeriod(now, '2026-03-05', '2026-03-01')).toThrow(/after/);
    expect(() => resolvePeriod(now, '2020-01-01', '2026-03-01')).toThrow(/at most/);
  });
});
