import { startOktaStandin, type OktaStandin } from '../src';

const TOKEN = '00stand-in-super-admin-token';
const READ_ONLY = '00stand-in-read-only-token';
const HELP_DESK = '00stand-in-help-desk-token';
let okta: OktaStandin;

beforeAll(async () => {
  okta = await startOktaStandin({
    tokens: [
      { token: TOKEN },
      { token: READ_ONLY, role: 'READ_ONLY_ADMIN' },
      { token: HELP_DESK, role: 'HELP_DESK_ADMIN' },
    ],
    users: [
      {
        id: '00ualex0000000000001',
        login: 'alex@example.com',
        firstName: 'Alex',
        lastName: 'Wilber',
        password: 'Old-Passw0rd',
        passwordHistory: ['Older-Passw0rd'],
        status: 'LOCKED_OUT',
        factors: [{ factorType: 'sms', profile: { phoneNumber: '+14155550100' } }, { factorType: 'push' }],
        sessions: 2,
      },
      { id: '00uadmin000000000001', login: 'admin@example.com', admin: true },
      { id: '00ususp0000000000001', login: 'gone@example.com', status: 'DEPROVISIONED' },
    ],
    rateLimit: { limit: 50, windowSeconds: 60 },
  });
});
afterAll(() => okta.close());
afterEach(() => okta.reset());

