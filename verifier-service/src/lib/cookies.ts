// Session cookies (S14): HttpOnly, SameSite, Secure with the __Host- prefix outside local development.
import type { FastifyReply } from 'fastify';
import type { Config } from '../config';

export type CookieKind = 'agent' | 'requester' | 'start' | 'console';

export const cookieName = (config: Pick<Config, 'cookieSecure'>, kind: CookieKind) =>
  `${config.cookieSecure ? '__Host-' : ''}imper_${kind}`;

export function setCookie(
  reply: FastifyReply,
  config: Config,
  kind: CookieKind,
  value: string,
  maxAgeSeconds: number,
) {
  reply.setCookie(cookieName(config, kind), value, {
    path: '/',
    httpOnly: true,
    secure: config.cookieSecure,
    // Lax: the agent arrives by a top-level navigation from ServiceNow; state changes need a CSRF value anyway.
    // The console is never entered from another site (its SSO callback sets the cookie on our own origin): Strict.
    sameSite: kind === 'console' ? 'strict' : 'lax',
    maxAge: maxAgeSeconds,
  });
}
