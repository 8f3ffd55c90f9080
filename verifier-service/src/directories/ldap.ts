// OpenLDAP with the ppolicy overlay, through `ldapts` (8.x: 9.x needs Node 22).
//
// Every call opens one connection, binds as the service DN, finds the person with the configured filter (the user
// name escaped per RFC 4515), does one thing and unbinds. No DN is ever built from input: the entry's DN is the one
// the directory returned for that escaped search, and it is passed back verbatim.
//
// - setPassword: the Password Modify extended operation (RFC 3062) as the service DN. The service DN must not be the
//   rootDN: the rootDN bypasses ppolicy's quality and history checks, and ppolicy's refusals (constraint violation
//   19, "Password fails quality checking policy", "…in history…", "…too young…") are what the person must see.
// - unlock: removes `pwdAccountLockedTime` and the failure count `pwdFailureTime` (otherwise one more wrong
//   password locks again at once). Both are operational: the service DN needs `manage` on them in the ACL, and
//   `pwdFailureTime` also needs the Relax control. `manage` on these two does not let it bypass the policy on
//   `userPassword`, where it has `write` only.
// - status: a locked person's correct bind also answers 49, so "locked" is read from `pwdAccountLockedTime`. With a
//   non-zero `pwdLockoutDuration` the attribute stays until the next bind after the duration, so "locked" may be
//   reported a little longer than the server would enforce it; unlocking then is harmless.
// - lock: `pwdAccountLockedTime: 000001010000Z`, ppolicy's "locked until an administrator unlocks". ppolicy
//   removes the lock when the password is changed (also by setPassword here), and unlock removes it too: a caller
//   that locks after "This wasn't me" must not run either afterwards without a new verification.
// - resetMfa: plain OpenLDAP has no multi-factor enrolment → 'unsupported'.
//
// A password never appears in a message, a code or a log line; this module logs nothing.
import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import {
  Attribute,
  BerWriter,
  Change,
  Client,
  Control,
  FilterParser,
  ResultCodeError,
  escapeFilter,
  type Entry,
} from 'ldapts';
import type { ConnectionOptions } from 'node:tls';
import type { AccountStatus, DirectoryAccount, DirectoryConnector, DirectoryError } from './types';

export const PASSWORD_MODIFY_OID = '1.3.6.1.4.1.4203.1.11.1';
/** Relax Rules control: needed to remove `pwdFailureTime` (NO-USER-MODIFICATION) with `manage` access */
export const RELAX_OID = '1.3.6.1.4.1.4203.666.5.12';
/** ppolicy's "locked until an administrator unlocks" value of pwdAccountLockedTime */
export const PERMANENT_LOCK = '000001010000Z';

export const ldapDirectoryConfigSchema = Type.Object(
  {
    /** ldaps://host[:port] or ldap://host[:port] (ldap:// only with tls.startTls, or on loopback) */
    url: Type.String({ pattern: '^ldaps?://[^/?#\\s]+/?$' }),
    /** The service account, e.g. cn=imper,ou=services,dc=example,dc=com — never the rootDN */
    bindDn: Type.String({ minLength: 3 }),
    bindPassword: Type.String({ minLength: 1 }),
    /** Where people are searched (subtree) */
    baseDn: Type.String({ minLength: 3 }),
    /** An RFC 4515 filter with `{user}` where the escaped user name goes, e.g. (uid={user}) */
    userFilter: Type.String({ pattern: '\\{user\\}' }),
    tls: Type.Optional(
      Type.Object(
        {
          /** Upgrade an ldap:// connection with StartTLS before binding */
          startTls: Type.Optional(Type.Boolean()),
          /** PEM of the CA that signed the directory's certificate (default: the system's CAs) */
          ca: Type.Optional(Type.String({ minLength: 1 })),
          /** The name to check the certificate against, when the URL uses an address */
          servername: Type.Optional(Type.String({ minLength: 1 })),
        },
        { additionalProperties: false },
      ),
    ),
    /** Connect and per-operation timeout */
    timeoutMs: Type.Integer({ minimum: 100, maximum: 60_000 }),
  },
  { additionalProperties: false },
);

