// Console SSO settings and the groups → roles rule (S18): a user in no mapped group gets no role (and so no session).
import { consoleSsoProblems, groupsFromClaims, rolesForGroups } from '../../src/domain/console-sso';
import { safeConsoleNext } from '../../src/plugins/app/console-auth';
import { loadConfig } from '../../src/config';
import { secret } from '../helper';

const roleMap = { admin: ['imper-admins'], operator: ['helpdesk-sec'], auditor: ['audit'] };

describe('groups to roles', () => {
  it('maps each matching group, in a fixed order; none = no role', () => {
    expect(rolesForGroups(['imper-admins'], roleMap)).toEqual(['admin']);
    expect(rolesForGroups(['audit', 'helpdesk-sec', 'x'], roleMap)).toEqual(['operator', 'auditor']);
    expect(rolesForGroups(['everyone'], roleMap)).toEqual([]);
    expect(rolesForGroups([], { admin: [] })).toEqual([]);
  });
  it('reads an array claim, a single string, or nothing', () => {
    expect(groupsFromClaims({ groups: ['a', 3, 'b'] }, 'groups')).toEqual(['a', 'b']);
    expect(groupsFromClaims({ roles: 'a' }, 'roles')).toEqual(['a']);
    expect(groupsFromClaims({}, 'groups')).toEqual([]);
  });
  it('next is a same-origin console path only', () => {
    expect(safeConsoleNext('/console/audit?x=1')).toBe('/console/audit?x=1');
    for (const bad of [
      'https://evil.example/console',
      '//evil.example/console',
      '/console\\@evil',
      '/other',
      3,
    ])
      expect(safeConsoleNext(bad)).toBe('/console');
  });
});

describe('TENANTS[].console.sso at boot', () => {
  const base = (sso: unknown, env = 'test') => ({
    APP_ENV: env,
    DATA_ENCRYPTION_KEY: secret(),
    ...(env === 'production'
      ? { PUBLIC_BASE_URL: 'https://verify.example.com', EMAIL_PROVIDER: 'sendgrid' }
      : {}),
    TENANTS: JSON.stringify([
      {
        slug: 'acme',
        name: 'Acme',
        instanceUrl: 'https://acme.service-now.com',
        auth: { type: 'basic', username: 'u', password: 'p' },
        launchSecret: secret(),
        console: { sso },
      },
    ]),
  });
  const good = { issuer: 'https://idp.example.com', clientId: 'c', clientSecret: 's3cr3t-value', roleMap };
  it('accepts a complete setting', () => {
    expect(loadConfig(base(good)).tenants[0]!.console!.sso!.issuer).toBe('https://idp.example.com');
  });
  it('names what is wrong, never the secret', () => {
    const problems = (sso: unknown, env?: string) => {
      try {
        loadConfig(base(sso, env));
        return '';
      } catch (e) {
        return (e as Error).message;
      }
    };
    expect(problems({ ...good, roleMap: {} })).toMatch(/acme\) console.sso roleMap: map at least one group/);
    expect(problems({ ...good, clientSecret: undefined })).toMatch(/TENANTS\/0\/console\/sso/);
    expect(problems({ ...good, extra: 1 })).toMatch(/TENANTS\/0\/console\/sso/);
    expect(problems({ ...good, issuer: 'http://idp.example.com' }, 'production')).toMatch(
      /issuer: must be https/,
    );
    expect(problems({ ...good, roleMap: {} })).not.toContain('s3cr3t-value');
    expect(consoleSsoProblems({ ...good, issuer: 'https://idp.example.com/?a=1' }, 'test')).toEqual([
      'issuer: must not carry a query or fragment',
    ]);
  });
});
