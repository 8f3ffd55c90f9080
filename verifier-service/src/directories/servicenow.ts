// The ServiceNow `sys_user` directory (issue 10): the demo's default directory, and the right one wherever people
// sign in to the instance with a ServiceNow password. Everything goes through the Table API client as the
// integration user:
//
//   setPassword  PATCH sys_user/<sys_id>?sysparm_input_display_value=true {user_password, password_needs_reset=false}
//                (without the parameter an instance keeps the clear text as the stored, encrypted form and nobody
//                can sign in with it)
//   unlock       PATCH {locked_out=false}            lock  PATCH {locked_out=true}   (S11 "This wasn't me")
//   status       GET   active, locked_out, password_needs_reset; the last password change from sys_audit when the
//                integration user may read it
//   resetMfa     unsupported: sys_user holds no multi-factor enrolment (see MFA_UNSUPPORTED)
//
// The integration user needs `user_admin` (or an ACL granting write on sys_user.user_password and .locked_out);
// without it the instance answers 403 and the connector reports `not_permitted`. The connector writes once per
// call (the client repeats an idempotent PATCH only after a failure that may not have reached the instance) and
// never logs; every message is scrubbed of the password before it leaves (S12).

import {
  encodedQuery,
  isServiceNowError,
  type ServiceNowClient,
  type SnRecord,
} from '../clients/servicenow/client';
import type {
  AccountStatus,
  DirectoryAccount,
  DirectoryConnector,
  DirectoryError,
  DirectoryResult,
} from './types';

const USER_FIELDS = ['sys_id', 'user_name', 'active', 'locked_out', 'password_needs_reset'] as const;
const SYS_ID = /^[0-9a-f]{32}$/;

/** Why resetMfa is not offered for sys_user, in plain words (no documented sys_user field holds MFA enrolment). */
export const MFA_UNSUPPORTED =
  'ServiceNow user records do not hold multi-factor enrolment, so it cannot be reset here. ' +
  'Reset it where the person enrols their second factor (the identity provider, or an administrator in ' +
  "ServiceNow's multi-factor settings for that user).";

type Action = 'status' | 'setPassword' | 'unlock' | 'lock';

const ACTION_WORDS: Record<Action, string> = {
  status: 'read the account',
  setPassword: 'set the new password',
  unlock: 'unlock the account',
  lock: 'lock the account',
};

function fail(reason: DirectoryError['reason'], message: string, extra: Partial<DirectoryError> = {}) {
  return { ok: false as const, reason, message, ...extra };
}

/** Removes the password wherever it could appear (an echoing proxy, an instance's error detail). */
function scrubbed(text: string, secret: string | undefined): string {
  if (!secret) return text;
  return text.split(secret).join('[redacted]').split(encodeURIComponent(secret)).join('[redacted]');
}

/** A ServiceNow date-time (`YYYY-MM-DD HH:MM:SS`, UTC) as a Date, or null. */
function glideDate(value: string | undefined): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/.exec(value ?? '');
  if (!m) return null;
  const d = new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}Z`);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** Maps a client failure to the connector's outcome. `secret` is scrubbed from every message. */
export function serviceNowFailure(e: unknown, action: Action, secret?: string): DirectoryError {
  const what = ACTION_WORDS[action];
  if (!isServiceNowError(e)) {
    // The client validates names and ids before sending: a malformed reference cannot name an account.
    if (e instanceof TypeError) return fail('not_found', 'The account could not be found in ServiceNow.');
    return fail(
      'unavailable',
      `ServiceNow could not ${what} because of an unexpected error. Try again later.`,
    );
  }
  const code = e.status !== undefined ? `HTTP ${e.status}` : e.kind;
  const retryAfterSeconds =
    e.retryAfterMs !== undefined ? Math.max(1, Math.ceil(e.retryAfterMs / 1000)) : undefined;
  const detail = scrubbed(e.detail ?? '', secret);
  if (e.kind === 'auth' || e.status === 401) {
    return fail(
      'not_permitted',
      `ServiceNow did not accept the integration account's credentials, so it could not ${what}.`,
      { code },
    );
  }
  if (e.status === 403) {
    // An ACL refusal names the ACL; anything else is a business rule or data policy, e.g. a password rule.
    if (action === 'setPassword' && detail && !/\bACL\b/i.test(detail)) {
      return fail('password_policy', `ServiceNow refused the new password: ${detail}`, { code });
    }
    return fail(
      'not_permitted',
      `ServiceNow refused to let the integration account ${what}: it needs the user_admin role ` +
        '(or an ACL allowing it to change passwords and lock-out on user records).',
      { code },
    );
  }
  if (e.status === 404) return fail('not_found', 'The account could not be found in ServiceNow.', { code });
  if (e.retriable) {
    return fail(
      'unavailable',
      e.status === 429
        ? `ServiceNow is busy and asked to wait before trying again; it could not ${what}.`
        : `ServiceNow is not answering right now, so it could not ${what}. Try again in a few minutes.`,
      { code, ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}) },
    );
  }
  return fail('unavailable', `ServiceNow could not ${what} (${code}). Try again later.`, { code });
}

