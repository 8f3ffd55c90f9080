// The console's Settings (F8 §6). `/console/settings` lists the sections the signed-in user may open; each section
// is its own plugin next to this file (page, form POSTs and JSON API). Roles are declared per route and enforced
// by the one console hook (plugins/app/console-auth.ts), which also checks the CSRF value of every POST; every
// query is bound to the signed-in user's tenant (S18); every change is an audit event.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { ConsoleRole } from '@imper/shared';
import { settingsOverviewBody } from '@imper/portal';
import type { Deps } from '../../context';
import { sendConsolePage } from '../console-page';
import apiKeys from './api-keys';
import deadLetters from './dead-letters';
import providers from './providers';
import risk from './risk';
import servicenow from './servicenow';
import users from './users';

const SETTINGS_READERS: ConsoleRole[] = ['admin', 'operator'];

const routes: FastifyPluginAsyncTypebox<{ deps: Deps }> = async (app, { deps }) => {
  app.get(
    '/console/settings',
    {
      config: { console: { roles: SETTINGS_READERS } },
      schema: { tags: ['console'], summary: 'The settings overview: the sections the user may open' },
    },
    async (req, reply) => {
      const u = req.consoleUser!;
      return sendConsolePage(req, reply, {
        title: 'console.settings.title',
        current: 'settings',
        body: (locale) => settingsOverviewBody(u.roles, locale),
      });
    },
  );
  await app.register(risk, { deps });
  await app.register(servicenow, { deps });
  await app.register(providers, { deps });
  await app.register(deadLetters, { deps });
  await app.register(apiKeys, { deps });
  await app.register(users, { deps });
};
export default routes;
