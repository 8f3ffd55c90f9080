// OpenID Connect relying party (openid-client v6) for console single sign-on: one discovered configuration per
// tenant, fetched on first use and kept (a failed discovery is not kept, so the next sign-in tries again).
import * as oidc from 'openid-client';
import type { ConsoleSsoConfig } from '../domain/console-sso';

export interface OidcRelyingParty {
  /** The provider's authorization URL for one sign-in: code flow with PKCE (S256), state and nonce. */
  authorizationUrl(p: {
    redirectUri: string;
    state: string;
    nonce: string;
    codeVerifier: string;
  }): Promise<URL>;
  /** Exchanges the code and validates everything (state, PKCE, `iss`, ID token signature, audience, nonce). */
  callback(
    currentUrl: URL,
    checks: { state: string; nonce: string; codeVerifier: string },
  ): Promise<Record<string, unknown>>;
}

export function createOidcRelyingParty(
  sso: ConsoleSsoConfig,
  opts: { allowHttp: boolean; timeoutMs?: number },
): OidcRelyingParty {
  let discovered: Promise<oidc.Configuration> | null = null;
  const configuration = () => {
    discovered ??= oidc
      .discovery(new URL(sso.issuer), sso.clientId, undefined, oidc.ClientSecretBasic(sso.clientSecret), {
        timeout: Math.ceil((opts.timeoutMs ?? 10_000) / 1000),
        // Plain http only outside production (the config refuses http issuers in production): a local provider.
        ...(opts.allowHttp && sso.issuer.startsWith('http://')
          ? { execute: [oidc.allowInsecureRequests] }
          : {}),
      })
      .catch((err: unknown) => {
        discovered = null;
        throw err;
      });
    return discovered;
  };
  const groupsClaim = sso.groupsClaim ?? 'groups';
  return {
    async authorizationUrl({ redirectUri, state, nonce, codeVerifier }) {
      const config = await configuration();
      return oidc.buildAuthorizationUrl(config, {
        redirect_uri: redirectUri,
        scope: `openid profile ${groupsClaim === 'groups' ? 'groups' : ''}`.trim(),
        code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
        code_challenge_method: 'S256',
        state,
        nonce,
      });
    },
    async callback(currentUrl, { state, nonce, codeVerifier }) {
      const config = await configuration();
      const tokens = await oidc.authorizationCodeGrant(config, currentUrl, {
        pkceCodeVerifier: codeVerifier,
        expectedState: state,
        expectedNonce: nonce,
        idTokenExpected: true,
      });
      const claims = { ...tokens.claims()! } as Record<string, unknown>;
      // Some providers put groups only in userinfo: ask there when the ID token lacks the claim.
      if (claims[groupsClaim] === undefined && tokens.access_token) {
        const info = await oidc.fetchUserInfo(config, tokens.access_token, String(claims.sub));
        if (info[groupsClaim] !== undefined) claims[groupsClaim] = info[groupsClaim];
        for (const k of ['name', 'preferred_username', 'email'])
          if (claims[k] === undefined && info[k] !== undefined) claims[k] = info[k];
      }
      return claims;
    },
  };
}

export const newPkceVerifier = () => oidc.randomPKCECodeVerifier();
export const newState = () => oidc.randomState();
export const newNonce = () => oidc.randomNonce();
