// F8/S18: the console's local accounts, sign-in and sessions.
//
// - Passwords are hashed with Argon2id at OWASP's parameters (m=19456 KiB, t=2, p=1). Every sign-in runs one
//   verification, against a dummy hash when the user name is unknown, so the time taken does not tell whether an
//   account exists; an unknown user, a wrong password, a wrong or reused code and a locked account all give the same
//   answer (the caller shows one message).
// - Optional TOTP (RFC 6238: SHA-1, 6 digits, 30 s, ±1 step); the secret is sealed with the data key and the last
//   accepted step is stored, so a code is never accepted twice.
// - After LOGIN_LOCK_AFTER failures an account is locked for LOGIN_LOCK_MINUTES (S16; the route adds a per-IP limit).
// - A session id has 256 bits; only its SHA-256 is stored. Sessions end after `CONSOLE_SESSION_IDLE_MINUTES` without a
//   request and at the latest `CONSOLE_SESSION_MAX_HOURS` after sign-in; signing out deletes the row; a password change
//   ends the user's other sessions.
// - Sign-ins, failures, sign-outs and account changes are audit events (verificationId null); a password never is.
import { hash as argon2Hash, verify as argon2Verify, type Algorithm, type Options } from '@node-rs/argon2';
import { Secret, TOTP } from 'otpauth';
import type { FastifyReply } from 'fastify';
import { CONSOLE_ROLES, isConsoleRole, type ConsoleRole } from '@imper/shared';
import type { Config } from '../config';
import type { Deps } from '../context';
import { checkPassword } from '../domain/password-policy';
import { AppError } from '../errors';
import { setCookie } from '../lib/cookies';
import { hmac, newToken, sha256 } from '../lib/crypto';
import { appendAuditEvent } from '../repositories/audit';
import type { Transaction } from 'kysely';
import type { Database } from '../db/schema';
import {
  claimTotpCounter,
  clearLoginFailures,
  countActiveAdmins,
  deleteConsoleSession,
  deleteSessionsOfUser,
  findConsoleSession,
  findConsoleUserById,
  findConsoleUserBySsoSubject,
  findConsoleUserByUsername,
  insertConsoleSession,
  insertConsoleUser,
  listConsoleUsersOfTenant,
  lockConsoleUsersOfTenant,
  recordFailedLogin,
  recordSuccessfulLogin,
  setDisabled,
  setPasswordHash,
  setRoles,
  setTotpSecret,
  touchConsoleSession,
  updateSsoUser,
  type ConsoleUserRecord,
} from '../repositories/console-users';

export { CONSOLE_ROLES, type ConsoleRole };

/** Who is signed in to the console (`req.consoleUser`). Routes filter every query by `tenantId` (S18). */
export interface ConsoleUser {
  id: string;
  tenantId: string;
  username: string;
  name: string;
  roles: ConsoleRole[];
  via: 'password' | 'sso';
}

/** The signed-in session (`req.consoleSession`): what the anti-CSRF value is bound to. */
export interface ConsoleSession {
  idHash: Buffer;
  csrf: string;
  expiresAt: Date;
}

export type ConsoleUserDeps = Pick<Deps, 'db' | 'sealer' | 'clock'>;
export type ConsoleSessionDeps = Pick<Deps, 'db' | 'clock' | 'keys'> & {
  config: Pick<Config, 'console' | 'cookieSecure'>;
};

export const CONSOLE_PASSWORD_MIN_LENGTH = 12;
export const LOGIN_LOCK_AFTER = 5;
export const LOGIN_LOCK_MINUTES = 15;
export const USERNAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._@+-]{0,119}$/;

// Argon2id = 2 (the package's `Algorithm` is a const enum, which isolated modules cannot read).
const ARGON2: Options = { algorithm: 2 as Algorithm, memoryCost: 19456, timeCost: 2, parallelism: 1 };

export const hashConsolePassword = (password: string) => argon2Hash(password, ARGON2);

let dummyHash: Promise<string> | undefined;
/** A hash no password matches, with the same parameters: verified when the account is unknown (timing). */
const dummy = () => (dummyHash ??= argon2Hash(newToken(), ARGON2));

const toUser = (u: ConsoleUserRecord, via: ConsoleUser['via']): ConsoleUser => ({
  id: u.id,
  tenantId: u.tenantId,
  username: u.username,
  name: u.name,
  roles: u.roles,
  via,
});

