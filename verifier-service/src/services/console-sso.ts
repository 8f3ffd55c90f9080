// Console single sign-on (S18, F8): the authorization code flow with PKCE against the tenant's OpenID Connect
// provider. Start keeps state, nonce and the PKCE verifier in a short-lived sealed cookie (S14: HttpOnly,
// SameSite=Lax so it comes back on the provider's top-level redirect); the callback validates the answer with
// openid-client, maps the groups claim to console roles and only then opens a console session. No matching group:
// refused, audited, and no session.
import type { Deps } from '../context';
import {
  createOidcRelyingParty,
  newNonce,
  newPkceVerifier,
  newState,
  type OidcRelyingParty,
} from '../clients/oidc';
import {
  groupsFromClaims,
  rolesForGroups,
  type ConsoleRole,
  type ConsoleSsoConfig,
} from '../domain/console-sso';
import { AppError } from '../errors';
import { safeConsoleNext } from '../plugins/app/console-auth';
import { appendAuditEvent } from '../repositories/audit';

/** How long a sign-in may take at the provider. */
export const SSO_FLOW_SECONDS = 10 * 60;

export const ssoCookieName = (config: { cookieSecure: boolean }) =>
  `${config.cookieSecure ? '__Host-' : ''}imper_sso`;

interface FlowState {
  /** tenant slug */
  t: string;
  s: string;
  n: string;
  v: string;
  next: string;
  /** expiry, epoch ms */
  exp: number;
}

export interface SsoTenant {
  id: string;
  slug: string;
  sso: ConsoleSsoConfig;
}

const parties = new WeakMap<Deps, Map<string, OidcRelyingParty>>();

function relyingParty(deps: Deps, t: SsoTenant): OidcRelyingParty {
  let byTenant = parties.get(deps);
  if (!byTenant) parties.set(deps, (byTenant = new Map()));
  let rp = byTenant.get(t.slug);
  if (!rp) {
    rp = createOidcRelyingParty(t.sso, { allowHttp: deps.config.env !== 'production' });
    byTenant.set(t.slug, rp);
  }
  return rp;
}

/** The tenant with that slug, when it signs in to the console through SSO. */
export function ssoTenant(deps: Deps, slug: string): SsoTenant | null {
  const sso = deps.config.tenants.find((t) => t.slug === slug)?.console?.sso;
  const tenant = deps.tenants.all().find((t) => t.slug === slug);
  return sso && tenant ? { id: tenant.id, slug, sso } : null;
}

export const redirectUri = (deps: Deps, slug: string) =>
  `${deps.config.publicBaseUrl}/console/sso/${encodeURIComponent(slug)}/callback`;

const failed = (why: string) =>
  new AppError('CONSOLE_SSO_FAILED', `Single sign-on did not complete (${why})`);

/** Start: where to send the browser, and the sealed flow cookie to set. */
export async function startSso(deps: Deps, t: SsoTenant, next: unknown) {
  const flow: FlowState = {
    t: t.slug,
    s: newState(),
    n: newNonce(),
    v: newPkceVerifier(),
    next: safeConsoleNext(next),
    exp: deps.clock.now().getTime() + SSO_FLOW_SECONDS * 1000,
  };
  let url: URL;
  try {
    url = await relyingParty(deps, t).authorizationUrl({
      redirectUri: redirectUri(deps, t.slug),
      state: flow.s,
      nonce: flow.n,
      codeVerifier: flow.v,
    });
  } catch (err) {
    deps.log.warn({ err: String(err), tenant: t.slug }, 'console SSO: provider discovery failed');
    throw new AppError('CONSOLE_SSO_UNAVAILABLE', 'The sign-in provider did not answer');
  }
  return { location: url.toString(), cookie: deps.sealer.seal(JSON.stringify(flow)) };
}

function openFlow(deps: Deps, sealed: string | undefined, slug: string): FlowState {
  if (!sealed) throw failed('no sign-in in progress in this browser');
  let flow: FlowState;
  try {
    flow = JSON.parse(deps.sealer.open(sealed)) as FlowState;
  } catch {
    throw failed('the sign-in state is not valid');
  }
  if (flow.t !== slug) throw failed('the sign-in was started for another organisation');
  if (!(flow.exp > deps.clock.now().getTime())) throw failed('the sign-in took too long');
  return flow;
}

export interface SsoIdentity {
  subject: string;
  username: string;
  name: string;
  roles: ConsoleRole[];
  next: string;
}

/**
 * Callback: validates the provider's answer against the flow cookie and maps groups to roles. Throws
 * CONSOLE_SSO_FAILED for anything that does not check out and CONSOLE_NO_ROLE (audited) for a user no group maps.
 */
export async function completeSso(
  deps: Deps,
  t: SsoTenant,
  sealedFlow: string | undefined,
  currentUrl: URL,
): Promise<SsoIdentity> {
  const flow = openFlow(deps, sealedFlow, t.slug);
  let claims: Record<string, unknown>;
  try {
    claims = await relyingParty(deps, t).callback(currentUrl, {
      state: flow.s,
      nonce: flow.n,
      codeVerifier: flow.v,
    });
  } catch (err) {
    // openid-client names the check that failed (state, iss, nonce, signature…); logged, never shown.
    deps.log.warn({ err: (err as Error).message, tenant: t.slug }, 'console SSO: callback refused');
    throw failed('the provider answer did not validate');
  }
  const subject = String(claims.sub ?? '');
  const username = String(claims.preferred_username ?? claims.email ?? subject).slice(0, 200);
  const name = String(claims.name ?? username).slice(0, 200);
  const roles = rolesForGroups(groupsFromClaims(claims, t.sso.groupsClaim ?? 'groups'), t.sso.roleMap);
  if (!subject) throw failed('the ID token has no subject');
  if (!roles.length) {
    await deps.db.transaction().execute((trx) =>
      appendAuditEvent(trx, {
        tenantId: t.id,
        verificationId: null,
        type: 'console.login_refused',
        actor: `console:sso:${username}`,
        data: { via: 'sso', reason: 'no_role', subject },
      }),
    );
    throw new AppError('CONSOLE_NO_ROLE', 'Your account has no role in the imper.ai console');
  }
  return { subject, username, name, roles, next: flow.next };
}