export type LdapDirectoryConfig = Static<typeof ldapDirectoryConfigSchema>;

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** Validates the configuration; the message names the field, never a value (the password is one). */
export function validateLdapConfig(config: unknown): LdapDirectoryConfig {
  if (!Value.Check(ldapDirectoryConfigSchema, config)) {
    const first = Value.Errors(ldapDirectoryConfigSchema, config).First();
    throw new Error(
      `LDAP directory: ${first ? `${first.path || '/'} ${first.message}` : 'invalid configuration'}`,
    );
  }
  const url = new URL(config.url);
  if (url.protocol === 'ldap:' && !config.tls?.startTls && !LOOPBACK.has(url.hostname))
    throw new Error(
      'LDAP directory: /url ldap:// would send the service password in clear; use ldaps:// or tls.startTls',
    );
  if (url.protocol === 'ldaps:' && config.tls?.startTls)
    throw new Error('LDAP directory: /tls/startTls is for ldap:// URLs (ldaps:// is TLS from the start)');
  try {
    FilterParser.parseString(config.userFilter.replaceAll('{user}', 'x'));
  } catch {
    throw new Error('LDAP directory: /userFilter is not a valid LDAP filter');
  }
  return config;
}

// ppolicy's diagnostic messages (OpenLDAP servers/slapd/overlays/ppolicy.c) → plain words for the requester.
const POLICY_MESSAGES: [RegExp, string][] = [
  [
    /in history/i,
    'This password was used recently for this account. Choose a password you have not used before.',
  ],
  [
    /too young/i,
    'The password was changed very recently; the directory allows the next change only after a waiting period. Try again later.',
  ],
  [
    /quality|too short|length/i,
    "The new password does not meet the directory's password rules (for example, it is too short). Choose a longer password.",
  ],
];

const ERROR_NAMES: Record<number, string> = {
  1: 'operationsError',
  3: 'timeLimitExceeded',
  12: 'unavailableCriticalExtension',
  16: 'noSuchAttribute',
  19: 'constraintViolation',
  32: 'noSuchObject',
  49: 'invalidCredentials',
  50: 'insufficientAccessRights',
  51: 'busy',
  52: 'unavailable',
  53: 'unwillingToPerform',
  80: 'other',
};

function fail(reason: DirectoryError['reason'], message: string, code?: string): DirectoryError {
  return { ok: false, reason, message, ...(code ? { code } : {}) };
}

type Operation = 'status' | 'setPassword' | 'unlock' | 'lock';

/** Not found, or more than one entry for the filter: the action stops (S13) */
class Lookup extends Error {
  constructor(readonly result: DirectoryError) {
    super(result.message);
  }
}

function isTimeout(message: string, errno: string | undefined): boolean {
  return /timed? ?out|timeout/i.test(message) || errno === 'ETIMEDOUT';
}

function mapError(err: unknown, op: Operation, phase: 'bind' | 'search' | 'write'): DirectoryError {
  if (err instanceof Lookup) return err.result;
  if (err instanceof ResultCodeError) {
    const code = `LDAP ${err.code} ${ERROR_NAMES[err.code] ?? 'error'}`;
    if (phase === 'bind' && (err.code === 49 || err.code === 53))
      return fail(
        'not_permitted',
        "The directory refused the connector's service account credentials.",
        code,
      );
    if (err.code === 50)
      return fail(
        'not_permitted',
        "The connector's service account is not allowed to do this in the directory.",
        code,
      );
    if (err.code === 19 && op === 'setPassword') {
      const match = POLICY_MESSAGES.find(([re]) => re.test(err.message));
      return fail(
        'password_policy',
        match?.[1] ??
          'The directory refused the new password under its password policy. Choose a different password.',
        code,
      );
    }
    if (err.code === 32)
      return phase === 'search'
        ? fail(
            'not_permitted',
            "The directory's search base does not exist; check the connector's baseDn.",
            code,
          )
        : fail('not_found', 'The account no longer exists in the directory.', code);
    if (err.code === 53 || err.code === 12 || err.code === 19)
      return fail('not_permitted', 'The directory refused to perform this change.', code);
    return fail('unavailable', 'The directory could not complete the request. Try again later.', code);
  }
  // Socket errors come from Node's own realm (not `instanceof Error` under jest's vm): read them by shape
  const { message, code: errno } = (typeof err === 'object' && err !== null ? err : {}) as {
    message?: unknown;
    code?: unknown;
  };
  const errnoCode = typeof errno === 'string' ? errno : undefined;
  if (isTimeout(String(message ?? err), errnoCode))
    return fail(
      'unavailable',
      phase === 'write'
        ? 'The directory did not confirm the change in time. Check the account before trying again.'
        : 'The directory did not answer in time. Try again later.',
      'timeout',
    );
  return fail('unavailable', 'The directory could not be reached. Try again later.', errnoCode ?? 'network');
}

