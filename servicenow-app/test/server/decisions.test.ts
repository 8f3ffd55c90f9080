// Pure decisions of the server modules: policy matching, the business rule's plan, the guard, event parsing.
import { planPolicyChange } from '../../src/server/category-rule';
import { parseEvent, pickCloseCode, columnsFor } from '../../src/server/events';
import { guardDecision, isResolvingState } from '../../src/server/guard';
import { decidePolicy, NOT_REQUIRED, type PolicyRow } from '../../src/server/policy';

const row = (over: Partial<PolicyRow>): PolicyRow => ({
  sysId: over.category ?? 'x',
  taskTable: 'incident',
  category: 'password_reset',
  subcategory: '',
  requiresVerification: true,
  action: 'password_reset',
  autoClose: true,
  active: true,
  order: 100,
  ...over,
});
const incident = (category: string, subcategory = '') => ({
  tables: ['incident', 'task'],
  category,
  subcategory,
});

describe('policy matching', () => {
  const rows = [
    row({ sysId: 'pr', category: 'password_reset', order: 100 }),
    row({ sysId: 'au', category: 'account_unlock', action: 'account_unlock', order: 200 }),
    row({ sysId: 'ac', category: 'access', action: 'none', autoClose: false, order: 300 }),
  ];
  it('requires verification for a covered category with its action', () => {
    expect(decidePolicy(rows, incident('password_reset'))).toEqual({
      required: true,
      action: 'password_reset',
      autoClose: true,
      policySysId: 'pr',
    });
    expect(decidePolicy(rows, incident('access')).action).toBe('none');
  });
  it('leaves other categories and empty categories alone', () => {
    expect(decidePolicy(rows, incident('software'))).toEqual(NOT_REQUIRED);
    expect(decidePolicy(rows, incident(''))).toEqual(NOT_REQUIRED);
  });
  it('matches the subcategory when the row names one (case-insensitive), any when empty', () => {
    const sub = [row({ sysId: 'vpn', category: 'network', subcategory: 'VPN', action: 'mfa_reset' })];
    expect(decidePolicy(sub, incident('network', 'vpn')).policySysId).toBe('vpn');
    expect(decidePolicy(sub, incident('network', 'dns'))).toEqual(NOT_REQUIRED);
  });
  it('ignores inactive rows and rows for other tables', () => {
    expect(decidePolicy([row({ active: false })], incident('password_reset'))).toEqual(NOT_REQUIRED);
    expect(decidePolicy([row({ taskTable: 'sc_req_item' })], incident('password_reset'))).toEqual(
      NOT_REQUIRED,
    );
    expect(decidePolicy([row({ taskTable: 'task' })], incident('password_reset')).required).toBe(true);
  });
  it('lets the first row by order decide, including an exemption', () => {
    const ordered = [
      row({ sysId: 'all', order: 200 }),
      row({ sysId: 'self', subcategory: 'self_service', requiresVerification: false, order: 100 }),
    ];
    expect(decidePolicy(ordered, incident('password_reset', 'self_service'))).toEqual(NOT_REQUIRED);
    expect(decidePolicy(ordered, incident('password_reset', 'other')).policySysId).toBe('all');
    const tie = [
      row({ sysId: 'any', order: 100 }),
      row({ sysId: 'specific', subcategory: 'ad', action: 'mfa_reset', order: 100 }),
    ];
    expect(decidePolicy(tie, incident('password_reset', 'ad')).policySysId).toBe('specific');
  });
});

