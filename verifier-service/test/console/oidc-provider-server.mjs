// A local OpenID Connect provider for the console SSO tests: `oidc-provider` (ESM only, so it runs in its own Node
// process rather than inside jest's CommonJS runtime). Settings arrive as JSON in OIDC_FIXTURE; it prints
// `ready <issuer>` once listening on a loopback port. Dev interactions (its built-in login and consent pages) accept
// any password for the users it is given; each user's `groups` claim is whatever the test chose.
import Provider from 'oidc-provider';
import { createServer } from 'node:http';

const settings = JSON.parse(process.env.OIDC_FIXTURE ?? '{}');
const server = createServer();
await new Promise((resolve) => server.listen(settings.port ?? 0, '127.0.0.1', resolve));
// `host` names the loopback address another way (e.g. localhost), so that a browser sees the provider as another
// site than the service at 127.0.0.1 (ports do not make sites), as a real provider is.
const issuer = `http://${settings.host ?? '127.0.0.1'}:${server.address().port}`;

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: settings.clientId,
      client_secret: settings.clientSecret,
      redirect_uris: settings.redirectUris,
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
    },
  ],
  async findAccount(_ctx, id) {
    const user = settings.users?.[id];
    if (!user) return undefined;
    return {
      accountId: id,
      claims: async () => ({
        sub: id,
        name: user.name,
        preferred_username: user.username ?? id,
        ...user.claims,
      }),
    };
  },
  claims: { openid: ['sub'], profile: ['name', 'preferred_username'], groups: ['groups'], roles: ['roles'] },
  scopes: ['openid', 'profile', 'groups', 'roles'],
  // The requested claims go into the ID token too (as Okta's and Entra's groups claims do).
  conformIdTokenClaims: false,
  pkce: { required: () => true },
  features: { devInteractions: { enabled: true } },
  cookies: { keys: [settings.cookieKey ?? 'fixture-cookie-key-not-secret'] },
});
provider.proxy = false;
server.on('request', provider.callback());
process.stdout.write(`ready ${issuer}\n`);
process.on('SIGTERM', () => server.close(() => process.exit(0)));