function first(entry: Entry, name: string): string | null {
  const key = Object.keys(entry).find((k) => k.toLowerCase() === name.toLowerCase());
  if (!key) return null;
  const value = entry[key];
  const v = Array.isArray(value) ? value[0] : value;
  if (v === undefined) return null;
  return Buffer.isBuffer(v) ? v.toString('utf8') : String(v);
}

/** RFC 4517 GeneralizedTime as ppolicy writes it (YYYYMMDDHHMMSS[.fff]Z) */
export function parseGeneralizedTime(value: string): Date | null {
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})?(?:[.,](\d+))?(Z|[+-]\d{4})$/.exec(value);
  if (!m) return null;
  const [, y, mo, d, h, mi, s = '00', frac = '0', zone] = m;
  const ms = Math.round(Number(`0.${frac}`) * 1000);
  let t = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), ms);
  if (zone !== 'Z') {
    const sign = zone!.startsWith('-') ? -1 : 1;
    t -= sign * (Number(zone!.slice(1, 3)) * 60 + Number(zone!.slice(3, 5))) * 60_000;
  }
  return new Date(t);
}

/** RFC 3062 PasswdModifyRequestValue: SEQUENCE { userIdentity [0] OCTET STRING, newPasswd [2] OCTET STRING } */
function passwordModifyValue(userDn: string, newPassword: string): Buffer {
  const writer = new BerWriter();
  writer.startSequence();
  writer.writeString(userDn, 0x80);
  writer.writeString(newPassword, 0x82);
  writer.endSequence();
  return writer.buffer;
}

function emptyReplace(type: string): Change {
  // RFC 4511 4.6: a replace with no values removes the attribute, and is a no-op when it is absent
  return new Change({ operation: 'replace', modification: new Attribute({ type, values: [] }) });
}