describe('category business rule plan', () => {
  const required = { required: true, action: 'password_reset' as const, autoClose: true, policySysId: 'p' };
  it('requires on insert and on moving in', () => {
    expect(
      planPolicyChange({ isInsert: true, recategorised: false, status: '', decision: required }),
    ).toEqual({ kind: 'require', action: 'password_reset' });
    expect(
      planPolicyChange({ isInsert: false, recategorised: true, status: '', decision: required }).kind,
    ).toBe('require');
  });
  it('clears on moving out before anything was sent, keeps a verification under way', () => {
    expect(
      planPolicyChange({ isInsert: false, recategorised: true, status: 'required', decision: NOT_REQUIRED }),
    ).toEqual({ kind: 'clear' });
    expect(
      planPolicyChange({ isInsert: false, recategorised: true, status: 'sent', decision: NOT_REQUIRED }).kind,
    ).toBe('none');
    expect(
      planPolicyChange({ isInsert: false, recategorised: true, status: 'passed', decision: required }).kind,
    ).toBe('none');
  });
  it('does nothing for other categories or updates that do not recategorise', () => {
    expect(
      planPolicyChange({ isInsert: true, recategorised: false, status: '', decision: NOT_REQUIRED }).kind,
    ).toBe('none');
    expect(
      planPolicyChange({ isInsert: false, recategorised: false, status: 'required', decision: NOT_REQUIRED })
        .kind,
    ).toBe('none');
  });
});

describe('guard', () => {
  const base = {
    guardEnabled: true,
    closing: true,
    status: 'required',
    actionStatus: 'not_started',
    isAdmin: false,
    isIntegration: false,
  };
  it('refuses an agent resolving before the verification passed', () => {
    for (const status of ['required', 'sent', 'in_progress', 'failed', 'timed_out'])
      expect(guardDecision({ ...base, status }).allow).toBe(false);
  });
  it('allows after a pass, without a policy, when off, or when not closing', () => {
    expect(guardDecision({ ...base, status: 'passed' }).allow).toBe(true);
    expect(guardDecision({ ...base, status: '' }).allow).toBe(true);
    expect(guardDecision({ ...base, guardEnabled: false }).allow).toBe(true);
    expect(guardDecision({ ...base, closing: false }).allow).toBe(true);
  });
  it('lets admins override (recorded) and the integration user close a completed action', () => {
    expect(guardDecision({ ...base, isAdmin: true })).toEqual({
      allow: true,
      override: true,
      reason: 'admin override',
    });
    expect(
      guardDecision({ ...base, status: 'sent', isIntegration: true, actionStatus: 'completed' }),
    ).toMatchObject({ allow: true, override: false });
    expect(guardDecision({ ...base, isIntegration: true, actionStatus: 'failed' }).allow).toBe(false);
  });
  it('knows resolving states per table', () => {
    expect(['6', '7'].map((s) => isResolvingState('incident', s))).toEqual([true, true]);
    expect(isResolvingState('incident', '8')).toBe(false);
    expect(isResolvingState('sc_task', '3')).toBe(true);
  });
});

describe('event parsing', () => {
  const ok = {
    event_id: 'e1',
    table: 'incident',
    sys_id: 'b'.repeat(32),
    status: 'passed',
    risk_level: 'verified',
  };
  it('accepts a valid event and maps its columns', () => {
    const parsed = parseEvent(ok);
    expect('event' in parsed && columnsFor(parsed.event)).toEqual({
      x_imper_verify_status: 'passed',
      x_imper_verify_risk_level: 'verified',
    });
  });
  it('rejects unknown values and missing ids', () => {
    expect(parseEvent({ ...ok, status: 'approved' })).toEqual({ problems: ['status is not a known status'] });
    expect(parseEvent({ ...ok, event_id: '' })).toEqual({ problems: ['event_id is required'] });
    expect(parseEvent({ ...ok, details_url: 'javascript:alert(1)' })).toEqual({
      problems: ['details_url must be an http(s) URL'],
    });
  });
  it('picks a valid close code', () => {
    expect(pickCloseCode(['Solution provided', 'Workaround provided'], 'Workaround provided')).toBe(
      'Workaround provided',
    );
    expect(pickCloseCode(['Solution provided'], 'Solved (Permanently)')).toBe('Solution provided');
    expect(pickCloseCode([], undefined)).toBeNull();
  });
});
