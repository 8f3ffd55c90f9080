// The console's audit log (admin, auditor) and dashboard (every role) — F8. Pages and their JSON APIs; every query
// is bound to the signed-in user's tenant (S18). Roles are declared per route and enforced by the one console hook
// (plugins/app/console-auth.ts), which also checks the CSRF value of every POST.
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import type { ConsoleRole } from '@imper/shared';
import {
  auditLogBody,
  consolePage,
  dashboardBody,
  messageText,
  pickLocale,
  type ChainResult,
} from '@imper/portal';
import type { Deps } from '../../context';
import { listAudit, parseDateBound, verifyTenantChain } from '../../services/console-audit';
import { loadDashboard, resolvePeriod } from '../../services/console-dashboard';

const AUDITORS: ConsoleRole[] = ['admin', 'auditor'];
const EVERYONE: ConsoleRole[] = ['admin', 'operator', 'auditor'];

const Day = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' });
const AuditQuery = Type.Object({
  type: Type.Optional(Type.String({ maxLength: 100, pattern: '^[A-Za-z0-9_.:-]*$' })),
  verification: Type.Optional(Type.String({ maxLength: 20, pattern: '^(VRF-[2-9A-HJ-NP-Z]{6})?$' })),
  actor: Type.Optional(Type.String({ maxLength: 200 })),
  from: Type.Optional(Type.Union([Day, Type.Literal('')])),
  to: Type.Optional(Type.Union([Day, Type.Literal('')])),
  cursor: Type.Optional(Type.String({ pattern: '^[0-9]{1,19}$' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
});
type AuditQueryT = (typeof AuditQuery)['static'];

const AuditItem = Type.Object({
  id: Type.String(),
  type: Type.String(),
  actor: Type.String(),
  verificationPublicId: Type.Union([Type.String(), Type.Null()]),
  data: Type.Record(Type.String(), Type.Unknown()),
  createdAt: Type.String(),
});
const ChainReport = Type.Object({
  intact: Type.Boolean(),
  events: Type.Integer(),
  problems: Type.Array(
    Type.Object({
      id: Type.String(),
      position: Type.Integer(),
      problem: Type.Union([Type.Literal('hash_mismatch'), Type.Literal('broken_link')]),
    }),
  ),
  elsewhere: Type.Integer(),
});
const PeriodQuery = Type.Object({ from: Type.Optional(Day), to: Type.Optional(Day) });

const user = (req: FastifyRequest) => req.consoleUser!;

const filterOf = (q: AuditQueryT) => ({
  ...(q.type ? { typePrefix: q.type } : {}),
  ...(q.verification ? { verificationPublicId: q.verification } : {}),
  ...(q.actor ? { actor: q.actor } : {}),
  ...(q.from ? { from: parseDateBound(q.from, false)! } : {}),
  ...(q.to ? { to: parseDateBound(q.to, true)! } : {}),
});

const routes: FastifyPluginAsyncTypebox<{ deps: Deps }> = async (app, { deps }) => {
  const html = (req: FastifyRequest, reply: import('fastify').FastifyReply) => {
    reply
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .header('vary', 'accept-language');
    return pickLocale(req.headers['accept-language']);
  };

  const auditPage = async (req: FastifyRequest, q: AuditQueryT, chain?: ChainResult) => {
    const locale = pickLocale(req.headers['accept-language']);
    const u = user(req);
    const list = await listAudit(deps, u.tenantId, filterOf(q), {
      ...(q.cursor ? { cursor: q.cursor } : {}),
    });
    const csrf = req.consoleSession!.csrf;
    const { cursor: _c, limit: _l, ...filters } = q;
    return consolePage({
      title: messageText(locale, 'console.audit.title'),
      user: u,
      current: 'audit',
      csrf,
      locale,
      body: auditLogBody({ ...list, filters, csrf, ...(chain ? { chain } : {}) }, locale),
    });
  };

  app.get(
    '/console/audit',
    {
      config: { console: { roles: AUDITORS } },
      schema: { tags: ['console'], summary: 'The audit log page (admin, auditor)', querystring: AuditQuery },
    },
    async (req, reply) => {
      html(req, reply);
      return reply.send(await auditPage(req, req.query));
    },
  );

  app.post(
    '/console/audit/verify',
    {
      config: { console: { roles: AUDITORS } },
      schema: {
        tags: ['console'],
        summary: 'Verify the audit chain from the page (form POST with csrf); the page shows the result',
        body: Type.Object({ csrf: Type.Optional(Type.String({ maxLength: 200 })) }),
      },
    },
    async (req, reply) => {
      html(req, reply);
      const chain = await verifyTenantChain(deps, user(req).tenantId);
      return reply.send(await auditPage(req, {}, chain));
    },
  );

  app.get(
    '/console/api/audit',
    {
      config: { console: { roles: AUDITORS } },
      schema: {
        tags: ['console'],
        summary: "The tenant's audit events, newest first (filters; keyset paging with nextCursor)",
        querystring: AuditQuery,
        response: {
          200: Type.Object({
            items: Type.Array(AuditItem),
            nextCursor: Type.Union([Type.String(), Type.Null()]),
          }),
        },
      },
    },
    async (req) => {
      const q = req.query;
      const list = await listAudit(deps, user(req).tenantId, filterOf(q), {
        ...(q.cursor ? { cursor: q.cursor } : {}),
        ...(q.limit ? { limit: q.limit } : {}),
      });
      return {
        items: list.items.map((e) => ({ ...e, createdAt: e.createdAt.toISOString() })),
        nextCursor: list.nextCursor,
      };
    },
  );

  app.post(
    '/console/api/audit/verify',
    {
      config: { console: { roles: AUDITORS } },
      schema: {
        tags: ['console'],
        summary:
          'Verify the audit hash chain (as npm run audit:verify); the tenant’s broken events are named',
        response: { 200: ChainReport },
      },
    },
    async (req) => verifyTenantChain(deps, user(req).tenantId),
  );

  app.get(
    '/console/dashboard',
    {
      config: { console: { roles: EVERYONE } },
      schema: {
        tags: ['console'],
        summary: 'The dashboard page (charts with their data tables)',
        querystring: PeriodQuery,
      },
    },
    async (req, reply) => {
      const locale = html(req, reply);
      const u = user(req);
      const data = await loadDashboard(
        deps,
        u.tenantId,
        resolvePeriod(deps.clock.now(), req.query.from, req.query.to),
      );
      return reply.send(
        consolePage({
          title: messageText(locale, 'console.dashboard.title'),
          user: u,
          current: 'dashboard',
          csrf: req.consoleSession!.csrf,
          locale,
          body: dashboardBody(data, locale),
        }),
      );
    },
  );

  app.get(
    '/console/api/dashboard',
    {
      config: { console: { roles: EVERYONE } },
      schema: {
        tags: ['console'],
        summary: "The dashboard's numbers for a period (default the last 30 days, UTC days)",
        querystring: PeriodQuery,
      },
    },
    async (req) =>
      loadDashboard(deps, user(req).tenantId, resolvePeriod(deps.clock.now(), req.query.from, req.query.to)),
  );
};
export default routes;
