// Console single sign-on through OpenID Connect (S18): the per-tenant settings (TENANTS[].console.sso, checked at
// boot) and the one rule that turns an identity provider's groups claim into console roles. Plain data in, plain
// data out; the flow itself is in services/console-sso.ts.
import { Type, type Static } from '@sinclair/typebox';

export type ConsoleRole = 'admin' | 'operator' | 'auditor';
export const CONSOLE_ROLES: readonly ConsoleRole[] = ['admin', 'operator', 'auditor'];

const Groups = Type.Array(Type.String({ minLength: 1, maxLength: 256 }), { maxItems: 100 });

export const ConsoleSsoSchema = Type.Object(
  {
    /** The provider's issuer URL, exactly as its discovery document names it */
    issuer: Type.String({ pattern: '^https?://[^\\s]+$', maxLength: 500 }),
    clientId: Type.String({ minLength: 1, maxLength: 500 }),
    clientSecret: Type.String({ minLength: 1, maxLength: 2000 }),
    /** The ID token (or userinfo) claim listing the user's groups; default `groups` */
    groupsClaim: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_:./-]{1,200}$' })),
    /** Which of the provider's groups give which console role; a user in none of them is refused. */
    roleMap: Type.Object(
      { admin: Type.Optional(Groups), operator: Type.Optional(Groups), auditor: Type.Optional(Groups) },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);
export type ConsoleSsoConfig = Static<typeof ConsoleSsoSchema>;

/** What is wrong with a tenant's SSO settings beyond their shape (empty when nothing); never echoes a value. */
export function consoleSsoProblems(
  sso: ConsoleSsoConfig,
  env: 'production' | 'development' | 'test',
): string[] {
  const out: string[] = [];
  let url: URL | null = null;
  try {
    url = new URL(sso.issuer);
  } catch {
    out.push('issuer: not a URL');
  }
  if (url && env === 'production' && url.protocol !== 'https:')
    out.push('issuer: must be https in production');
  if (url && (url.search || url.hash)) out.push('issuer: must not carry a query or fragment');
  if (!CONSOLE_ROLES.some((r) => (sso.roleMap[r] ?? []).length > 0))
    out.push('roleMap: map at least one group to a role (admin, operator or auditor)');
  return out;
}

/** The groups claim as a list of names: providers send an array of strings, a few a single string. */
export function groupsFromClaims(claims: Record<string, unknown>, claim: string): string[] {
  const v = claims[claim];
  if (typeof v === 'string') return [v];
  if (Array.isArray(v)) return v.filter((g): g is string => typeof g === 'string');
  return [];
}

/** Every console role one of the user's groups maps to, in a fixed order; empty = no role, no session. */
export function rolesForGroups(
  groups: readonly string[],
  roleMap: ConsoleSsoConfig['roleMap'],
): ConsoleRole[] {
  const have = new Set(groups);
  return CONSOLE_ROLES.filter((r) => (roleMap[r] ?? []).some((g) => have.has(g)));
}
