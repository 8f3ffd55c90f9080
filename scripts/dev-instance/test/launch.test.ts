import { createHmac } from 'node:crypto';
import { decodeLaunchSecret, mintLaunchToken } from '../src/launch';

describe('launch token (CONTRACTS.md "Launch token")', () => {
  const key = Buffer.alloc(32, 9);
  const mint = (lifetimeSeconds: number) =>
    mintLaunchToken({
      key,
      issuer: 'http://localhost:8081',
      user: { userName: 'beth.anglin', name: 'Beth Anglin' },
      ticket: { table: 'incident', sys_id: 'a'.repeat(32), number: 'INC0010001' },
      lifetimeSeconds,
      nowMs: 1_700_000_000_500,
    });

  it('is JWS compact HS256 over base64url(header).base64url(claims) with the decoded key', () => {
    const { token, claims } = mint(120);
    const [h, p, s] = token.split('.') as [string, string, string];
    expect(createHmac('sha256', key).update(`${h}.${p}`).digest('base64url')).toBe(s);
    expect(JSON.parse(Buffer.from(p, 'base64url').toString())).toEqual(claims);
    expect(claims).toMatchObject({
      iss: 'http://localhost:8081',
      aud: 'imper-verify',
      sub: 'beth.anglin',
      name: 'Beth Anglin',
      iat: 1_700_000_000,
      exp: 1_700_000_120,
    });
  });

  it('never lives longer than 120 s', () => {
    expect(mint(600).claims.exp - mint(600).claims.iat).toBe(120);
    expect(mint(30).claims.exp - mint(30).claims.iat).toBe(30);
  });

  it('the secret must be base64 of at least 32 bytes', () => {
    expect(decodeLaunchSecret(key.toString('base64'))).toEqual(key);
    expect(() => decodeLaunchSecret(Buffer.alloc(16).toString('base64'))).toThrow(/32 bytes/);
    expect(() => decodeLaunchSecret('not base64 !!')).toThrow(/base64/);
  });
});
