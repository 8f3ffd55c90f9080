import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** RFC 2822 date the way Twilio writes it: `Wed, 18 Aug 2010 20:01:40 +0000`. */
export function rfc2822(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return (
    `${DAYS[date.getUTCDay()]}, ${pad(date.getUTCDate())} ${MONTHS[date.getUTCMonth()]} ${date.getUTCFullYear()} ` +
    `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} +0000`
  );
}

export function hex(bytes: number): string {
  return randomBytes(bytes).toString('hex');
}

export function base64url(bytes: number): string {
  return randomBytes(bytes).toString('base64url');
}

export const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A deliberately simple address check (SendGrid's is also lenient: it wants `local@domain.tld`). */
export function isEmailAddress(value: unknown): value is string {
  return typeof value === 'string' && /^[^\s@<>(),;:"]+@[^\s@<>(),;:"]+\.[^\s@<>(),;:"]+$/.test(value);
}

export async function listen(app: FastifyInstance, options: { port?: number; host?: string }): Promise<void> {
  await app.listen({ port: options.port ?? 0, host: options.host ?? '127.0.0.1' });
}

/** `http://host:port` of a listening Fastify app (no trailing slash). */
export function baseUrl(app: FastifyInstance): string {
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('provider-standins: no TCP address');
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return `http://${host}:${address.port}`;
}

/** Replaces password values (Graph passwordProfile.password, Okta credentials.password.value) for capture. */
export function redactPasswords(value: unknown, parentKey = ''): unknown {
  if (Array.isArray(value)) return value.map((v) => redactPasswords(v, parentKey));
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    const secret =
      k === 'password' ||
      k === 'newPassword' ||
      k === 'oldPassword' ||
      (k === 'value' && parentKey.endsWith('assword'));
    out[k] = secret && typeof v === 'string' ? '[redacted]' : redactPasswords(v, k);
  }
  return out;
}