export function createLdapDirectory(input: LdapDirectoryConfig): DirectoryConnector {
  const config = validateLdapConfig(input);
  const tlsOptions: ConnectionOptions = {
    ...(config.tls?.ca ? { ca: config.tls.ca } : {}),
    ...(config.tls?.servername ? { servername: config.tls.servername } : {}),
    minVersion: 'TLSv1.2',
  };

  async function session<T>(
    op: Operation,
    fn: (client: Client, setPhase: (p: 'search' | 'write') => void) => Promise<T>,
  ): Promise<T | DirectoryError> {
    const client = new Client({
      url: config.url,
      timeout: config.timeoutMs,
      connectTimeout: config.timeoutMs,
      // ldapts opens TLS whenever tlsOptions is set; for ldap:// + StartTLS they go to startTLS() instead
      ...(config.url.startsWith('ldaps:') ? { tlsOptions } : {}),
    });
    let phase: 'bind' | 'search' | 'write' = 'bind';
    try {
      if (config.tls?.startTls) await client.startTLS(tlsOptions);
      await client.bind(config.bindDn, config.bindPassword);
      phase = 'search';
      return await fn(client, (p) => (phase = p));
    } catch (err) {
      return mapError(err, op, phase);
    } finally {
      await client.unbind().catch(() => undefined);
    }
  }

  async function find(
    client: Client,
    account: DirectoryAccount,
    attributes: string[],
  ): Promise<Entry | null> {
    const userName = account.userName;
    if (!userName || userName.length > 256) return null;
    const filter = config.userFilter.replaceAll('{user}', escapeFilter`${userName}`);
    const { searchEntries } = await client.search(config.baseDn, {
      scope: 'sub',
      filter,
      attributes: attributes.length ? attributes : ['1.1'],
      sizeLimit: 2,
      timeLimit: Math.max(1, Math.ceil(config.timeoutMs / 1000)),
    });
    if (searchEntries.length > 1)
      throw new Lookup(
        fail(
          'not_found',
          'More than one directory account matches this user name; nothing was changed.',
          'ambiguous',
        ),
      );
    return searchEntries[0] ?? null;
  }

  async function findOrFail(
    client: Client,
    account: DirectoryAccount,
    attributes: string[] = [],
  ): Promise<Entry> {
    const entry = await find(client, account, attributes);
    if (!entry)
      throw new Lookup(fail('not_found', 'No account with this user name exists in the directory.'));
    return entry;
  }

  return {
    kind: 'ldap',

    async status(account) {
      return session('status', async (client) => {
        const entry = await find(client, account, ['pwdAccountLockedTime', 'pwdChangedTime']);
        const status: AccountStatus = entry
          ? {
              exists: true,
              locked: first(entry, 'pwdAccountLockedTime') !== null,
              // OpenLDAP records no "disabled" state of its own (a permanent lock is reported as locked)
              disabled: null,
              passwordChangedAt: parseGeneralizedTime(first(entry, 'pwdChangedTime') ?? ''),
            }
          : { exists: false, locked: null, disabled: null, passwordChangedAt: null };
        return { ok: true as const, status };
      });
    },

    async setPassword(account, newPassword) {
      if (!newPassword) return fail('password_policy', 'The new password is empty.');
      return session('setPassword', async (client, setPhase) => {
        const entry = await findOrFail(client, account);
        setPhase('write');
        await client.exop(PASSWORD_MODIFY_OID, passwordModifyValue(entry.dn, newPassword));
        // ppolicy clears a lock when the password changes; read back whether one remains (a failed read-back does
        // not undo a change that is made)
        const after = await client
          .search(entry.dn, { scope: 'base', attributes: ['pwdAccountLockedTime'] })
          .then(
            ({ searchEntries }) => searchEntries[0],
            () => undefined,
          );
        const stillLocked = after !== undefined && first(after, 'pwdAccountLockedTime') !== null;
        return {
          ok: true as const,
          detail: stillLocked ? 'password changed; the account is still locked' : 'password changed',
        };
      });
    },

    async unlock(account) {
      return session('unlock', async (client, setPhase) => {
        const entry = await findOrFail(client, account, ['pwdAccountLockedTime']);
        const wasLocked = first(entry, 'pwdAccountLockedTime') !== null;
        setPhase('write');
        await client.modify(
          entry.dn,
          [emptyReplace('pwdAccountLockedTime'), emptyReplace('pwdFailureTime')],
          new Control(RELAX_OID, { critical: true }),
        );
        return { ok: true as const, detail: wasLocked ? 'unlocked' : 'the account was not locked' };
      });
    },

    async resetMfa() {
      return fail(
        'unsupported',
        'This directory (OpenLDAP) has no multi-factor enrolment to reset. Ask the service desk about the sign-in method you use.',
        'no_mfa',
      );
    },

    async lock(account) {
      return session('lock', async (client, setPhase) => {
        const entry = await findOrFail(client, account);
        setPhase('write');
        await client.modify(
          entry.dn,
          new Change({
            operation: 'replace',
            modification: new Attribute({ type: 'pwdAccountLockedTime', values: [PERMANENT_LOCK] }),
          }),
        );
        return { ok: true as const, detail: 'locked until an administrator unlocks' };
      });
    },
  };
}
