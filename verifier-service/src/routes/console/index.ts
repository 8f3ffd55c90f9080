// The console's routes. Here: the details of a verification — the link the ticket's imper.ai fields point to after
// an outcome (writeback `detailsUrl`). The agent working on its ticket (launch cookie, same tenant and ticket) gets
// the agent's page; otherwise security staff signed in to the console get the console's details (their tenant only,
// S18); an agent cookie that covers neither gets one 401 page, the same for every id, so the page never tells whether
// a verification exists; nobody signed in at all is sent to the console's sign-in, which comes back here. Security staff's console (F8) lives in auth.ts,
// home.ts and the files next to them.
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  agentDetailsDeniedPage,
  agentDetailsPage,
  consoleDetailsBody,
  consolePage,
  esc,
  messageText,
  pickLocale,
} from '@imper/portal';
import type { Deps } from '../../context';
import { AppError } from '../../errors';
import { cookieName } from '../../lib/cookies';
import * as agent from '../../services/agent';
import { loadConsoleSession } from '../../services/console-auth';
import { verificationDetails } from '../../services/console-verifications';
import consoleAuthRoutes from './auth';
import consoleHome from './home';
import verificationRoutes from './verifications';

const PublicId = Type.String({ pattern: '^VRF-[2-9A-HJ-NP-Z]{6}$' });
const DENIED = new Set(['AGENT_SESSION_REQUIRED', 'VERIFICATION_NOT_FOUND']);

const routes: FastifyPluginAsyncTypebox<{ deps: Deps }> = async (app, { deps }) => {
  // F8: security staff's console — sign-in (auth.ts) and its pages; access is decided by plugins/app/console-auth.ts.
  await app.register(consoleAuthRoutes, { deps });
  await app.register(consoleHome, { deps });
  await app.register(verificationRoutes, { deps });
  app.get(
    '/console/verifications/:id',
    {
      schema: {
        tags: ['agent'],
        summary:
          'Details of a verification (HTML): the agent on its ticket, else security staff signed in to the console (else 303 to sign-in; 401 page for an agent session of another ticket)',
        params: Type.Object({ id: PublicId }),
      },
    },
    async (req, reply) => {
      const locale = pickLocale(req.headers['accept-language']);
      reply
        .type('text/html; charset=utf-8')
        .header('cache-control', 'no-store')
        .header('vary', 'accept-language');
      // 1. The agent on the verification's ticket (launch cookie): the agent's page, as before.
      const agentCookie = req.cookies[cookieName(deps.config, 'agent')];
      let agentDenied = false;
      try {
        const s = await agent.loadSession(deps, agentCookie);
        return reply.send(agentDetailsPage(await agent.detailsForSession(deps, s, req.params.id), locale));
      } catch (err) {
        if (!(err instanceof AppError && DENIED.has(err.code))) throw err;
        agentDenied = agentCookie !== undefined;
      }
      // 2. Security staff with a console session: the console's details (404 page when not in their tenant).
      const signedIn = await loadConsoleSession(deps, req.cookies[cookieName(deps.config, 'console')]);
      if (signedIn) {
        const viewer = { tenantId: signedIn.user.tenantId, roles: signedIn.user.roles };
        const d = await verificationDetails(deps, viewer, req.params.id).catch((err: unknown) => {
          if (err instanceof AppError && err.code === 'VERIFICATION_NOT_FOUND') return null;
          throw err;
        });
        const title = d
          ? messageText(locale, 'console.details.title', { id: d.publicId })
          : messageText(locale, 'console.details.notFound');
        return reply.status(d ? 200 : 404).send(
          consolePage({
            title,
            user: { name: signedIn.user.name, roles: signedIn.user.roles },
            current: 'verifications',
            csrf: signedIn.session.csrf,
            locale,
            body: d
              ? consoleDetailsBody(d, locale)
              : `<h1>${esc(title)}</h1><p><a href="/console">${esc(messageText(locale, 'console.details.back'))}</a></p>`,
            scripts: ['console.js'],
          }),
        );
      }
      // 3. An agent whose session does not cover this verification: the one 401 page (nothing about it is shown).
      if (agentDenied) return reply.status(401).send(agentDetailsDeniedPage(locale));
      // 4. Nobody: sign in to the console, then back here (the ticket's details link lands here after sign-in).
      return reply
        .status(303)
        .header(
          'location',
          `/console/login?next=${encodeURIComponent(`/console/verifications/${req.params.id}`)}`,
        )
        .send();
    },
  );
};
export default routes;
