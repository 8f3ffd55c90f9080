// Console users and their sessions (F8, S18). Functions take `db | trx` first and return domain objects; snake_case
// stays here.
import { sql, type Kysely, type Transaction } from 'kysely';
import type { ConsoleRole } from '@imper/shared';
import type { ConsoleSessionRow, ConsoleUserRow, Database } from '../db/schema';

type Q = Kysely<Database> | Transaction<Database>;

export interface ConsoleUserRecord {
  id: string;
  tenantId: string;
  username: string;
  name: string;
  /** Argon2id PHC string; null for SSO users */
  passwordHash: string | null;
  totpSecretSealed: string | null;
  totpLastCounter: number | null;
  roles: ConsoleRole[];
  ssoSubject: string | null;
  failedLogins: number;
  lockedUntil: Date | null;
  lastLoginAt: Date | null;
  createdAt: Date;
  disabledAt: Date | null;
}

export interface ConsoleSessionRecord {
  idHash: Buffer;
  userId: string;
  tenantId: string;
  via: 'password' | 'sso';
  createdAt: Date;
  lastSeenAt: Date;
  expiresAt: Date;
}

const date = (d: Date | string | null) => (d ? new Date(d) : null);

export function consoleUserFromRow(r: ConsoleUserRow): ConsoleUserRecord {
  return {
    id: r.id,
    tenantId: r.tenant_id,
    username: r.username,
    name: r.name,
    passwordHash: r.password_hash,
    totpSecretSealed: r.totp_secret_sealed,
    totpLastCounter: r.totp_last_counter === null ? null : Number(r.totp_last_counter),
    roles: r.roles as ConsoleRole[],
    ssoSubject: r.sso_subject,
    failedLogins: r.failed_logins,
    lockedUntil: date(r.locked_until),
    lastLoginAt: date(r.last_login_at),
    createdAt: new Date(r.created_at),
    disabledAt: date(r.disabled_at),
  };
}

function sessionFromRow(r: ConsoleSessionRow): ConsoleSessionRecord {
  return {
    idHash: r.id_hash,
    userId: r.user_id,
    tenantId: r.tenant_id,
    via: r.via,
    createdAt: new Date(r.created_at),
    lastSeenAt: new Date(r.last_seen_at),
    expiresAt: new Date(r.expires_at),
  };
}

