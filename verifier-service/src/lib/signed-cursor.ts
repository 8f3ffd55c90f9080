// Keyset cursors the console's lists give out: base64url(JSON array) + "." + a MAC over it, its list and the tenant,
// so a cursor is never one a client made up, and one tenant's cursor is refused by another (S18). The list checks
// the parts it gets back (their shapes); anything else is CURSOR_INVALID with what to do next.
import { timingSafeEqual } from 'node:crypto';
import { AppError } from '../errors';
import { hmac } from './crypto';

/** A cursor's key time: created_at (or the like) as UTC text with microseconds, as PostgreSQL stores it */
export const KEY_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}$/;
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const mac = (key: Buffer, list: string, tenantId: string, body: string) =>
  hmac(key, `${list}:${tenantId}:${body}`).subarray(0, 16);

export const cursorInvalid = () =>
  new AppError(
    'CURSOR_INVALID',
    'The cursor is not one this list gave out. Start again from the first page.',
  );

export function signCursor(key: Buffer, list: string, tenantId: string, parts: readonly unknown[]): string {
  const body = Buffer.from(JSON.stringify(parts)).toString('base64url');
  return `${body}.${mac(key, list, tenantId, body).toString('base64url')}`;
}

/** The parts of a cursor this list gave this tenant (exactly `length` of them), else CURSOR_INVALID. */
export function openCursor(
  key: Buffer,
  list: string,
  tenantId: string,
  cursor: string,
  length: number,
): unknown[] {
  const [body, given, extra] = cursor.split('.');
  if (!body || !given || extra !== undefined) throw cursorInvalid();
  const a = Buffer.from(given, 'base64url');
  const b = mac(key, list, tenantId, body);
  if (a.length !== b.length || !timingSafeEqual(a, b)) throw cursorInvalid();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  } catch {
    throw cursorInvalid();
  }
  if (!Array.isArray(parsed) || parsed.length !== length) throw cursorInvalid();
  return parsed as unknown[];
}