function checkRoles(roles: readonly string[]): ConsoleRole[] {
  const unique = [...new Set(roles)];
  if (!unique.length || !unique.every(isConsoleRole))
    throw new AppError('VALIDATION_FAILED', `Roles must be some of ${CONSOLE_ROLES.join(', ')}.`);
  return unique as ConsoleRole[];
}

function checkUsername(username: string) {
  if (!USERNAME_PATTERN.test(username))
    throw new AppError(
      'VALIDATION_FAILED',
      'A user name is 1 to 120 letters, digits and . _ @ + - (starting with a letter or digit).',
    );
}

/** S12 as for the portal's passwords, with the console's floor of 12 characters and the user's own words refused. */
export function consolePasswordProblem(password: string, context: string[]): string | null {
  const r = checkPassword(password, { minLength: CONSOLE_PASSWORD_MIN_LENGTH, context });
  return r.ok ? null : r.message;
}

/** A generated password (bootstrap, demo): 144 random bits. */
export const generateConsolePassword = () => newToken(18);

async function audit(
  deps: Pick<Deps, 'db' | 'clock'>,
  e: { tenantId: string; type: string; actor: string; data: Record<string, unknown> },
) {
  await deps.db
    .transaction()
    .execute((trx) => appendAuditEvent(trx, { ...e, verificationId: null, createdAt: deps.clock.now() }));
}

export interface CreateConsoleUserInput {
  tenantId: string;
  username: string;
  name?: string;
  roles: readonly string[];
  /** Omit to generate one (returned once) */
  password?: string;
  /** Who did it, for the audit trail (default `cli`) */
  actor?: string;
}

/** Creates a local console user (password sign-in). Returns the user and the password (generated when not given). */
export async function createConsoleUser(
  deps: ConsoleUserDeps,
  input: CreateConsoleUserInput,
): Promise<{ user: ConsoleUserRecord; password: string }> {
  checkUsername(input.username);
  const roles = checkRoles(input.roles);
  const name = (input.name ?? input.username).trim().slice(0, 200) || input.username;
  const password = input.password ?? generateConsolePassword();
  const problem = consolePasswordProblem(password, [input.username, name]);
  if (problem) throw new AppError('VALIDATION_FAILED', problem);
  if (await findConsoleUserByUsername(deps.db, input.tenantId, input.username))
    throw new AppError('VALIDATION_FAILED', `A console user named ${input.username} exists already.`);
  const passwordHash = await hashConsolePassword(password);
  const taken = (err: unknown) => {
    // Two creations of the same name at once: the unique index decides, the loser is told as above.
    if ((err as { code?: string }).code === '23505')
      throw new AppError('VALIDATION_FAILED', `A console user named ${input.username} exists already.`);
    throw err;
  };
  const user = await deps.db
    .transaction()
    .execute(async (trx) => {
      const u = await insertConsoleUser(trx, {
        tenantId: input.tenantId,
        username: input.username,
        name,
        passwordHash,
        roles,
        createdAt: deps.clock.now(),
      });
      await appendAuditEvent(trx, {
        tenantId: u.tenantId,
        verificationId: null,
        type: 'console.user_created',
        actor: input.actor ?? 'cli',
        data: { userId: u.id, username: u.username, roles: u.roles, via: 'password' },
        createdAt: deps.clock.now(),
      });
      return u;
    })
    .catch(taken);
  return { user, password };
}

/** The first admin of a tenant: refused once the tenant has an active admin. */
export async function bootstrapConsoleAdmin(
  deps: ConsoleUserDeps,
  input: { tenantId: string; username: string; name?: string; password?: string },
) {
  if ((await countActiveAdmins(deps.db, input.tenantId)) > 0)
    throw new AppError(
      'INVALID_STATE',
      'This tenant has a console admin already; an admin creates further users (console-user create).',
    );
  return createConsoleUser(deps, { ...input, roles: ['admin'], actor: 'bootstrap' });
}

/**
 * The user an OpenID Connect sign-in maps to (F8 SSO): found by the IdP's `sub` within the tenant, created on first
 * sign-in, and its user name, name and roles refreshed from the IdP's claims on every sign-in. SSO users have no
 * password. A local user with the same user name is not taken over (VALIDATION_FAILED).
 */