export async function insertConsoleUser(
  db: Q,
  u: {
    tenantId: string;
    username: string;
    name: string;
    passwordHash: string | null;
    roles: readonly ConsoleRole[];
    ssoSubject?: string | null;
    createdAt: Date;
  },
): Promise<ConsoleUserRecord> {
  const row = await db
    .insertInto('console_users')
    .values({
      tenant_id: u.tenantId,
      username: u.username,
      name: u.name,
      password_hash: u.passwordHash,
      roles: [...u.roles],
      sso_subject: u.ssoSubject ?? null,
      created_at: u.createdAt,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return consoleUserFromRow(row);
}

/** By user name, whatever its case. */
export async function findConsoleUserByUsername(
  db: Q,
  tenantId: string,
  username: string,
): Promise<ConsoleUserRecord | undefined> {
  const row = await db
    .selectFrom('console_users')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where(sql<string>`lower(username)`, '=', username.toLowerCase())
    .executeTakeFirst();
  return row ? consoleUserFromRow(row) : undefined;
}

export async function findConsoleUserById(db: Q, id: string): Promise<ConsoleUserRecord | undefined> {
  const row = await db.selectFrom('console_users').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? consoleUserFromRow(row) : undefined;
}

export async function findConsoleUserBySsoSubject(
  db: Q,
  tenantId: string,
  subject: string,
): Promise<ConsoleUserRecord | undefined> {
  const row = await db
    .selectFrom('console_users')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('sso_subject', '=', subject)
    .executeTakeFirst();
  return row ? consoleUserFromRow(row) : undefined;
}

export async function updateSsoUser(
  db: Q,
  id: string,
  u: { username: string; name: string; roles: readonly ConsoleRole[] },
): Promise<ConsoleUserRecord> {
  const row = await db
    .updateTable('console_users')
    .set({ username: u.username, name: u.name, roles: [...u.roles] })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
  return consoleUserFromRow(row);
}

export async function countActiveAdmins(db: Q, tenantId: string): Promise<number> {
  const row = await db
    .selectFrom('console_users')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('tenant_id', '=', tenantId)
    .where('disabled_at', 'is', null)
    .where(sql<boolean>`'admin' = any(roles)`)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** One more failed sign-in; at `lockAfter` failures the account is locked until `lockUntil` (and the count restarts). */
export async function recordFailedLogin(
  db: Q,
  id: string,
  opts: { lockAfter: number; lockUntil: Date },
): Promise<void> {
  await db
    .updateTable('console_users')
    .set((eb) => ({
      failed_logins: sql<number>`case when ${eb.ref('failed_logins')} + 1 >= ${opts.lockAfter} then 0 else ${eb.ref('failed_logins')} + 1 end`,
      locked_until: sql<Date | null>`case when ${eb.ref('failed_logins')} + 1 >= ${opts.lockAfter} then ${opts.lockUntil}::timestamptz else ${eb.ref('locked_until')} end`,
    }))
    .where('id', '=', id)
    .execute();
}

export async function recordSuccessfulLogin(db: Q, id: string, at: Date): Promise<void> {
  await db
    .updateTable('console_users')
    .set({ failed_logins: 0, locked_until: null, last_login_at: at })
    .where('id', '=', id)
    .execute();
}

/**
 * Accepts a TOTP step once: only when it is later than the last one accepted (a conditional UPDATE, so two
 * requests with the same code cannot both pass). Returns whether it was accepted.
 */
export async function claimTotpCounter(db: Q, id: string, counter: number): Promise<boolean> {
  const r = await db
    .updateTable('console_users')
    .set({ totp_last_counter: counter })
    .where('id', '=', id)
    .where((eb) =>
      eb.or([eb('totp_last_counter', 'is', null), eb('totp_last_counter', '<', String(counter))]),
    )
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function setTotpSecret(db: Q, id: string, sealed: string | null): Promise<void> {
  await db
    .updateTable('console_users')
    .set({ totp_secret_sealed: sealed, totp_last_counter: null })
    .where('id', '=', id)
    .execute();
}

export async function setPasswordHash(db: Q, id: string, hash: string): Promise<void> {
  await db
    .updateTable('console_users')
    .set({ password_hash: hash, failed_logins: 0, locked_until: null })
    .where('id', '=', id)
    .execute();
}

export async function setDisabled(db: Q, id: string, at: Date | null): Promise<void> {
  await db.updateTable('console_users').set({ disabled_at: at }).where('id', '=', id).execute();
}

export async function insertConsoleSession(db: Q, s: ConsoleSessionRecord): Promise<void> {
  await db
    .insertInto('console_sessions')
    .values({
      id_hash: s.idHash,
      user_id: s.userId,
      tenant_id: s.tenantId,
      via: s.via,
      created_at: s.createdAt,
      last_seen_at: s.lastSeenAt,
      expires_at: s.expiresAt,
    })
    .execute();
}

export async function findConsoleSession(db: Q, idHash: Buffer): Promise<ConsoleSessionRecord | undefined> {
  const row = await db
    .selectFrom('console_sessions')
    .selectAll()
    .where('id_hash', '=', idHash)
    .executeTakeFirst();
  return row ? sessionFromRow(row) : undefined;
}

/** Records activity, at most once every 30 seconds per session (a page's API calls do not each write). */
export async function touchConsoleSession(db: Q, idHash: Buffer, at: Date): Promise<void> {
  await db
    .updateTable('console_sessions')
    .set({ last_seen_at: at })
    .where('id_hash', '=', idHash)
    .where('last_seen_at', '<', new Date(at.getTime() - 30_000))
    .execute();
}

export async function deleteConsoleSession(db: Q, idHash: Buffer): Promise<void> {
  await db.deleteFrom('console_sessions').where('id_hash', '=', idHash).execute();
}

/** Ends every session of a user except (optionally) one. */
export async function deleteSessionsOfUser(db: Q, userId: string, except?: Buffer): Promise<void> {
  let q = db.deleteFrom('console_sessions').where('user_id', '=', userId);
  if (except) q = q.where('id_hash', '<>', except);
  await q.execute();
}

/** The tenant's console users, local and SSO, by user name. */
export async function listConsoleUsersOfTenant(db: Q, tenantId: string): Promise<ConsoleUserRecord[]> {
  const rows = await db
    .selectFrom('console_users')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .orderBy(sql`lower(username)`)
    .execute();
  return rows.map(consoleUserFromRow);
}

/**
 * Locks the tenant's console users until the transaction ends, so two admins changing roles or disabling at the same
 * time cannot both pass the "one enabled admin stays" check. Returns them as they are under the lock.
 */
export async function lockConsoleUsersOfTenant(
  trx: Transaction<Database>,
  tenantId: string,
): Promise<ConsoleUserRecord[]> {
  const rows = await trx
    .selectFrom('console_users')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .orderBy('id')
    .forUpdate()
    .execute();
  return rows.map(consoleUserFromRow);
}

export async function setRoles(db: Q, id: string, roles: readonly ConsoleRole[]): Promise<void> {
  await db
    .updateTable('console_users')
    .set({ roles: [...roles] })
    .where('id', '=', id)
    .execute();
}

/** Lifts a sign-in lock and forgets the failures counted towards the next one. */
export async function clearLoginFailures(db: Q, id: string): Promise<void> {
  await db
    .updateTable('console_users')
    .set({ failed_logins: 0, locked_until: null })
    .where('id', '=', id)
    .execute();
}
