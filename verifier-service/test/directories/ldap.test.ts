// The OpenLDAP connector against a real slapd with the ppolicy overlay (see ./slapd.ts): the service DN is an
// ordinary entry, so every refusal here is the password policy applying to the connector's own changes.
import { Client, InvalidCredentialsError } from 'ldapts';
import { createLdapDirectory, parseGeneralizedTime, validateLdapConfig } from '../../src/directories/ldap';
import type { DirectoryAccount, DirectoryConnector } from '../../src/directories/types';
import { SERVICE_DN, SERVICE_PASSWORD, SUFFIX, USERS, startSlapd, type Slapd } from './slapd';

let slapd: Slapd;
let ldap: DirectoryConnector;

const account = (userName: string): DirectoryAccount => ({ sysId: null, userName, email: null });
const dnOf = (uid: string) => `uid=${uid},ou=people,${SUFFIX}`;

function connector(overrides: Partial<Parameters<typeof createLdapDirectory>[0]> = {}) {
  return createLdapDirectory({
    url: slapd.url,
    bindDn: SERVICE_DN,
    bindPassword: SERVICE_PASSWORD,
    baseDn: SUFFIX,
    userFilter: '(&(objectClass=inetOrgPerson)(uid={user}))',
    timeoutMs: 3000,
    ...overrides,
  });
}

/** A person's own bind: 'ok' or the LDAP result code */
async function bindAs(uid: string, password: string): Promise<'ok' | number> {
  const client = new Client({ url: slapd.url, timeout: 3000, connectTimeout: 3000 });
  try {
    await client.bind(dnOf(uid), password);
    return 'ok';
  } catch (err) {
    if (err instanceof InvalidCredentialsError) return 49;
    throw err;
  } finally {
    await client.unbind().catch(() => undefined);
  }
}

beforeAll(async () => {
  slapd = await startSlapd();
  ldap = connector();
}, 30_000);

afterAll(async () => {
  await slapd?.dispose();
});

