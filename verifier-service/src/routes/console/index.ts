// The console's routes. For now one page: the details of a verification for the agent working on its ticket — the
// link the ticket's imper.ai fields point to after an outcome (writeback `detailsUrl`). It needs the agent's session
// (the launch cookie) for the same tenant and ticket as the verification; anyone else gets one 401 page, the same for
// every id, so the page never tells whether a verification exists. Security staff's console (F8) lives in auth.ts,
// home.ts and the files next to them.
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { agentDetailsDeniedPage, agentDetailsPage, pickLocale } from '@imper/portal';
import type { Deps } from '../../context';
import { AppError } from '../../errors';
import { cookieName } from '../../lib/cookies';
import * as agent from '../../services/agent';
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
          'Details of a verification for the agent on its ticket (HTML page; 401 page without that session)',
        params: Type.Object({ id: PublicId }),
      },
    },
    async (req, reply) => {
      const locale = pickLocale(req.headers['accept-language']);
      reply
        .type('text/html; charset=utf-8')
        .header('cache-control', 'no-store')
        .header('vary', 'accept-language');
      let html: string;
      try {
        const s = await agent.loadSession(deps, req.cookies[cookieName(deps.config, 'agent')]);
        html = agentDetailsPage(await agent.detailsForSession(deps, s, req.params.id), locale);
      } catch (err) {
        if (err instanceof AppError && DENIED.has(err.code))
          return reply.status(401).send(agentDetailsDeniedPage(locale));
        throw err;
      }
      return reply.send(html);
    },
  );
};
export default routes;
