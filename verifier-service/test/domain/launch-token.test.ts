import { randomBytes, createHmac } from 'node:crypto';
import { signLaunchToken, unverifiedIssuer, verifyLaunchToken } from '../../src/domain/launch-token';
import { AppError } from '../../src/errors';

const secret = randomBytes(32);
const iss = 'http://localhost:8081';
const now = 1_800_000_000;
const claims = (over: Record<string, unknown> = {}) => ({
  iss,
  aud: 'imper-verify',
  sub: 'beth.anglin',
  name: 'Beth Anglin',
  ticket: { table: 'incident', sys_id: 'a'.repeat(32), number: 'INC0010001' },
  jti: randomBytes(16).toString('hex'),
  iat: now,
  exp: now + 120,
  ...over,
});
const code = async (fn: () => Promise<unknown>) => {
  try {
    await fn();
  } catch (e) {
    return (e as AppError).code;
  }
  return 'accepted';
};
const verify = (token: string, at = now) => verifyLaunchToken(token, { secret, issuer: iss, nowSeconds: at });

describe('launch token (SECURITY.md S6)', () => {
  it('accepts a well-formed token and returns its claims', async () => {
    const c = claims();
    await expect(verify(signLaunchToken(c, secret))).resolves.toEqual(c);
    expect(unverifiedIssuer(signLaunchToken(c, secret))).toBe(iss);
  });

  it('refuses an expired token, and accepts it one second before expiry', async () => {
    const token = signLaunchToken(claims(), secret);
    expect(await code(() => verify(token, now + 119))).toBe('accepted');
    expect(await code(() => verify(token, now + 120))).toBe('LAUNCH_TOKEN_EXPIRED');
  });

  it('refuses a wrong audience and a wrong issuer', async () => {
    expect(await code(() => verify(signLaunchToken(claims({ aud: 'someone-else' }), secret)))).toBe(
      'LAUNCH_TOKEN_INVALID',
    );
    expect(await code(() => verify(signLaunchToken(claims({ iss: 'http://evil.example' }), secret)))).toBe(
      'LAUNCH_TOKEN_INVALID',
    );
  });

  it('refuses alg "none" and any algorithm other than HS256 (no key confusion)', async () => {
    const enc = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
    const unsigned = `${enc({ alg: 'none', typ: 'JWT' })}.${enc(claims())}.`;
    expect(await code(() => verify(unsigned))).toBe('LAUNCH_TOKEN_INVALID');
    const hs512 = `${enc({ alg: 'HS512' })}.${enc(claims())}`;
    const sig = createHmac('sha512', secret).update(hs512).digest('base64url');
    expect(await code(() => verify(`${hs512}.${sig}`))).toBe('LAUNCH_TOKEN_INVALID');
    const rs = `${enc({ alg: 'RS256' })}.${enc(claims())}.${createHmac('sha256', secret).update('x').digest('base64url')}`;
    expect(await code(() => verify(rs))).toBe('LAUNCH_TOKEN_INVALID');
  });

  it('refuses a token signed with another key or with a tampered payload', async () => {
    expect(await code(() => verify(signLaunchToken(claims(), randomBytes(32))))).toBe('LAUNCH_TOKEN_INVALID');
    const [h, , s] = signLaunchToken(claims(), secret).split('.');
    const forged = Buffer.from(JSON.stringify(claims({ sub: 'admin' }))).toString('base64url');
    expect(await code(() => verify(`${h}.${forged}.${s}`))).toBe('LAUNCH_TOKEN_INVALID');
  });

  it('refuses lifetimes over 120 seconds and tokens issued in the future', async () => {
    expect(await code(() => verify(signLaunchToken(claims({ exp: now + 121 }), secret)))).toBe(
      'LAUNCH_TOKEN_INVALID',
    );
    expect(
      await code(() => verify(signLaunchToken(claims({ iat: now + 300, exp: now + 400 }), secret))),
    ).toBe('LAUNCH_TOKEN_INVALID');
  });

  it('refuses malformed tokens and claims', async () => {
    for (const bad of ['', 'a.b', 'a.b.c.d', '!!.??.**', 'x'.repeat(5000)])
      expect(await code(() => verify(bad))).toBe('LAUNCH_TOKEN_INVALID');
    expect(
      await code(() =>
        verify(
          signLaunchToken(claims({ ticket: { table: 'incident; drop', sys_id: 'x', number: '' } }), secret),
        ),
      ),
    ).toBe('LAUNCH_TOKEN_INVALID');
    expect(await code(() => verify(signLaunchToken(claims({ jti: undefined }), secret)))).toBe(
      'LAUNCH_TOKEN_INVALID',
    );
  });
});

describe('launch token claims with control characters (issue 8 finding 4, S22)', () => {
  it.each([
    ['name', { name: 'Beth\u0000Anglin' }],
    ['sub', { sub: 'beth\u0000' }],
    ['jti', { jti: `${'a'.repeat(20)}\u0000` }],
    ['ticket number', { ticket: { table: 'incident', sys_id: 'a'.repeat(32), number: 'INC\u00000001' } }],
    ['a CRLF in the name', { name: 'Beth\r\nBcc: x@example.com' }],
  ])('refuses a validly signed token with NUL or CR/LF in %s', async (_what, over) => {
    expect(await code(() => verify(signLaunchToken(claims(over), secret)))).toBe('LAUNCH_TOKEN_INVALID');
  });

  it('keeps non-ASCII names', async () => {
    expect((await verify(signLaunchToken(claims({ name: 'Zoë Åberg ✓' }), secret))).name).toBe('Zoë Åberg ✓');
  });

  it('accepts an iat a little ahead of our clock (instance clock skew) but not far ahead', async () => {
    const ahead = (s: number) => signLaunchToken(claims({ iat: now + s, exp: now + s + 60 }), secret);
    expect(await code(() => verify(ahead(20)))).toBe('accepted');
    expect(await code(() => verify(ahead(90)))).toBe('LAUNCH_TOKEN_INVALID');
  });
});