export async function upsertSsoUser(
  deps: Pick<Deps, 'db' | 'clock'>,
  input: { tenantId: string; subject: string; username: string; name: string; roles: readonly string[] },
): Promise<ConsoleUserRecord> {
  const roles = checkRoles(input.roles);
  const name = input.name.trim().slice(0, 200) || input.username;
  const existing = await findConsoleUserBySsoSubject(deps.db, input.tenantId, input.subject);
  const sameName = await findConsoleUserByUsername(deps.db, input.tenantId, input.username);
  if (sameName && sameName.id !== existing?.id)
    throw new AppError('VALIDATION_FAILED', `Another console user is named ${input.username}.`);
  if (existing) return updateSsoUser(deps.db, existing.id, { username: input.username, name, roles });
  return deps.db.transaction().execute(async (trx) => {
    const u = await insertConsoleUser(trx, {
      tenantId: input.tenantId,
      username: input.username,
      name,
      passwordHash: null,
      roles,
      ssoSubject: input.subject,
      createdAt: deps.clock.now(),
    });
    await appendAuditEvent(trx, {
      tenantId: u.tenantId,
      verificationId: null,
      type: 'console.user_created',
      actor: 'sso',
      data: { userId: u.id, username: u.username, roles: u.roles, via: 'sso' },
      createdAt: deps.clock.now(),
    });
    return u;
  });
}

const totpFor = (secret: Secret | string, label = 'console') =>
  new TOTP({
    issuer: 'imper.ai Verify',
    label,
    algorithm: 'SHA1',
    digits: 6,
    period: 30,
    secret: typeof secret === 'string' ? Secret.fromBase32(secret) : secret,
  });

/** Turns TOTP on (or renews its secret): returns the base32 secret and the otpauth:// URI, shown once. */
export async function enableConsoleTotp(
  deps: ConsoleUserDeps,
  input: { userId: string; actor?: string },
): Promise<{ secret: string; uri: string }> {
  const user = await findConsoleUserById(deps.db, input.userId);
  if (!user) throw new AppError('NOT_FOUND', 'No such console user.');
  const secret = new Secret({ size: 20 });
  await setTotpSecret(deps.db, user.id, deps.sealer.seal(secret.base32));
  await audit(deps, {
    tenantId: user.tenantId,
    type: 'console.totp_enabled',
    actor: input.actor ?? 'cli',
    data: { userId: user.id, username: user.username },
  });
  return { secret: secret.base32, uri: totpFor(secret, user.username).toString() };
}

/** Disables a user (or enables it again) and ends its sessions. */
export async function setConsoleUserDisabled(
  deps: ConsoleUserDeps,
  input: { userId: string; disabled: boolean; actor?: string },
) {
  const user = await findConsoleUserById(deps.db, input.userId);
  if (!user) throw new AppError('NOT_FOUND', 'No such console user.');
  await setDisabled(deps.db, user.id, input.disabled ? deps.clock.now() : null);
  if (input.disabled) await deleteSessionsOfUser(deps.db, user.id);
  await audit(deps, {
    tenantId: user.tenantId,
    type: input.disabled ? 'console.user_disabled' : 'console.user_enabled',
    actor: input.actor ?? 'cli',
    data: { userId: user.id, username: user.username },
  });
}

/** Sets a new password (policy checked) and ends every other session of the user. */
export async function changeConsolePassword(
  deps: ConsoleUserDeps,
  input: { userId: string; password: string; keepSession?: Buffer; actor?: string },
) {
  const user = await findConsoleUserById(deps.db, input.userId);
  if (!user || user.ssoSubject) throw new AppError('NOT_FOUND', 'No such local console user.');
  const problem = consolePasswordProblem(input.password, [user.username, user.name]);
  if (problem) throw new AppError('VALIDATION_FAILED', problem);
  await setPasswordHash(deps.db, user.id, await hashConsolePassword(input.password));
  await deleteSessionsOfUser(deps.db, user.id, input.keepSession);
  await audit(deps, {
    tenantId: user.tenantId,
    type: 'console.password_changed',
    actor: input.actor ?? user.username,
    data: { userId: user.id, username: user.username },
  });
}

export const findConsoleUser = (deps: Pick<Deps, 'db'>, tenantId: string, username: string) =>
  findConsoleUserByUsername(deps.db, tenantId, username);

