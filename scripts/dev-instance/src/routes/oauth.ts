// POST /oauth_token.do (SERVICENOW.md "Authentication"): form-encoded only; grants password,
// refresh_token and client_credentials (which runs as the integration user).

import type { FastifyInstance } from 'fastify';
import type { InstanceContext } from '../context';

function oauthError(error: string, description: string): { error: string; error_description: string } {
  return { error, error_description: description };
}

export function oauthRoutes(app: FastifyInstance, ctx: InstanceContext): void {
  app.post('/oauth_token.do', async (req, reply) => {
    reply.header('Cache-Control', 'no-store').header('Pragma', 'no-cache');
    const type = String(req.headers['content-type'] ?? '').toLowerCase();
    if (
      !type.startsWith('application/x-www-form-urlencoded') ||
      typeof req.body !== 'object' ||
      req.body === null
    ) {
      return reply
        .code(400)
        .send(oauthError('invalid_request', 'The request body must be application/x-www-form-urlencoded'));
    }
    const form = req.body as Record<string, string | undefined>;
    let clientId = form.client_id ?? '';
    let clientSecret = form.client_secret ?? '';
    const basic = /^basic\s+(.+)$/i.exec(req.headers.authorization ?? '');
    if (!clientId && basic?.[1]) {
      const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
      const i = decoded.indexOf(':');
      clientId = decodeURIComponent(decoded.slice(0, Math.max(0, i)));
      clientSecret = decodeURIComponent(decoded.slice(i + 1));
    }
    if (!ctx.auth.clientOk(clientId, clientSecret)) {
      return reply.code(401).send(oauthError('invalid_client', 'Client authentication failed'));
    }

    const grant = form.grant_type ?? '';
    let user = null;
    let withRefresh = true;
    if (grant === 'password') {
      user = ctx.store.authenticate(form.username ?? '', form.password ?? '');
      if (!user) return reply.code(401).send(oauthError('access_denied', 'access_denied'));
    } else if (grant === 'refresh_token') {
      user = ctx.auth.refreshUser(form.refresh_token ?? '', clientId);
      if (!user)
        return reply.code(401).send(oauthError('invalid_grant', 'The refresh token is invalid or expired'));
      withRefresh = false; // the refresh token stays valid and is returned again
    } else if (grant === 'client_credentials') {
      user = ctx.auth.clientCredentialsUser();
      if (!user)
        return reply.code(401).send(oauthError('access_denied', 'The integration user is not available'));
      withRefresh = false;
    } else {
      return reply
        .code(400)
        .send(oauthError('unsupported_grant_type', `grant_type ${grant || '(none)'} is not supported`));
    }

    const entry = ctx.logEntry.get(req);
    if (entry) entry.user = user.userName;
    const issued = ctx.auth.issue(user, clientId, withRefresh);
    return {
      access_token: issued.access,
      ...(grant === 'refresh_token' ? { refresh_token: form.refresh_token } : {}),
      ...(issued.refresh ? { refresh_token: issued.refresh } : {}),
      scope: 'useraccount',
      token_type: 'Bearer',
      expires_in: issued.expiresIn,
    };
  });
}