describe('setPassword (Password Modify through the service DN, ppolicy applies)', () => {
  it('after a reset the new password binds and the old one does not', async () => {
    const result = await ldap.setPassword(account('alice'), 'alice-brand-new-pw');
    expect(result).toEqual({ ok: true, detail: 'password changed' });
    expect(await bindAs('alice', 'alice-brand-new-pw')).toBe('ok');
    expect(await bindAs('alice', USERS.alice!)).toBe(49);

    const status = await ldap.status(account('alice'));
    expect(status.ok && status.status.passwordChangedAt).toBeInstanceOf(Date);
    if (status.ok)
      expect(Math.abs(Date.now() - status.status.passwordChangedAt!.getTime())).toBeLessThan(60_000);
  });

  it('refuses a too-short password with a plain message, and changes nothing', async () => {
    const result = await ldap.setPassword(account('bob'), 'Ab3$xy');
    expect(result).toMatchObject({
      ok: false,
      reason: 'password_policy',
      code: 'LDAP 19 constraintViolation',
    });
    expect(!result.ok && result.message).toMatch(/does not meet the directory's password rules.*too short/);
    expect(JSON.stringify(result)).not.toContain('Ab3$xy');
    expect(await bindAs('bob', USERS.bob!)).toBe('ok');
  });

  it('refuses a password in history (pwdInHistory 3) with a plain message', async () => {
    expect((await ldap.setPassword(account('carol'), 'carol-second-pw')).ok).toBe(true);
    const back = await ldap.setPassword(account('carol'), USERS.carol!);
    expect(back).toMatchObject({ ok: false, reason: 'password_policy' });
    expect(!back.ok && back.message).toBe(
      'This password was used recently for this account. Choose a password you have not used before.',
    );
    expect(JSON.stringify(back)).not.toContain(USERS.carol);
    expect(await bindAs('carol', 'carol-second-pw')).toBe('ok');
  });

  it('refuses a change sooner than pwdMinAge allows with a plain message', async () => {
    expect(await ldap.setPassword(account('frank'), 'frank-second-pw')).toMatchObject({ ok: true });
    const again = await ldap.setPassword(account('frank'), 'frank-third-pw');
    expect(again).toMatchObject({ ok: false, reason: 'password_policy' });
    expect(!again.ok && again.message).toMatch(/changed very recently.*waiting period/);
    expect(await bindAs('frank', 'frank-second-pw')).toBe('ok');
  });

  it('unknown user → not_found', async () => {
    const result = await ldap.setPassword(account('nobody-here'), 'a-fine-long-password');
    expect(result).toMatchObject({ ok: false, reason: 'not_found' });
    expect(await ldap.unlock(account('nobody-here'))).toMatchObject({ ok: false, reason: 'not_found' });
    expect(await ldap.lock!(account('nobody-here'))).toMatchObject({ ok: false, reason: 'not_found' });
    expect(await ldap.status(account('nobody-here'))).toEqual({
      ok: true,
      status: { exists: false, locked: null, disabled: null, passwordChangedAt: null },
    });
  });
});

describe('lockout, unlock and lock', () => {
  it('a user locked by 3 bad binds shows locked, unlocks, then binds', async () => {
    for (let i = 0; i < 3; i++) expect(await bindAs('dave', 'wrong-password')).toBe(49);
    // slapd's ppolicy records the third failure (and the lock) just after it answers that bind; on a busy machine
    // the next request can overtake it, so wait for the lock to be written before trying the right password.
    const until = Date.now() + 5_000;
    let locked = await ldap.status(account('dave'));
    while (!(locked.ok && locked.status.locked) && Date.now() < until) {
      await new Promise((r) => setTimeout(r, 50));
      locked = await ldap.status(account('dave'));
    }
    expect(locked).toMatchObject({ ok: true, status: { exists: true, locked: true } });
    // locked: the correct password is refused with the same 49
    expect(await bindAs('dave', USERS.dave!)).toBe(49);

    expect(await ldap.unlock(account('dave'))).toEqual({ ok: true, detail: 'unlocked' });
    expect(await ldap.status(account('dave'))).toMatchObject({ ok: true, status: { locked: false } });
    // the failure count went with the lock: one more mistake does not lock again
    expect(await bindAs('dave', 'wrong-password')).toBe(49);
    expect(await bindAs('dave', USERS.dave!)).toBe('ok');
  });

  it('lock then status locked (the correct password no longer binds); unlock reopens', async () => {
    expect(await ldap.lock!(account('erin'))).toMatchObject({ ok: true });
    expect(await ldap.status(account('erin'))).toMatchObject({ ok: true, status: { locked: true } });
    expect(await bindAs('erin', USERS.erin!)).toBe(49);
    expect(await ldap.unlock(account('erin'))).toEqual({ ok: true, detail: 'unlocked' });
    expect(await bindAs('erin', USERS.erin!)).toBe('ok');
  });

  it('a reset also ends a lock (ppolicy removes pwdAccountLockedTime when the password changes)', async () => {
    expect(await ldap.lock!(account('erin'))).toMatchObject({ ok: true });
    expect(await ldap.setPassword(account('erin'), 'erin-second-pw')).toEqual({
      ok: true,
      detail: 'password changed',
    });
    expect(await ldap.status(account('erin'))).toMatchObject({ ok: true, status: { locked: false } });
    expect(await bindAs('erin', 'erin-second-pw')).toBe('ok');
  });

  it('unlocking an account that is not locked is a no-op', async () => {
    expect(await ldap.unlock(account('bob'))).toEqual({ ok: true, detail: 'the account was not locked' });
  });

  it('resetMfa → unsupported with a clear message', async () => {
    const result = await ldap.resetMfa(account('bob'));
    expect(result).toMatchObject({ ok: false, reason: 'unsupported' });
    expect(!result.ok && result.message).toMatch(/no multi-factor enrolment/);
  });
});

describe('S13: LDAP input is escaped', () => {
  it.each(['*)(uid=*', '*', 'alice)(|(uid=*', 'ali*', '\\2a', 'alice\u0000'])(
    '%j finds nothing and changes nothing',
    async (userName) => {
      expect(await ldap.status(account(userName))).toMatchObject({ ok: true, status: { exists: false } });
      expect(await ldap.setPassword(account(userName), 'injected-password-1')).toMatchObject({
        ok: false,
        reason: 'not_found',
      });
      expect(await ldap.lock!(account(userName))).toMatchObject({ ok: false, reason: 'not_found' });
    },
  );

  it('still finds a real user with the same filter; unescaped, such input would have matched', async () => {
    expect(await ldap.status(account('bob'))).toMatchObject({
      ok: true,
      status: { exists: true, locked: false },
    });
    const raw = new Client({ url: slapd.url, timeout: 3000 });
    try {
      await raw.bind(SERVICE_DN, SERVICE_PASSWORD);
      const all = await raw.search(SUFFIX, { filter: '(&(objectClass=inetOrgPerson)(uid=*)(uid=*))' });
      expect(all.searchEntries.length).toBe(Object.keys(USERS).length);
      const prefix = await raw.search(SUFFIX, { filter: '(&(objectClass=inetOrgPerson)(uid=ali*))' });
      expect(prefix.searchEntries.map((e) => e.dn)).toEqual([dnOf('alice')]);
    } finally {
      await raw.unbind();
    }
  });
});

describe('errors', () => {
  it("the service DN's wrong password → not_permitted, without the password in the result", async () => {
    const bad = connector({ bindPassword: 'not-the-service-password' });
    const result = await bad.setPassword(account('bob'), 'bob-would-be-new-pw');
    expect(result).toMatchObject({ ok: false, reason: 'not_permitted', code: 'LDAP 49 invalidCredentials' });
    expect(JSON.stringify(result)).not.toMatch(/not-the-service-password|bob-would-be-new-pw/);
    expect(await bad.status(account('bob'))).toMatchObject({ ok: false, reason: 'not_permitted' });
  });

  it('slapd stopped → unavailable, and nothing half done', async () => {
    await slapd.stop();
    try {
      for (const result of [
        await ldap.setPassword(account('bob'), 'bob-while-down-pw'),
        await ldap.unlock(account('bob')),
        await ldap.lock!(account('bob')),
        await ldap.status(account('bob')),
      ]) {
        expect(result).toMatchObject({ ok: false, reason: 'unavailable', code: 'ECONNREFUSED' });
        expect(!result.ok && result.message).toBe('The directory could not be reached. Try again later.');
      }
    } finally {
      await slapd.start();
    }
    expect(await bindAs('bob', USERS.bob!)).toBe('ok');
    expect(await bindAs('bob', 'bob-while-down-pw')).toBe(49);
    expect(await ldap.status(account('bob'))).toMatchObject({ ok: true, status: { locked: false } });
  });

  it('slapd not answering → unavailable after the timeout, and nothing half done', async () => {
    const quick = connector({ timeoutMs: 300 });
    await slapd.freeze();
    let result;
    try {
      result = await quick.setPassword(account('bob'), 'bob-while-frozen-pw');
    } finally {
      slapd.thaw();
    }
    expect(result).toMatchObject({ ok: false, reason: 'unavailable', code: 'timeout' });
    expect(await bindAs('bob', USERS.bob!)).toBe('ok');
  });

  it('nothing listening at all → unavailable', async () => {
    const nowhere = connector({ url: 'ldap://127.0.0.1:1' });
    expect(await nowhere.status(account('bob'))).toMatchObject({ ok: false, reason: 'unavailable' });
  });
});

describe('configuration (validated when the connector is created)', () => {
  const base = {
    url: 'ldaps://ldap.example.com',
    bindDn: SERVICE_DN,
    bindPassword: 'secret-value-xyz',
    baseDn: SUFFIX,
    userFilter: '(uid={user})',
    timeoutMs: 5000,
  };

  it('accepts ldaps, StartTLS, and plain ldap:// on loopback only', () => {
    expect(() => validateLdapConfig(base)).not.toThrow();
    expect(() =>
      validateLdapConfig({ ...base, url: 'ldap://ldap.example.com', tls: { startTls: true } }),
    ).not.toThrow();
    expect(() => validateLdapConfig({ ...base, url: 'ldap://ldap.example.com' })).toThrow(/in clear/);
  });

  it('names the bad field and never shows the password', () => {
    expect(() => validateLdapConfig({ ...base, userFilter: '(uid=alice)' })).toThrow(/\/userFilter/);
    expect(() => validateLdapConfig({ ...base, userFilter: '(uid={user}' })).toThrow(/\/userFilter/);
    expect(() => validateLdapConfig({ ...base, timeoutMs: 'soon' })).toThrow(/\/timeoutMs/);
    expect(() => validateLdapConfig({ ...base, bindPassword: 42 })).toThrow(/\/bindPassword/);
    expect(() => validateLdapConfig({ ...base, extra: true })).toThrow(/LDAP directory/);
    try {
      validateLdapConfig({ ...base, url: 'ftp://x' });
    } catch (err) {
      expect(String(err)).not.toContain('secret-value-xyz');
    }
  });

  it('parses GeneralizedTime as ppolicy writes it', () => {
    expect(parseGeneralizedTime('20261201140615Z')?.toISOString()).toBe('2026-12-01T14:06:15.000Z');
    expect(parseGeneralizedTime('20261201140615.501887Z')?.toISOString()).toBe('2026-12-01T14:06:15.502Z');
    expect(parseGeneralizedTime('202612011406+0100')?.toISOString()).toBe('2026-12-01T13:06:00.000Z');
    expect(parseGeneralizedTime('')).toBeNull();
  });
});