export function createServiceNowDirectory(client: ServiceNowClient): DirectoryConnector {
  /** The sys_user record of the account, or null when there is none (or it is not the named person). */
  async function find(account: DirectoryAccount): Promise<SnRecord | null> {
    let rec: SnRecord | null;
    if (account.sysId) {
      if (!SYS_ID.test(account.sysId)) return null;
      rec = await client.get('sys_user', account.sysId, { fields: USER_FIELDS });
    } else {
      if (!account.userName || account.userName.includes('^')) return null;
      const { records } = await client.query('sys_user', {
        query: encodedQuery(['user_name', '=', account.userName]),
        fields: USER_FIELDS,
        limit: 2,
      });
      // Queries are not reliably case-sensitive: only an exact, unique match names the account.
      const exact = records.filter((r) => r.user_name === account.userName);
      rec = exact.length === 1 ? (exact[0] as SnRecord) : null;
    }
    // S13: bound to one account — a sys_id that now belongs to someone else is not this account.
    if (rec && account.userName && rec.user_name?.toLowerCase() !== account.userName.toLowerCase())
      return null;
    return rec;
  }

  const notFound = (): DirectoryError => fail('not_found', 'The account could not be found in ServiceNow.');
  const disabled = (): DirectoryError =>
    fail(
      'account_disabled',
      'This account is deactivated in ServiceNow, so a new password or an unlock would not let the person ' +
        'sign in. The service desk needs to reactivate it first.',
    );

  async function patch(
    action: Action,
    rec: SnRecord,
    body: Record<string, string>,
    secret?: string,
  ): Promise<DirectoryResult | null> {
    try {
      await client.update('sys_user', rec.sys_id as string, body, {
        fields: ['sys_id'],
        ...(action === 'setPassword' ? { inputDisplayValue: true } : {}),
      });
      return null;
    } catch (e) {
      return serviceNowFailure(e, action, secret);
    }
  }

  return {
    kind: 'servicenow',

    async status(account) {
      let rec: SnRecord | null;
      try {
        rec = await find(account);
      } catch (e) {
        return serviceNowFailure(e, 'status');
      }
      if (!rec) {
        const status: AccountStatus = {
          exists: false,
          locked: null,
          disabled: null,
          passwordChangedAt: null,
        };
        return { ok: true, status };
      }
      let passwordChangedAt: Date | null = null;
      try {
        // Best effort: an instance auditing sys_user records password changes by name (never the value).
        const { records } = await client.query('sys_audit', {
          query: encodedQuery(
            ['tablename', '=', 'sys_user'],
            ['documentkey', '=', rec.sys_id as string],
            ['fieldname', '=', 'user_password'],
            { orderByDesc: 'sys_created_on' },
          ),
          fields: ['sys_created_on'],
          limit: 1,
        });
        passwordChangedAt = glideDate(records[0]?.sys_created_on);
      } catch {
        // sys_audit is often readable by admins only; the status stands without the date.
      }
      return {
        ok: true,
        status: {
          exists: true,
          locked: rec.locked_out === 'true',
          disabled: rec.active !== 'true',
          passwordChangedAt,
        },
      };
    },

    async setPassword(account, newPassword) {
      if (typeof newPassword !== 'string' || newPassword === '') {
        return fail('password_policy', 'Enter a new password.');
      }
      let rec: SnRecord | null;
      try {
        rec = await find(account);
      } catch (e) {
        return serviceNowFailure(e, 'setPassword', newPassword);
      }
      if (!rec) return notFound();
      if (rec.active !== 'true') return disabled();
      const failed = await patch(
        'setPassword',
        rec,
        { user_password: newPassword, password_needs_reset: 'false' },
        newPassword,
      );
      if (failed) return failed;
      return {
        ok: true,
        detail:
          rec.locked_out === 'true' ? 'Password set; the account is still locked out.' : 'Password set.',
      };
    },

    async unlock(account) {
      let rec: SnRecord | null;
      try {
        rec = await find(account);
      } catch (e) {
        return serviceNowFailure(e, 'unlock');
      }
      if (!rec) return notFound();
      if (rec.active !== 'true') return disabled();
      if (rec.locked_out !== 'true') return { ok: true, detail: 'The account was not locked.' };
      return (await patch('unlock', rec, { locked_out: 'false' })) ?? { ok: true, detail: 'Unlocked.' };
    },

    async lock(account) {
      let rec: SnRecord | null;
      try {
        rec = await find(account);
      } catch (e) {
        return serviceNowFailure(e, 'lock');
      }
      if (!rec) return notFound();
      if (rec.locked_out === 'true') return { ok: true, detail: 'The account was already locked.' };
      return (await patch('lock', rec, { locked_out: 'true' })) ?? { ok: true, detail: 'Locked.' };
    },

    async resetMfa() {
      return fail('unsupported', MFA_UNSUPPORTED);
    },
  };
}
