// Active Directory over LDAPS (ldapts 8). Tested against a real Samba AD DC (test/directories/samba.ts).
//
// - Password reset = an administrative reset: one modify that replaces `unicodePwd` with the new password in
//   double quotes, UTF-16LE. AD accepts it only over an encrypted connection, so the URL must be ldaps://.
//   The reset carries LDAP_SERVER_POLICY_HINTS (1.2.840.113556.1.4.2239, not critical): Windows Server 2012 R2
//   and later then apply password history and minimum age to the reset as to a change by the person, which is
//   what a self-service reset is. Without the hint (or on Samba 4.17, which does not implement it) a reset is
//   checked for length and complexity only.
// - Unlock = `lockoutTime` replaced with 0 (the one value AD lets a client write there).
// - Lock (after "This wasn't me", S11) = set ACCOUNTDISABLE in `userAccountControl`. AD has no administrative
//   lockout (a client may write only 0 to `lockoutTime`), and disabling is the one directory-side stop: it does
//   not expire with the lockout duration, `unlock()` does not undo it, and the person cannot re-enable it
//   through the portal (a disabled account is refused as `account_disabled`), so an administrator re-enables
//   the account after the security review. The connector's account needs write access to `userAccountControl`
//   for this, beyond the helpdesk rights "reset password" and "write lockoutTime".
// - MFA: on-premises AD has none to reset → `unsupported`.
// - Every call opens one connection, binds as the service account, finds the account by `sAMAccountName` or
//   `userPrincipalName` with filter objects (encoded as BER, never parsed from a string: no filter injection,
//   S13), uses the DN the directory returned (no DN is ever built from input), and closes. Nothing retries a
//   write; every failure comes back as a DirectoryError, so the caller fails closed.
import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import {
  AndFilter,
  Attribute,
  BerWriter,
  Change,
  Client,
  Control,
  EqualityFilter,
  OrFilter,
  ResultCodeError,
  type Entry,
} from 'ldapts';
import type {
  AccountStatus,
  DirectoryAccount,
  DirectoryConnector,
  DirectoryError,
  DirectoryResult,
} from './types';