function api(method: string, path: string, body?: unknown, token = TOKEN) {
  const headers: Record<string, string> = { authorization: `SSWS ${token}`, accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  return fetch(`${okta.url}/api/v1${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

const errorShape = {
  errorCode: expect.stringMatching(/^E0000\d{3}$/),
  errorSummary: expect.any(String),
  errorLink: expect.any(String),
  errorId: expect.stringMatching(/^oae/),
  errorCauses: expect.any(Array),
};

describe('Okta stand-in: users and errors', () => {
  it('reads a user by id or login, with rate-limit headers on every answer', async () => {
    for (const key of ['00ualex0000000000001', 'alex@example.com']) {
      const res = await api('GET', `/users/${encodeURIComponent(key)}`);
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({
        id: '00ualex0000000000001',
        status: 'LOCKED_OUT',
        profile: { login: 'alex@example.com', email: 'alex@example.com', firstName: 'Alex' },
        credentials: { provider: { type: 'OKTA' } },
      });
      expect(res.headers.get('x-rate-limit-limit')).toBe('50');
      expect(Number(res.headers.get('x-rate-limit-remaining'))).toBeLessThan(50);
      expect(Number(res.headers.get('x-rate-limit-reset'))).toBeGreaterThan(Date.now() / 1000);
      expect(res.headers.get('x-okta-request-id')).toBeTruthy();
    }
  });

  it('answers E0000011 (401), E0000006 (403), E0000007 (404) in Okta’s error shape', async () => {
    const noToken = await fetch(`${okta.url}/api/v1/users/alex@example.com`);
    expect(noToken.status).toBe(401);
    expect(await noToken.json()).toMatchObject({
      ...errorShape,
      errorCode: 'E0000011',
      errorSummary: 'Invalid token provided',
    });
    const bearer = await fetch(`${okta.url}/api/v1/users/alex@example.com`, {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(bearer.status).toBe(401);

    const readOnly = await api('POST', '/users/alex@example.com/lifecycle/unlock', undefined, READ_ONLY);
    expect(readOnly.status).toBe(403);
    expect(await readOnly.json()).toMatchObject({ errorCode: 'E0000006' });
    const helpDeskOnAdmin = await api(
      'POST',
      '/users/admin@example.com/lifecycle/reset_factors',
      undefined,
      HELP_DESK,
    );
    expect(helpDeskOnAdmin.status).toBe(403);

    const missing = await api('GET', '/users/nobody@example.com');
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({
      ...errorShape,
      errorCode: 'E0000007',
      errorSummary: 'Not found: Resource not found: nobody@example.com (User)',
    });
  });
});

describe('Okta stand-in: lifecycle and credentials', () => {
  it('unlocks a locked-out user, refuses a deprovisioned one', async () => {
    okta.setStatus('alex@example.com', 'LOCKED_OUT');
    const res = await api('POST', '/users/alex@example.com/lifecycle/unlock');
    expect(res.status).toBe(200);
    expect(okta.user('alex@example.com')!.status).toBe('ACTIVE');
    const gone = await api('POST', '/users/gone@example.com/lifecycle/unlock');
    expect(gone.status).toBe(403);
    expect(await gone.json()).toMatchObject({ errorCode: 'E0000038' });
  });

  it('issues a reset link with sendEmail=false and puts the user in RECOVERY', async () => {
    okta.setStatus('alex@example.com', 'ACTIVE');
    const res = await api('POST', '/users/alex@example.com/lifecycle/reset_password?sendEmail=false');
    expect(res.status).toBe(200);
    const body = (await res.json()) as { resetPasswordUrl: string; summary: string };
    expect(body.summary).toBe('Reset password without sending email');
    expect(body.resetPasswordUrl).toMatch(new RegExp(`^${okta.url}/reset_password/drp`));
    expect(okta.user('alex@example.com')!.status).toBe('RECOVERY');
    expect(okta.passwordResets()).toEqual([
      { userId: '00ualex0000000000001', sentEmail: false, resetPasswordUrl: body.resetPasswordUrl },
    ]);
  });

  it('sets a password as an admin (POST or PUT), refusing one the policy rejects in errorCauses', async () => {
    const weak = await api('POST', '/users/alex@example.com', {
      credentials: { password: { value: 'short' } },
    });
    expect(weak.status).toBe(400);
    const weakBody = (await weak.json()) as any;
    expect(weakBody).toMatchObject({
      errorCode: 'E0000001',
      errorSummary: 'Api validation failed: password',
    });
    expect(weakBody.errorCauses[0].errorSummary).toMatch(
      /^password: Password requirements were not met\. Password requirements: at least 8 characters/,
    );
    expect(JSON.stringify(weakBody)).not.toContain('short');

    const username = await api('POST', '/users/alex@example.com', {
      credentials: { password: { value: 'Alex-Rules-2024' } },
    });
    expect(username.status).toBe(400);

    // History applies with strict=true only.
    const reused = await api('POST', '/users/alex@example.com?strict=true', {
      credentials: { password: { value: 'Older-Passw0rd' } },
    });
    expect(reused.status).toBe(400);

    const ok = await api('PUT', '/users/alex@example.com', {
      credentials: { password: { value: 'Tall-Ships-Sail-1' } },
    });
    expect(ok.status).toBe(200);
    expect(okta.checkPassword('alex@example.com', 'Tall-Ships-Sail-1')).toBe(true);
    expect(okta.user('alex@example.com')!.status).toBe('ACTIVE');
    const captured = okta.requests().filter((r) => r.method === 'PUT' || r.method === 'POST');
    expect(JSON.stringify(captured.map((r) => r.body))).not.toMatch(/Tall-Ships|Older-Passw0rd|Alex-Rules/);
  });

  it('resets factors, clears sessions, suspends only an active user', async () => {
    expect((await api('POST', '/users/alex@example.com/lifecycle/reset_factors')).status).toBe(200);
    expect(okta.user('alex@example.com')!.factors).toEqual([]);
    expect((await api('DELETE', '/users/alex@example.com/sessions')).status).toBe(204);
    expect(okta.user('alex@example.com')!.sessions).toBe(0);
    okta.setStatus('alex@example.com', 'ACTIVE');
    expect((await api('POST', '/users/alex@example.com/lifecycle/suspend')).status).toBe(200);
    expect(okta.user('alex@example.com')!.status).toBe('SUSPENDED');
    const again = await api('POST', '/users/alex@example.com/lifecycle/suspend');
    expect(again.status).toBe(400);
    expect(await again.json()).toMatchObject({ errorCode: 'E0000001' });
    expect((await api('POST', '/users/alex@example.com/lifecycle/unsuspend')).status).toBe(200);
  });

  it('answers malformed JSON with E0000003', async () => {
    const res = await fetch(`${okta.url}/api/v1/users/alex@example.com`, {
      method: 'POST',
      headers: { authorization: `SSWS ${TOKEN}`, 'content-type': 'application/json' },
      body: '{"credentials":',
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ errorCode: 'E0000003' });
  });
});

describe('Okta stand-in: rate limits', () => {
  it('a 429 fault is E0000047 with X-Rate-Limit-Reset and no Retry-After', async () => {
    okta.faults.failNext('okta', 1, 429, { retryAfterSeconds: 12 });
    const res = await api('GET', '/users/alex@example.com');
    expect(res.status).toBe(429);
    expect(await res.json()).toMatchObject({ ...errorShape, errorCode: 'E0000047' });
    expect(res.headers.get('retry-after')).toBeNull();
    expect(res.headers.get('x-rate-limit-remaining')).toBe('0');
    const wait = Number(res.headers.get('x-rate-limit-reset')) - Date.now() / 1000;
    expect(wait).toBeGreaterThan(10);
    expect(wait).toBeLessThanOrEqual(13);
  });

  it('counts requests against the org limit', async () => {
    const limited = await startOktaStandin({
      tokens: [{ token: TOKEN }],
      users: [{ login: 'a@example.com' }],
      rateLimit: { limit: 2, windowSeconds: 60 },
    });
    try {
      const get = () =>
        fetch(`${limited.url}/api/v1/users/a@example.com`, { headers: { authorization: `SSWS ${TOKEN}` } });
      expect((await get()).headers.get('x-rate-limit-remaining')).toBe('1');
      expect((await get()).status).toBe(200);
      const third = await get();
      expect(third.status).toBe(429);
      expect(third.headers.get('x-rate-limit-remaining')).toBe('0');
    } finally {
      await limited.close();
    }
  });
});
