// The launch token minted by src/server/launch.ts verifies with the service's own verifier; expired and
// tampered tokens are refused.
import { randomBytes } from 'node:crypto';
import { verifyLaunchToken } from '../../../verifier-service/src/domain/launch-token';
import { base64UrlEncode } from '../../src/server/base64url';
import { clampLifetime, mintLaunchToken } from '../../src/server/launch';
import { installGlideCrypto } from '../glide/crypto';

installGlideCrypto();

const secret = randomBytes(32);
const issuer = 'https://acme.service-now.com';
const ticket = { table: 'incident', sys_id: 'a'.repeat(32), number: 'INC0010001' };
const now = 1_750_000_000;
const mint = (over: Partial<Parameters<typeof mintLaunchToken>[0]> = {}) =>
  mintLaunchToken({
    secretBase64: secret.toString('base64'),
    issuer,
    user: { userName: 'beth.anglin', name: 'Beth Anglin' },
    ticket,
    lifetimeSeconds: 60,
    nowSeconds: now,
    ...over,
  });

describe('launch token (CONTRACTS.md)', () => {
  it('verifies with verifyLaunchToken and carries the contract claims', async () => {
    const { token } = mint();
    const claims = await verifyLaunchToken(token, { secret, issuer, nowSeconds: now + 5 });
    expect(claims).toMatchObject({
      iss: issuer,
      aud: 'imper-verify',
      sub: 'beth.anglin',
      name: 'Beth Anglin',
      ticket,
      iat: now,
      exp: now + 60,
    });
    expect(claims.jti.length).toBeGreaterThanOrEqual(16);
  });

  it('uses a fresh jti every time', () => {
    expect(mint().claims.jti).not.toBe(mint().claims.jti);
  });

  it('never lives longer than 120 s', () => {
    expect(mint({ lifetimeSeconds: 3600 }).claims.exp - now).toBe(120);
    expect(clampLifetime('abc')).toBe(60);
    expect(clampLifetime('0')).toBe(60);
  });

  it('is refused once expired', async () => {
    const { token } = mint();
    await expect(verifyLaunchToken(token, { secret, issuer, nowSeconds: now + 61 })).rejects.toThrow(
      /expired/,
    );
  });

  it('is refused when tampered or signed with another key', async () => {
    const { token } = mint();
    const [h, p, s] = token.split('.');
    const forged = base64UrlEncode(
      JSON.stringify({ ...JSON.parse(Buffer.from(p!, 'base64url').toString()), sub: 'admin' }),
    );
    await expect(
      verifyLaunchToken(`${h}.${forged}.${s}`, { secret, issuer, nowSeconds: now }),
    ).rejects.toThrow(/signature/);
    await expect(
      verifyLaunchToken(token, { secret: randomBytes(32), issuer, nowSeconds: now }),
    ).rejects.toThrow(/signature/);
  });

  it('encodes non-ASCII names as UTF-8 base64url', async () => {
    expect(base64UrlEncode('Zoë ✓ 𝄞')).toBe(Buffer.from('Zoë ✓ 𝄞').toString('base64url'));
    const { token } = mint({ user: { userName: 'zoe', name: 'Zoë Åberg' } });
    expect((await verifyLaunchToken(token, { secret, issuer, nowSeconds: now })).name).toBe('Zoë Åberg');
  });
});
