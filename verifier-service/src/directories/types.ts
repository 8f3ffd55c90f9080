// The directory connectors (issue 10): one interface for every place an account lives — ServiceNow `sys_user`,
// OpenLDAP, Active Directory, Microsoft Entra ID, Okta. The action step after a Verified pass calls exactly one
// method once (S13); a connector never retries a write on its own and reports every outcome as a DirectoryResult,
// so the caller can tell the requester what to do next and fail closed (action failed, attention on the ticket).
//
// Passwords pass through in memory only: a connector never logs, stores or echoes one (S12).

/** Who the account is: what the verification knows about the requester. */
export interface DirectoryAccount {
  /** ServiceNow sys_user.sys_id (the ServiceNow connector uses it; others may map it) */
  sysId: string | null;
  userName: string;
  email: string | null;
}

export type DirectoryFailure =
  /** The account does not exist in this directory (or the connector may not see it) */
  | 'not_found'
  /** The directory refused the password: history, minimum age, complexity, length… (`message` says which, in plain words) */
  | 'password_policy'
  /** The account is disabled or expired: resetting or unlocking will not let the person in */
  | 'account_disabled'
  /** The connector's own credentials were refused or lack the right */
  | 'not_permitted'
  /** The directory did not answer, answered 5xx, or throttled beyond the connector's patience */
  | 'unavailable'
  /** The directory cannot do this at all (e.g. Entra smart lockout cannot be cleared by an admin) */
  | 'unsupported';

export interface DirectoryError {
  ok: false;
  reason: DirectoryFailure;
  /** For the requester and the ticket, plain words, never a password or a secret */
  message: string;
  /** The directory's own code (LDAP result code + AD data code, Graph error code, Okta E0000xxx), for logs */
  code?: string;
  /** Seconds the directory asked to wait (429 Retry-After) */
  retryAfterSeconds?: number;
}

export type DirectoryResult = { ok: true; detail?: string } | DirectoryError;

export interface AccountStatus {
  exists: boolean;
  locked: boolean | null;
  disabled: boolean | null;
  /** The last password change, when the directory records it */
  passwordChangedAt: Date | null;
}

export interface DirectoryConnector {
  /** e.g. 'servicenow', 'ldap', 'active_directory', 'entra', 'okta' */
  readonly kind: string;
  status(account: DirectoryAccount): Promise<{ ok: true; status: AccountStatus } | DirectoryError>;
  setPassword(account: DirectoryAccount, newPassword: string): Promise<DirectoryResult>;
  unlock(account: DirectoryAccount): Promise<DirectoryResult>;
  /** Resets multi-factor enrolment (the person enrols again at next sign-in) */
  resetMfa(account: DirectoryAccount): Promise<DirectoryResult>;
  /** After a "This wasn't me": lock the account again where the directory can (S11) */
  lock?(account: DirectoryAccount): Promise<DirectoryResult>;
}