export const ActiveDirectoryConfigSchema = Type.Object(
  {
    /** ldaps://dc.example.com[:636] — LDAPS only: AD refuses password writes on an unencrypted connection */
    url: Type.String({ pattern: '^ldaps://[^/\\s]+/?$' }),
    /** The service account (not a Domain Admin: delegate "Reset password", lockoutTime, userAccountControl) */
    bindDn: Type.String({ minLength: 3 }),
    bindPassword: Type.String({ minLength: 1 }),
    /** Where accounts are looked up (subtree) */
    baseDn: Type.String({ minLength: 3 }),
    tls: Type.Optional(
      Type.Object(
        {
          /** PEM of the CA that issued the DC's certificate (default: Node's trusted CAs) */
          ca: Type.Optional(Type.String({ minLength: 1 })),
          /** Default true. False accepts any certificate: only for a lab, never production */
          rejectUnauthorized: Type.Optional(Type.Boolean()),
          /** The name on the DC's certificate, when the URL names the DC by address or another name */
          servername: Type.Optional(Type.String({ minLength: 1 })),
        },
        { additionalProperties: false },
      ),
    ),
    /** Per connection and per operation (default 10 s) */
    timeoutMs: Type.Optional(Type.Integer({ minimum: 100, maximum: 120_000 })),
    /** Send the policy-hints control so AD applies history and minimum age to resets (default true) */
    enforcePasswordHistory: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type ActiveDirectoryConfig = Static<typeof ActiveDirectoryConfigSchema>;

export interface ActiveDirectoryConnector extends DirectoryConnector {
  readonly kind: 'active_directory';
  lock(account: DirectoryAccount): Promise<DirectoryResult>;
  /**
   * Binds as the person with a password and reports what AD answers (bad password, locked, disabled, expired,
   * must change…). A wrong password counts as a failed sign-in in AD and can lock the account.
   */
  checkPassword(account: DirectoryAccount, password: string): Promise<DirectoryResult>;
}

// userAccountControl and msDS-User-Account-Control-Computed flags [MS-ADTS 2.2.16]
const UF_ACCOUNTDISABLE = 0x2;
const UF_LOCKOUT = 0x10;

const ATTRIBUTES = [
  'userAccountControl',
  'msDS-User-Account-Control-Computed',
  'lockoutTime',
  'pwdLastSet',
  'accountExpires',
];

export function createActiveDirectory(input: ActiveDirectoryConfig): ActiveDirectoryConnector {
  const problems = [...Value.Errors(ActiveDirectoryConfigSchema, input)].map(
    (e) => `${e.path || '/'}: ${e.message}`,
  );
  if (problems.length > 0) throw new Error(`Active Directory connector config: ${problems.join('; ')}`);
  const config = input;
  const timeoutMs = config.timeoutMs ?? 10_000;

  function newClient() {
    return new Client({
      url: config.url,
      timeout: timeoutMs,
      connectTimeout: timeoutMs,
      tlsOptions: {
        ca: config.tls?.ca,
        rejectUnauthorized: config.tls?.rejectUnauthorized ?? true,
        servername: config.tls?.servername,
        minVersion: 'TLSv1.2',
      },
    });
  }

  /** One connection bound as the service account, for one use; closed whatever happens. */
  async function asService<T>(
    what: Operation,
    fn: (client: Client) => Promise<T | DirectoryError>,
  ): Promise<T | DirectoryError> {
    const client = newClient();
    try {
      try {
        await client.bind(config.bindDn, config.bindPassword);
      } catch (err) {
        return serviceBindError(err);
      }
      return await fn(client);
    } catch (err) {
      return mapAdError(err, what);
    } finally {
      await client.unbind().catch(() => undefined);
    }
  }

  async function find(client: Client, account: DirectoryAccount): Promise<FoundAccount | DirectoryError> {
    const name = account.userName.trim();
    if (name.length === 0 || name.length > 256) return notFound();
    const filter = new AndFilter({
      filters: [
        new EqualityFilter({ attribute: 'objectCategory', value: 'person' }),
        new EqualityFilter({ attribute: 'objectClass', value: 'user' }),
        new OrFilter({
          filters: [
            new EqualityFilter({ attribute: 'sAMAccountName', value: name }),
            new EqualityFilter({ attribute: 'userPrincipalName', value: name }),
          ],
        }),
      ],
    });
    const { searchEntries } = await client.search(config.baseDn, {
      scope: 'sub',
      filter,
      attributes: ATTRIBUTES,
      sizeLimit: 2,
    });
    if (searchEntries.length === 0) return notFound();
    if (searchEntries.length > 1) {
      return {
        ok: false,
        reason: 'not_found',
        message: 'More than one directory account matches this user name; an administrator must resolve it.',
        code: 'ambiguous',
      };
    }
    const entry = searchEntries[0]!;
    return { dn: entry.dn, entry, status: statusOf(entry) };
  }

  function refusedWhenDisabled(found: FoundAccount): DirectoryError | null {
    if (!found.status.disabled) return null;
    return {
      ok: false,
      reason: 'account_disabled',
      message:
        'The account is disabled or expired in Active Directory, so this would not let the person sign in. ' +
        'An administrator must re-enable it.',
      code: 'disabled',
    };
  }

  return {
    kind: 'active_directory',

    async status(account) {
      return asService('status', async (client) => {
        const found = await find(client, account);
        if ('ok' in found) {
          return found.reason === 'not_found' && found.code !== 'ambiguous'
            ? {
                ok: true as const,
                status: { exists: false, locked: null, disabled: null, passwordChangedAt: null },
              }
            : found;
        }
        return { ok: true as const, status: found.status };
      });
    },

    async setPassword(account, newPassword) {
      return asService('setPassword', async (client): Promise<DirectoryResult> => {
        const found = await find(client, account);
        if ('ok' in found) return found;
        const disabled = refusedWhenDisabled(found);
        if (disabled) return disabled;
        await client.modify(
          found.dn,
          new Change({
            operation: 'replace',
            modification: new Attribute({ type: 'unicodePwd', values: [unicodePwd(newPassword)] }),
          }),
          config.enforcePasswordHistory === false ? [] : [new PolicyHintsControl()],
        );
        return {
          ok: true,
          detail: found.status.locked
            ? 'Password reset. The account is still locked out: unlock it too.'
            : 'Password reset.',
        };
      });
    },

    async unlock(account) {
      return asService('unlock', async (client): Promise<DirectoryResult> => {
        const found = await find(client, account);
        if ('ok' in found) return found;
        const disabled = refusedWhenDisabled(found);
        if (disabled) return disabled;
        await client.modify(
          found.dn,
          new Change({
            operation: 'replace',
            modification: new Attribute({ type: 'lockoutTime', values: ['0'] }),
          }),
        );
        return {
          ok: true,
          detail: found.status.locked ? 'Account unlocked.' : 'The account was not locked.',
        };
      });
    },

    async lock(account) {
      return asService('lock', async (client): Promise<DirectoryResult> => {
        const found = await find(client, account);
        if ('ok' in found) return found;
        const uacText = first(found.entry, 'userAccountControl');
        const uac = uacText === null ? NaN : Number(uacText);
        if (!Number.isInteger(uac)) {
          return { ok: false, reason: 'not_permitted', message: 'The account’s flags could not be read.' };
        }
        if (uac & UF_ACCOUNTDISABLE) return { ok: true, detail: 'The account was already disabled.' };
        // Delete the value read and add the new one in one modify: if anything changed the flags meanwhile, the
        // delete fails (no such value) and nothing is written, instead of overwriting that change.
        await client.modify(found.dn, [
          new Change({
            operation: 'delete',
            modification: new Attribute({ type: 'userAccountControl', values: [String(uac)] }),
          }),
          new Change({
            operation: 'add',
            modification: new Attribute({
              type: 'userAccountControl',
              values: [String(uac | UF_ACCOUNTDISABLE)],
            }),
          }),
        ]);
        return {
          ok: true,
          detail:
            'Account disabled (Active Directory has no administrative lock). An administrator must re-enable it.',
        };
      });
    },

    async resetMfa() {
      return {
        ok: false,
        reason: 'unsupported',
        message:
          'On-premises Active Directory has no multi-factor enrolment to reset. MFA lives in the identity ' +
          'provider in front of it (for example Entra ID or Okta): reset it there.',
      };
    },

    async checkPassword(account, password) {
      // An LDAP simple bind with an empty password is an anonymous bind, which "succeeds" (RFC 4513 5.1.2).
      if (password.length === 0) {
        return { ok: false, reason: 'not_permitted', message: 'The user name or password is incorrect.' };
      }
      return asService('checkPassword', async (client): Promise<DirectoryResult> => {
        const found = await find(client, account);
        if ('ok' in found) return found;
        const asUser = newClient();
        try {
          await asUser.bind(found.dn, password);
          return { ok: true, detail: 'The password is accepted.' };
        } catch (err) {
          if (err instanceof ResultCodeError && err.code === 49) {
            return (
              mapAdBindError(err.message) ?? {
                ok: false,
                reason: 'not_permitted',
                message: 'Active Directory refused the sign-in.',
                code: 'ldap 49',
              }
            );
          }
          return mapAdError(err, 'checkPassword');
        } finally {
          await asUser.unbind().catch(() => undefined);
        }
      });
    },
  };
}

type Operation = 'status' | 'setPassword' | 'unlock' | 'lock' | 'checkPassword';

interface FoundAccount {
  dn: string;
  entry: Entry;
  status: AccountStatus;
}

function notFound(): DirectoryError {
  return { ok: false, reason: 'not_found', message: 'No Active Directory account has this user name.' };
}

/** LDAP_SERVER_POLICY_HINTS [MS-ADTS 3.1.1.3.4.1.29]: value SEQUENCE { Flags INTEGER } with 1 = enforce policy. */
class PolicyHintsControl extends Control {
  static readonly type = '1.2.840.113556.1.4.2239';
  constructor() {
    super(PolicyHintsControl.type, { critical: false });
  }
  protected override writeControl(writer: BerWriter): void {
    const value = new BerWriter();
    value.startSequence();
    value.writeInt(1);
    value.endSequence();
    writer.writeBuffer(value.buffer, 0x04);
  }
}

/** AD's unicodePwd syntax: the password in double quotes, UTF-16LE. */
function unicodePwd(password: string): Buffer {
  return Buffer.from(`"${password}"`, 'utf16le');
}

function first(entry: Entry, attribute: string): string | null {
  const value = entry[attribute];
  const v = Array.isArray(value) ? value[0] : value;
  if (v === undefined) return null;
  return Buffer.isBuffer(v) ? v.toString('utf8') : String(v);
}

/** FILETIME (100 ns since 1601-01-01 UTC) → Date; 0 and "never" → null. */
export function fileTimeToDate(value: string | null): Date | null {
  if (value === null || !/^\d+$/.test(value)) return null;
  const ft = BigInt(value);
  if (ft === 0n || ft >= 0x7fffffffffffffffn) return null;
  return new Date(Number(ft / 10_000n - 11_644_473_600_000n));
}

function statusOf(entry: Entry, now = new Date()): AccountStatus {
  const uac = Number(first(entry, 'userAccountControl') ?? '0');
  const computedText = first(entry, 'msDS-User-Account-Control-Computed');
  const lockoutTime = first(entry, 'lockoutTime');
  const expires = fileTimeToDate(first(entry, 'accountExpires'));
  // The computed flags know the lockout duration (a lockout that has run out shows unlocked although lockoutTime
  // still holds its start); lockoutTime alone is the fallback.
  const locked =
    computedText !== null
      ? (Number(computedText) & UF_LOCKOUT) !== 0
      : lockoutTime !== null && lockoutTime !== '0';
  const expired = expires !== null && expires.getTime() <= now.getTime();
  return {
    exists: true,
    locked,
    disabled: (uac & UF_ACCOUNTDISABLE) !== 0 || expired,
    passwordChangedAt: fileTimeToDate(first(entry, 'pwdLastSet')),
  };
}

// --- Errors --------------------------------------------------------------------------------------------------

const BIND_DATA_CODES: Record<string, Omit<DirectoryError, 'ok' | 'code'>> = {
  '525': { reason: 'not_found', message: 'No Active Directory account has this name.' },
  '52e': { reason: 'not_permitted', message: 'The user name or password is incorrect.' },
  '530': { reason: 'not_permitted', message: 'The account may not sign in at this time of day.' },
  '531': { reason: 'not_permitted', message: 'The account may not sign in from this computer.' },
  '532': { reason: 'password_policy', message: 'The password has expired and must be changed.' },
  '533': { reason: 'account_disabled', message: 'The account is disabled.' },
  '568': { reason: 'not_permitted', message: 'The account belongs to too many groups to sign in.' },
  '701': { reason: 'account_disabled', message: 'The account has expired.' },
  '773': {
    reason: 'password_policy',
    message: 'The password must be changed before the account can sign in.',
  },
  '775': {
    reason: 'not_permitted',
    message:
      'The account is locked out after too many failed sign-ins; it must be unlocked or the lockout wait out.',
  },
};

/**
 * Maps AD's answer to a bind (LDAP 49 "AcceptSecurityContext error, data 775, …") or a password refusal
 * (0000052D) to an outcome in plain words; null when the message carries neither.
 */
export function mapAdBindError(message: string): DirectoryError | null {
  if (/\b0000052D\b/i.test(message)) {
    return {
      ok: false,
      reason: 'password_policy',
      message: describePolicyRefusal(message),
      code: '0000052D',
    };
  }
  const data = /\bdata ([0-9a-f]{3,8})\b/i.exec(message)?.[1]?.toLowerCase();
  if (!data) return null;
  const known = BIND_DATA_CODES[data.replace(/^0+(?=.{3})/, '')];
  if (!known) return null;
  return { ok: false, ...known, code: `ldap 49, data ${data}` };
}

/** AD's password refusals in plain words; Samba names the rule, Windows only says 0000052D. */
function describePolicyRefusal(message: string): string {
  const m = message.toLowerCase();
  if (m.includes('too short')) {
    const min = /longer than (\d+) characters/.exec(m)?.[1];
    return min
      ? `The password is too short for this directory: it needs at least ${min} characters.`
      : 'The password is too short for this directory.';
  }
  if (m.includes('complexity')) {
    return (
      'The password does not meet this directory’s complexity rule: it needs characters of three kinds ' +
      '(capital letters, small letters, digits, symbols) and must not contain the user name.'
    );
  }
  if (m.includes('history')) return 'That password was used recently. Choose one you have not used before.';
  if (m.includes('too young') || m.includes('minimum password age')) {
    return 'The password was changed too recently to change it again yet. Try again later.';
  }
  if (m.includes('too long')) return 'The password is too long for this directory.';
  return (
    'The directory refused the new password under its password policy: it may be too short, too simple, ' +
    'contain the user name, have been used recently, or the password was changed too recently.'
  );
}

function serviceBindError(err: unknown): DirectoryError {
  if (err instanceof ResultCodeError && err.code === 49) {
    const data = mapAdBindError(err.message);
    return {
      ok: false,
      reason: 'not_permitted',
      message:
        'Active Directory refused the connector’s own sign-in' +
        (data ? ` (${data.message.replace(/\.$/, '')})` : '') +
        '. Check the service account in the tenant configuration.',
      code: data?.code ?? 'ldap 49',
    };
  }
  return mapAdError(err, 'bind');
}

const UNREACHED_CODES = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
]);