export type SignInResult = { ok: true; user: ConsoleUser } | { ok: false };

/**
 * Password (and code) sign-in. Always verifies one Argon2id hash; every refusal is the same `{ ok: false }`
 * (the reason goes to the audit trail only).
 */
export async function signIn(
  deps: ConsoleUserDeps,
  input: { tenantId: string; username: string; password: string; totp?: string; ip?: string },
): Promise<SignInResult> {
  const now = deps.clock.now();
  const user =
    input.username && input.username.length <= 120
      ? await findConsoleUserByUsername(deps.db, input.tenantId, input.username)
      : undefined;
  const stored = user?.passwordHash ?? (await dummy());
  let passwordOk = false;
  try {
    passwordOk = await argon2Verify(stored, input.password ?? '');
  } catch {
    passwordOk = false;
  }
  const fail = async (reason: string) => {
    await audit(deps, {
      tenantId: input.tenantId,
      type: 'console.login_failed',
      actor: input.username.slice(0, 120) || '-',
      data: { username: input.username.slice(0, 120), reason, ...(input.ip ? { ip: input.ip } : {}) },
    });
    return { ok: false } as const;
  };
  if (!user || !user.passwordHash) return fail('unknown_user');
  if (user.disabledAt) return fail('disabled');
  if (user.lockedUntil && user.lockedUntil > now) return fail('locked');
  const lock = {
    lockAfter: LOGIN_LOCK_AFTER,
    lockUntil: new Date(now.getTime() + LOGIN_LOCK_MINUTES * 60_000),
  };
  if (!passwordOk) {
    await recordFailedLogin(deps.db, user.id, lock);
    return fail('wrong_password');
  }
  if (user.totpSecretSealed) {
    const totp = totpFor(deps.sealer.open(user.totpSecretSealed));
    const code = (input.totp ?? '').replace(/\s+/g, '');
    const delta = /^[0-9]{6}$/.test(code)
      ? totp.validate({ token: code, timestamp: now.getTime(), window: 1 })
      : null;
    if (delta === null) {
      await recordFailedLogin(deps.db, user.id, lock);
      return fail('wrong_code');
    }
    const counter = totp.counter({ timestamp: now.getTime() }) + delta;
    if (!(await claimTotpCounter(deps.db, user.id, counter))) {
      await recordFailedLogin(deps.db, user.id, lock);
      return fail('code_reused');
    }
  }
  await recordSuccessfulLogin(deps.db, user.id, now);
  await audit(deps, {
    tenantId: user.tenantId,
    type: 'console.login',
    actor: user.username,
    data: {
      userId: user.id,
      via: 'password',
      totp: Boolean(user.totpSecretSealed),
      ...(input.ip ? { ip: input.ip } : {}),
    },
  });
  return { ok: true, user: toUser(user, 'password') };
}

/** The anti-CSRF value of a console session: state-changing console requests carry it (header or form field). */
export function consoleCsrf(deps: Pick<Deps, 'keys'>, session: { idHash: Buffer }): string {
  return hmac(deps.keys.csrf, `console:${session.idHash.toString('hex')}`).toString('base64url');
}

/**
 * Starts a session for a user (after a password sign-in here, or an OIDC one in the SSO routes). The caller sets the
 * cookie: `setConsoleCookie(reply, deps.config, cookieValue, maxAgeSeconds(deps.config))`.
 */
export async function createConsoleSession(
  deps: Pick<Deps, 'db' | 'clock'> & { config: Pick<Config, 'console'> },
  input: { userId: string; via: 'password' | 'sso' },
): Promise<{ cookieValue: string; expiresAt: Date }> {
  const user = await findConsoleUserById(deps.db, input.userId);
  if (!user || user.disabledAt)
    throw new AppError('CONSOLE_SESSION_REQUIRED', 'This console user cannot sign in.');
  const id = newToken();
  const now = deps.clock.now();
  const expiresAt = new Date(now.getTime() + deps.config.console.sessionMaxHours * 3_600_000);
  await insertConsoleSession(deps.db, {
    idHash: sha256(id),
    userId: user.id,
    tenantId: user.tenantId,
    via: input.via,
    createdAt: now,
    lastSeenAt: now,
    expiresAt,
  });
  // A password sign-in recorded it with its checks (signIn); a single sign-on is recorded here.
  if (input.via === 'sso') await recordSuccessfulLogin(deps.db, user.id, now);
  return { cookieValue: id, expiresAt };
}

