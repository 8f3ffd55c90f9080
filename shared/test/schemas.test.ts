import { Value } from '@sinclair/typebox/value';
import {
  ERROR_CODES,
  LaunchClaimsSchema,
  SendVerificationBodySchema,
  TICKET_COLUMNS,
  TICKET_STATUSES,
  RISK_LEVELS,
  ACTIONS,
  ACTION_STATUSES,
} from '../src';

describe('shared contracts (CONTRACTS.md)', () => {
  it('names the ticket columns and choices exactly as the contract', () => {
    expect(Object.values(TICKET_COLUMNS).sort()).toEqual(
      [
        'x_imper_verify_verification',
        'x_imper_verify_status',
        'x_imper_verify_risk_level',
        'x_imper_verify_id',
        'x_imper_verify_details_url',
        'x_imper_verify_attention',
        'x_imper_verify_action',
        'x_imper_verify_action_status',
      ].sort(),
    );
    expect(TICKET_STATUSES).toEqual([
      'required',
      'sent',
      'in_progress',
      'passed',
      'failed',
      'incomplete',
      'timed_out',
      'canceled',
    ]);
    expect(RISK_LEVELS).toEqual(['verified', 'medium', 'high']);
    expect(ACTIONS).toEqual(['none', 'password_reset', 'account_unlock', 'mfa_reset']);
    expect(ACTION_STATUSES).toEqual(['not_started', 'completed', 'failed']);
  });

  it('gives client errors 4xx statuses and keeps 5xx for our side only', () => {
    const serverSide = Object.entries(ERROR_CODES)
      .filter(([, s]) => s >= 500)
      .map(([c]) => c)
      .sort();
    expect(serverSide).toEqual([
      'CONSOLE_SSO_UNAVAILABLE',
      'DELIVERY_FAILED',
      'INTERNAL',
      'NOT_READY',
      'SERVICENOW_TIMEOUT',
      'SERVICENOW_UNAVAILABLE',
    ]);
    for (const [code, status] of Object.entries(ERROR_CODES)) {
      expect([400, 401, 403, 404, 405, 409, 410, 413, 415, 422, 429, 500, 502, 503, 504]).toContain(status);
      expect(code).toMatch(/^[A-Z_]+$/);
    }
  });

  it('accepts the launch claims of the contract and refuses malformed ones', () => {
    const claims = {
      iss: 'http://localhost:8081',
      aud: 'imper-verify',
      sub: 'beth.anglin',
      name: 'Beth Anglin',
      ticket: { table: 'incident', sys_id: '0123456789abcdef0123456789abcdef', number: 'INC0010001' },
      jti: 'b2f0c6b3a1d94c1e8f7a',
      iat: 1,
      exp: 121,
    };
    expect(Value.Check(LaunchClaimsSchema, claims)).toBe(true);
    expect(Value.Check(LaunchClaimsSchema, { ...claims, aud: 'other' })).toBe(false);
    expect(
      Value.Check(LaunchClaimsSchema, { ...claims, ticket: { ...claims.ticket, sys_id: 'not-hex' } }),
    ).toBe(false);
  });

  it('refuses unknown channels in a send body', () => {
    expect(Value.Check(SendVerificationBodySchema, { channel: 'sms', contactKey: 'mobile_phone' })).toBe(
      true,
    );
    expect(Value.Check(SendVerificationBodySchema, { channel: 'fax', destination: '+12025550143' })).toBe(
      false,
    );
  });
});