function mapAdError(err: unknown, what: Operation | 'bind'): DirectoryError {
  if (err instanceof ResultCodeError) {
    const ldap = `ldap ${err.code}`;
    const code = /\b0000052D\b/i.test(err.message) ? `${ldap}, 0000052D` : ldap;
    switch (err.code) {
      case 19: // constraintViolation
        return {
          ok: false,
          reason: what === 'setPassword' ? 'password_policy' : 'not_permitted',
          message:
            what === 'setPassword'
              ? describePolicyRefusal(err.message)
              : 'Active Directory refused the change (constraint violation).',
          code,
        };
      case 53: // unwillingToPerform: Windows answers a reset that fails the policy with 53 + 0000052D
        if (/\b0000052D\b/i.test(err.message)) {
          return { ok: false, reason: 'password_policy', message: describePolicyRefusal(err.message), code };
        }
        return {
          ok: false,
          reason: 'not_permitted',
          message:
            'Active Directory will not make this change (it refuses password writes without encryption, and ' +
            'some accounts may not be changed).',
          code,
        };
      case 50: // insufficientAccessRights
        return {
          ok: false,
          reason: 'not_permitted',
          message:
            'The connector’s service account lacks the right to change this account in Active Directory.',
          code,
        };
      case 8: // strongAuthRequired
      case 13: // confidentialityRequired
        return {
          ok: false,
          reason: 'not_permitted',
          message: 'Active Directory requires an encrypted, authenticated connection for this.',
          code,
        };
      case 4: // sizeLimitExceeded: more than two accounts answer to the name
        return {
          ok: false,
          reason: 'not_found',
          message:
            'More than one directory account matches this user name; an administrator must resolve it.',
          code: 'ambiguous',
        };
      case 32: // noSuchObject: the base DN is wrong, or the entry went away
        return {
          ok: false,
          reason: 'not_found',
          message: 'The directory has no such entry (check baseDn).',
          code,
        };
      default:
        return {
          ok: false,
          reason: 'unavailable',
          message: 'Active Directory could not complete the request. Nothing was changed; try again later.',
          code,
        };
    }
  }
  const e = err as { code?: unknown; message?: unknown };
  const sysCode = typeof e?.code === 'string' ? e.code : undefined;
  const message = typeof e?.message === 'string' ? e.message : '';
  if (
    sysCode &&
    (/CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ALTNAME/.test(sysCode) || sysCode.startsWith('ERR_TLS'))
  ) {
    return {
      ok: false,
      reason: 'unavailable',
      message:
        'The directory’s TLS certificate is not trusted (check tls.ca and the name on the certificate).',
      code: sysCode,
    };
  }
  const timedOut = /timeout/i.test(message) || sysCode === 'ETIMEDOUT';
  if (timedOut) {
    return {
      ok: false,
      reason: 'unavailable',
      message: 'Active Directory did not answer in time. Try again later.',
      code: 'timeout',
    };
  }
  // Refused or unresolvable: no request reached the directory.
  const unreached = sysCode !== undefined && UNREACHED_CODES.has(sysCode);
  return {
    ok: false,
    reason: 'unavailable',
    message: unreached
      ? 'Active Directory could not be reached. Nothing was changed; try again later.'
      : 'The connection to Active Directory failed. Try again later.',
    code: sysCode && NETWORK_CODES.has(sysCode) ? sysCode : 'network',
  };
}