/** The cookie's lifetime: the session's absolute one (the idle timeout is enforced by the server). */
export const consoleCookieMaxAge = (config: Pick<Config, 'console'>) => config.console.sessionMaxHours * 3600;

export function setConsoleCookie(reply: FastifyReply, config: Config, value: string, maxAgeSeconds: number) {
  setCookie(reply, config, 'console', value, maxAgeSeconds);
}

const SESSION_ID = /^[A-Za-z0-9_-]{43}$/;

/** The session a cookie names, if it is live (not idle too long, not past its end, its user enabled). */
export async function loadConsoleSession(
  deps: ConsoleSessionDeps,
  cookieValue: string | undefined,
): Promise<{ user: ConsoleUser; session: ConsoleSession } | null> {
  if (!cookieValue || !SESSION_ID.test(cookieValue)) return null;
  const idHash = sha256(cookieValue);
  const s = await findConsoleSession(deps.db, idHash);
  if (!s) return null;
  const now = deps.clock.now();
  const idleEnd = s.lastSeenAt.getTime() + deps.config.console.sessionIdleMinutes * 60_000;
  if (now >= s.expiresAt || now.getTime() >= idleEnd) {
    await deleteConsoleSession(deps.db, idHash);
    return null;
  }
  const user = await findConsoleUserById(deps.db, s.userId);
  if (!user || user.disabledAt || user.tenantId !== s.tenantId) return null;
  await touchConsoleSession(deps.db, idHash, now);
  return {
    user: toUser(user, s.via),
    session: { idHash, csrf: consoleCsrf(deps, { idHash }), expiresAt: s.expiresAt },
  };
}

/** Signing out: the session row is deleted (the cookie alone opens nothing afterwards). */
export async function endConsoleSession(
  deps: Pick<Deps, 'db' | 'clock'>,
  input: { idHash: Buffer; user?: ConsoleUser },
) {
  await deleteConsoleSession(deps.db, input.idHash);
  if (input.user)
    await audit(deps, {
      tenantId: input.user.tenantId,
      type: 'console.logout',
      actor: input.user.username,
      data: { userId: input.user.id, via: input.user.via },
    });
}

/** A TOTP code for a base32 secret at a time (tests and the browser test's "authenticator"). */
export const totpCodeAt = (secret: string, at: Date) => totpFor(secret).generate({ timestamp: at.getTime() });

// ── Console users managed from the console's Settings (admin) ──────────────────────────────────────────────────
// Every change is made on the signed-in admin's own tenant (S18: another tenant's user id is NOT_FOUND), under a lock
// on the tenant's users, with its audit event in the same transaction. Guard rails: an admin neither removes their
// own admin role nor disables themselves (INVALID_STATE), and the tenant always keeps one enabled admin
// (CONSOLE_LAST_ADMIN, checked first: it is what an only admin demoting themselves, or two admins disabling each
// other at the same moment, run into).

/** What the console shows of a user: never a hash, a TOTP secret or its counter. */
export interface ConsoleUserSummary {
  id: string;
  username: string;
  name: string;
  roles: ConsoleRole[];
  /** `sso`: signs in through the tenant's identity provider, its roles from the groups claim at each sign-in */
  kind: 'local' | 'sso';
  totp: boolean;
  lastLoginAt: Date | null;
  /** Set while the account is locked after failed sign-ins */
  lockedUntil: Date | null;
  disabledAt: Date | null;
  createdAt: Date;
}

/** The signed-in admin who makes a change. */
export type ConsoleActor = Pick<ConsoleUser, 'id' | 'tenantId' | 'username'>;

/** How console users are named in the audit trail (as the SSO routes do). */
export const consoleActor = (u: Pick<ConsoleUser, 'username'>) => `console:${u.username}`;

export const consoleUserSummary = (u: ConsoleUserRecord, now: Date): ConsoleUserSummary => ({
  id: u.id,
  username: u.username,
  name: u.name,
  roles: u.roles,
  kind: u.ssoSubject ? 'sso' : 'local',
  totp: Boolean(u.totpSecretSealed),
  lastLoginAt: u.lastLoginAt,
  lockedUntil: u.lockedUntil && u.lockedUntil > now ? u.lockedUntil : null,
  disabledAt: u.disabledAt,
  createdAt: u.createdAt,
});

