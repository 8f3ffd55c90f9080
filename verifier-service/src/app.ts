// The application as a Fastify plugin (fastify/demo): external plugins, our own plugins, then the routes.
import type { FastifyInstance } from 'fastify';
import { errorPage, pickLocale } from '@imper/portal';
import assets from './routes/assets';
import type { Deps } from './context';
import docs from './plugins/external/docs';
import security from './plugins/external/security';
import errorHandler from './plugins/app/error-handler';
import inputText from './plugins/app/input-text';
import consoleAuth from './plugins/app/console-auth';
import health from './routes/health';
import home from './routes/home';
import agentRoutes from './routes/agent';
import requesterRoutes from './routes/requester';
import webhookRoutes from './routes/webhooks';
import consoleRoutes from './routes/console';
import consoleReportRoutes from './routes/console-reports';
import consoleSsoRoutes from './routes/console-sso';
import consoleSettingsRoutes from './routes/console-settings';
import devRoutes from './routes/dev';
import apiRoutes from './routes/api';
import selfServiceRoutes from './routes/self-service';

export default async function app(fastify: FastifyInstance, { deps }: { deps: Deps }) {
  await fastify.register(errorHandler, {
    // Browser routes answer errors with a page that says what to do next; APIs answer JSON.
    renderPage: (req, err) => {
      const path = req.url.split('?')[0] ?? '';
      const browser =
        (path.startsWith('/v/') ||
          path === '/agent' ||
          path.startsWith('/agent/launch') ||
          (path.startsWith('/agent/') && !path.startsWith('/agent/api/')) ||
          (path.startsWith('/console/') && !path.startsWith('/console/api/')) ||
          path === '/console' ||
          path === '/self-service') &&
        req.method !== 'OPTIONS';
      // The page names what happened and what to do next, in the viewer's language (portal/messages).
      return browser ? errorPage(err.code, pickLocale(req.headers['accept-language']), err.message) : null;
    },
  });
  await fastify.register(inputText);
  await fastify.register(security, { config: deps.config });
  // The OpenAPI UI brings its own, weaker CSP (swagger-ui's inline code): production serves it only when asked.
  if (deps.config.docsEnabled) await fastify.register(docs, { publicBaseUrl: deps.config.publicBaseUrl });
  // F8: console sessions and roles, enforced for every route declaring `config.console` (registered before them).
  await fastify.register(consoleAuth, { deps });
  await fastify.register(assets);
  await fastify.register(health, { deps });
  await fastify.register(home);
  await fastify.register(agentRoutes, { deps });
  await fastify.register(requesterRoutes, { deps });
  await fastify.register(selfServiceRoutes, { deps });
  await fastify.register(webhookRoutes, { deps });
  await fastify.register(consoleRoutes, { deps });
  await fastify.register(consoleReportRoutes, { deps });
  await fastify.register(consoleSsoRoutes, { deps });
  await fastify.register(consoleSettingsRoutes, { deps });
  await fastify.register(apiRoutes, { deps });
  if (deps.config.devTransport) await fastify.register(devRoutes, { deps });
}
