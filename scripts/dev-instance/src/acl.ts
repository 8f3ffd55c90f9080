// The stand-in's access control: deliberately small, but it refuses what a least-privilege integration user
// would be refused on a real instance, so the service cannot come to rely on more.
//
//  who                              read                                   write
//  ─────────────────────────────────────────────────────────────────────────────────────────────────────────
//  admin                            every table                            everything, incl. delete
//  itil                             every table                            insert/update on task tables
//  user_admin                       (no extra read)                        sys_user: insert and update of any
//                                                                          column (user_password, locked_out…),
//                                                                          except on users holding admin
//  x_imper_verify.agent             every table                            nothing through the Table API
//  x_imper_verify.integration       every table                            task tables only: update of
//                                                                          x_imper_verify_*, work_notes, state,
//                                                                          close_code, close_notes; insert may also
//                                                                          set the fields of a new ticket
//                                                                          (INTEGRATION_INSERT_FIELDS)
//  no role (an ordinary employee)   own sys_user row, tasks they called    nothing
//                                   or opened; other rows are invisible
//  unauthenticated                  401 everywhere
//
// Refusals are 403 "Operation Failed" with a detail naming the reason; rows hidden from a reader are absent
// from lists and 404 on direct reads (as on an instance).
//
// Writing `sys_user` (a password, `locked_out`) needs `user_admin` or admin, as the base system's sys_user write
// ACLs require on an instance; the seed grants `user_admin` to the integration user so the ServiceNow directory
// connector can reset and unlock (README "Access control"). Users holding admin are out of its reach here, so the
// service can never reset an administrator (the stand-in's own rule: an instance may need an ACL for that).

import type { Schema } from './schema';
import type { Rec, User, WriteOp } from './store';

export const READ_ALL_ROLES = ['admin', 'itil', 'x_imper_verify.agent', 'x_imper_verify.integration'];

export const INTEGRATION_ROLE = 'x_imper_verify.integration';

/** The base-system role that may create and update user records (passwords and lock-out included). */
export const USER_ADMIN_ROLE = 'user_admin';

/** Columns the integration user may change on existing task records. */
export function integrationMayUpdate(field: string): boolean {
  return (
    field.startsWith('x_imper_verify_') ||
    ['work_notes', 'state', 'close_code', 'close_notes'].includes(field)
  );
}

/** Additional columns the integration user may set when it creates a ticket (F7: tickets for self-service). */
export const INTEGRATION_INSERT_FIELDS = [
  'short_description',
  'description',
  'caller_id',
  'category',
  'subcategory',
  'contact_type',
  'impact',
  'urgency',
  'correlation_id',
  'correlation_display',
  'comments',
];

const has = (user: User, role: string): boolean => user.roles.includes(role);

/** Row-level read filter for `table` (null = everything visible). */
export function readFilter(schema: Schema, user: User, table: string): ((rec: Rec) => boolean) | null {
  if (READ_ALL_ROLES.some((r) => has(user, r))) return null;
  if (schema.isA(table, 'sys_user')) return (rec) => rec.sys_id === user.sysId;
  if (schema.isA(table, 'task')) return (rec) => rec.caller_id === user.sysId || rec.opened_by === user.sysId;
  return () => false;
}

/** Why the write is refused, or null when allowed. `fields` are the known columns the request sets. */
export function writeRefusal(
  schema: Schema,
  user: User,
  op: WriteOp,
  table: string,
  fields: string[],
  /** For updates of sys_user: whether the record being changed belongs to a user holding admin. */
  target: { isAdmin: boolean } = { isAdmin: false },
): string | null {
  if (has(user, 'admin')) return null;
  const isTask = schema.isA(table, 'task');
  if (op === 'delete') return `ACL restricts deleting records of ${table}`;
  if (schema.isA(table, 'sys_user') && has(user, USER_ADMIN_ROLE)) {
    if (op === 'update' && target.isAdmin)
      return `ACL restricts updating a user with the admin role for role ${USER_ADMIN_ROLE}`;
    return null;
  }
  if (isTask && has(user, 'itil')) return null;
  if (isTask && has(user, INTEGRATION_ROLE)) {
    const refused = fields.filter(
      (f) => !integrationMayUpdate(f) && !(op === 'insert' && INTEGRATION_INSERT_FIELDS.includes(f)),
    );
    if (refused.length === 0) return null;
    return `ACL restricts the fields ${refused.join(', ')} of ${table} for role ${INTEGRATION_ROLE}`;
  }
  return `ACL restricts ${op === 'insert' ? 'creating' : 'updating'} records of ${table}`;
}