export async function listConsoleUsers(
  deps: Pick<Deps, 'db' | 'clock'>,
  tenantId: string,
): Promise<ConsoleUserSummary[]> {
  const now = deps.clock.now();
  return (await listConsoleUsersOfTenant(deps.db, tenantId)).map((u) => consoleUserSummary(u, now));
}

/** Whether the tenant keeps an enabled admin once `target` has these roles and this state. */
function keepsAnAdmin(
  all: ConsoleUserRecord[],
  target: ConsoleUserRecord,
  after: { roles: readonly ConsoleRole[]; disabled: boolean },
) {
  return all.some((u) =>
    u.id === target.id
      ? !after.disabled && after.roles.includes('admin')
      : !u.disabledAt && u.roles.includes('admin'),
  );
}

type AdminChange = (
  trx: Transaction<Database>,
  target: ConsoleUserRecord,
  all: ConsoleUserRecord[],
) => Promise<{ type: string; data?: Record<string, unknown> } | null>;

/**
 * One change by an admin to one of the tenant's users: under the tenant's lock, then its audit event (null = nothing
 * changed, nothing audited). Returns the user as it is afterwards.
 */
async function changeUser(
  deps: Pick<Deps, 'db' | 'clock'>,
  by: ConsoleActor,
  userId: string,
  change: AdminChange,
): Promise<ConsoleUserSummary> {
  const updated = await deps.db.transaction().execute(async (trx) => {
    const all = await lockConsoleUsersOfTenant(trx, by.tenantId);
    const target = all.find((u) => u.id === userId);
    if (!target) throw new AppError('NOT_FOUND', 'No such console user.');
    // The admin as they are now, under the lock: one disabled or demoted a moment ago changes nothing more.
    const self = all.find((u) => u.id === by.id);
    if (!self || self.disabledAt || !self.roles.includes('admin'))
      throw new AppError('CONSOLE_FORBIDDEN', 'Your console role does not allow this.');
    const event = await change(trx, target, all);
    if (event)
      await appendAuditEvent(trx, {
        tenantId: by.tenantId,
        verificationId: null,
        type: event.type,
        actor: consoleActor(by),
        data: { userId: target.id, username: target.username, ...event.data },
        createdAt: deps.clock.now(),
      });
    return findConsoleUserById(trx, target.id);
  });
  return consoleUserSummary(updated!, deps.clock.now());
}

/**
 * A local user created by an admin: a generated password (returned once) and, when asked, TOTP from the start (its
 * secret and otpauth:// URI returned once).
 */
export async function createConsoleUserByAdmin(
  deps: ConsoleUserDeps,
  by: ConsoleActor,
  input: { username: string; name?: string; roles: readonly string[]; totp?: boolean },
): Promise<{ user: ConsoleUserSummary; password: string; totp: { secret: string; uri: string } | null }> {
  const actor = consoleActor(by);
  const { user, password } = await createConsoleUser(deps, {
    tenantId: by.tenantId,
    username: input.username,
    ...(input.name?.trim() ? { name: input.name } : {}),
    roles: input.roles,
    actor,
  });
  const totp = input.totp ? await enableConsoleTotp(deps, { userId: user.id, actor }) : null;
  const now = deps.clock.now();
  return {
    user: consoleUserSummary((await findConsoleUserById(deps.db, user.id)) ?? user, now),
    password,
    totp,
  };
}

/**
 * New roles for a local user (`console.user_roles_changed` with before and after). An SSO user's roles come from the
 * identity provider at each sign-in (INVALID_STATE); an admin keeps their own admin role (INVALID_STATE); the last
 * enabled admin keeps it too (CONSOLE_LAST_ADMIN).
 */
export function changeConsoleUserRoles(
  deps: Pick<Deps, 'db' | 'clock'>,
  by: ConsoleActor,
  input: { userId: string; roles: readonly string[] },
): Promise<ConsoleUserSummary> {
  const roles = checkRoles(input.roles);
  return changeUser(deps, by, input.userId, async (trx, target, all) => {
    if (target.ssoSubject)
      throw new AppError(
        'INVALID_STATE',
        "A single sign-on user's roles come from the identity provider's groups at each sign-in.",
      );
    const before = [...target.roles].sort();
    const after = CONSOLE_ROLES.filter((r) => roles.includes(r));
    if (before.join() === [...after].sort().join()) return null;
    if (!keepsAnAdmin(all, target, { roles: after, disabled: Boolean(target.disabledAt) }))
      throw new AppError('CONSOLE_LAST_ADMIN', 'The helpdesk must keep at least one enabled console admin.');
    if (target.id === by.id && target.roles.includes('admin') && !after.includes('admin'))
      throw new AppError('INVALID_STATE', 'You cannot remove your own admin role; another admin can.');
    await setRoles(trx, target.id, after);
    return { type: 'console.user_roles_changed', data: { before: target.roles, after } };
  });
}

/**
 * Disables a user (its sessions end at once, in the same transaction) or enables it again — the CLI's
 * `console.user_disabled` / `console.user_enabled`. Not oneself; never the last enabled admin.
 */
export function setConsoleUserDisabledByAdmin(
  deps: Pick<Deps, 'db' | 'clock'>,
  by: ConsoleActor,
  input: { userId: string; disabled: boolean },
): Promise<ConsoleUserSummary> {
  return changeUser(deps, by, input.userId, async (trx, target, all) => {
    if (Boolean(target.disabledAt) === input.disabled) return null;
    if (input.disabled) {
      if (!keepsAnAdmin(all, target, { roles: target.roles, disabled: true }))
        throw new AppError(
          'CONSOLE_LAST_ADMIN',
          'The helpdesk must keep at least one enabled console admin.',
        );
      if (target.id === by.id) throw new AppError('INVALID_STATE', 'You cannot disable yourself.');
    }
    await setDisabled(trx, target.id, input.disabled ? deps.clock.now() : null);
    if (input.disabled) await deleteSessionsOfUser(trx, target.id);
    return { type: input.disabled ? 'console.user_disabled' : 'console.user_enabled' };
  });
}

/** Lifts a sign-in lock (and forgets the failures counted): `console.user_unlocked`. Nothing to lift: no event. */
export function unlockConsoleUser(
  deps: Pick<Deps, 'db' | 'clock'>,
  by: ConsoleActor,
  input: { userId: string },
): Promise<ConsoleUserSummary> {
  return changeUser(deps, by, input.userId, async (trx, target) => {
    const locked = target.lockedUntil !== null && target.lockedUntil > deps.clock.now();
    if (!locked && target.failedLogins === 0) return null;
    await clearLoginFailures(trx, target.id);
    return { type: 'console.user_unlocked', data: { wasLocked: locked } };
  });
}

/**
 * Turns a user's TOTP off (`console.user_totp_disabled`): the secret is erased, so enrolling again gives a new one.
 */
export function disableConsoleUserTotp(
  deps: Pick<Deps, 'db' | 'clock'>,
  by: ConsoleActor,
  input: { userId: string },
): Promise<ConsoleUserSummary> {
  return changeUser(deps, by, input.userId, async (trx, target) => {
    if (!target.totpSecretSealed) return null;
    await setTotpSecret(trx, target.id, null);
    return { type: 'console.user_totp_disabled' };
  });
}

/**
 * Sets up TOTP for one of the tenant's local users (re-enrolment after it was turned off): the new secret and
 * otpauth:// URI are returned once; `console.totp_enabled` as the CLI's `totp-enable`. An SSO user signs in at the
 * identity provider, so has no TOTP here (INVALID_STATE).
 */
export async function enableConsoleUserTotpByAdmin(
  deps: ConsoleUserDeps,
  by: ConsoleActor,
  input: { userId: string },
): Promise<{ user: ConsoleUserSummary; secret: string; uri: string }> {
  const target = await findConsoleUserById(deps.db, input.userId);
  if (!target || target.tenantId !== by.tenantId) throw new AppError('NOT_FOUND', 'No such console user.');
  if (target.ssoSubject)
    throw new AppError('INVALID_STATE', 'A single sign-on user signs in at the identity provider.');
  const { secret, uri } = await enableConsoleTotp(deps, { userId: target.id, actor: consoleActor(by) });
  const user = consoleUserSummary(
    (await findConsoleUserById(deps.db, target.id)) ?? target,
    deps.clock.now(),
  );
  return { user, secret, uri };
}
