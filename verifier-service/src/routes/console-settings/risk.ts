// The console's Settings — risk section (F8 §6): the thresholds at which a verification becomes Medium or High, for
// all the tenant's requests and per request category (services/risk-settings.ts). Admin only, every route. The page
// and its form POSTs (PRG: 303 back to the page with a confirmation; a refused change shows the form again, 400), and
// the JSON API. Every query is bound to the signed-in user's tenant (S18); every change is an audit event written in
// the change's transaction.
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ConsoleRole } from '@imper/shared';
import { pickLocale, riskSettingsBody, type RiskSettingsPageData } from '@imper/portal';
import type { Deps } from '../../context';
import { sendConsolePage } from '../console-page';
import {
  checkThresholds,
  loadRiskSettings,
  resetRiskThresholds,
  setRiskThresholds,
  type ThresholdRow,
} from '../../services/risk-settings';

const ADMINS: ConsoleRole[] = ['admin'];

/** A request category in a query: '' is all requests. */
const CategoryQuery = Type.String({ maxLength: 80, pattern: '^[A-Za-z0-9_ -]{0,80}$' });
const FormText = Type.String({ maxLength: 200 });

const Source = Type.Union([Type.Literal('default'), Type.Literal('configuration'), Type.Literal('console')], {
  description: 'Where the pair comes from',
});
const Score = Type.Number({ description: 'A score 0–10' });
const Row = Type.Object({
  category: Type.String({
    description: "A request category (the ticket's category value); '' = all requests",
  }),
  medium: Score,
  high: Score,
  source: Source,
  inherited: Type.Boolean({ description: "A category's pair that comes from the all-requests row" }),
  override: Type.Union([
    Type.Object({
      medium: Score,
      high: Score,
      updatedBy: Type.String({ description: 'The console user who saved it' }),
      updatedAt: Type.String({ format: 'date-time' }),
    }),
    Type.Null(),
  ]),
  withoutOverride: Type.Object(
    { medium: Score, high: Score, source: Source, inherited: Type.Boolean() },
    { description: 'What the row gets once its console setting is removed' },
  ),
});
const Settings = Type.Object({
  defaults: Type.Object({ medium: Score, high: Score }),
  rows: Type.Array(Row, { description: 'All requests first, then every known category by name' }),
  servicenow: Type.Union([Type.Literal('ok'), Type.Literal('unavailable'), Type.Literal('none')], {
    description: "Whether the categories of the tenant's ServiceNow category policies are among the rows",
  }),
});
const ErrorBody = Type.Object({
  error: Type.Object({ code: Type.String(), message: Type.String() }),
  requestId: Type.Optional(Type.String()),
});

const rowJson = (r: ThresholdRow) => ({
  ...r,
  override: r.override ? { ...r.override, updatedAt: r.override.updatedAt.toISOString() } : null,
});

const by = (req: FastifyRequest) => ({
  tenantId: req.consoleUser!.tenantId,
  username: req.consoleUser!.username,
});

const routes: FastifyPluginAsyncTypebox<{ deps: Deps }> = async (app, { deps }) => {
  const page = async (
    req: FastifyRequest,
    reply: FastifyReply,
    extra: Pick<RiskSettingsPageData, 'done' | 'form' | 'problems'> & { edit?: string | undefined },
    status = 200,
  ) => {
    const locale = pickLocale(req.headers['accept-language']);
    const u = req.consoleUser!;
    const settings = await loadRiskSettings(deps, u.tenantId);
    const rows = settings.rows;
    let form = extra.form;
    if (!form && extra.edit !== undefined) {
      const row = rows.find((r) => r.category === extra.edit);
      form = row
        ? { category: row.category, medium: String(row.medium), high: String(row.high) }
        : { category: extra.edit, medium: '', high: '' };
    }
    return sendConsolePage(req, reply, {
      title: 'console.settings.risk.title',
      current: 'settings',
      status: status,
      body: () =>
        riskSettingsBody(
          u.roles,
          {
            rows,
            csrf: req.consoleSession!.csrf,
            servicenow: settings.servicenow,
            done: extra.done,
            form,
            problems: extra.problems,
          },
          locale,
        ),
    });
  };

  app.get(
    '/console/settings/risk',
    {
      config: { console: { roles: ADMINS } },
      schema: {
        tags: ['console'],
        summary:
          'The risk thresholds page (admin): the pair in effect per row, where it comes from, and the form',
        querystring: Type.Object({
          edit: Type.Optional(CategoryQuery),
          saved: Type.Optional(CategoryQuery),
          reset: Type.Optional(CategoryQuery),
        }),
      },
    },
    async (req, reply) => {
      const q = req.query;
      const done =
        q.saved !== undefined
          ? { kind: 'saved' as const, category: q.saved }
          : q.reset !== undefined
            ? { kind: 'reset' as const, category: q.reset }
            : undefined;
      return page(req, reply, { done, edit: q.edit });
    },
  );

  app.post(
    '/console/settings/risk',
    {
      config: { console: { roles: ADMINS } },
      schema: {
        tags: ['console'],
        summary:
          "Set a category's (or all requests', category empty) thresholds from the page (form POST with csrf); 303 back",
        body: Type.Object({
          csrf: Type.Optional(FormText),
          category: Type.Optional(FormText),
          medium: Type.Optional(FormText),
          high: Type.Optional(FormText),
        }),
      },
    },
    async (req, reply) => {
      const b = req.body;
      const check = checkThresholds(b);
      if (!check.ok) {
        const form = { category: b.category ?? '', medium: b.medium ?? '', high: b.high ?? '' };
        return page(req, reply, { form, problems: check.problems }, 400);
      }
      const row = await setRiskThresholds(deps, by(req), check.value);
      return reply
        .status(303)
        .header('location', `/console/settings/risk?saved=${encodeURIComponent(row.category)}`)
        .send();
    },
  );

  app.post(
    '/console/settings/risk/reset',
    {
      config: { console: { roles: ADMINS } },
      schema: {
        tags: ['console'],
        summary: "Remove the console's thresholds of a row from the page (form POST with csrf); 303 back",
        body: Type.Object({ csrf: Type.Optional(FormText), category: Type.Optional(FormText) }),
      },
    },
    async (req, reply) => {
      const { row } = await resetRiskThresholds(deps, by(req), req.body.category ?? '');
      return reply
        .status(303)
        .header('location', `/console/settings/risk?reset=${encodeURIComponent(row.category)}`)
        .send();
    },
  );

  app.get(
    '/console/api/settings/risk',
    {
      config: { console: { roles: ADMINS } },
      schema: {
        tags: ['console'],
        summary:
          'The risk thresholds in effect: all requests, then each known category (configuration, console, ServiceNow policies)',
        response: { 200: Settings },
      },
    },
    async (req) => {
      const s = await loadRiskSettings(deps, req.consoleUser!.tenantId);
      return { ...s, rows: s.rows.map(rowJson) };
    },
  );

  app.put(
    '/console/api/settings/risk',
    {
      config: { console: { roles: ADMINS } },
      schema: {
        tags: ['console'],
        summary:
          "Set a category's thresholds ('' = all requests): 0 < medium < high <= 10, one decimal; audited; x-csrf-token",
        body: Type.Object({
          category: Type.String({
            maxLength: 80,
            pattern: '^[A-Za-z0-9_ -]{0,80}$',
            description: "A request category (the ticket's category value); '' = all requests",
          }),
          medium: Type.Number({ description: 'score >= medium → Medium' }),
          high: Type.Number({ description: 'score >= high → High' }),
        }),
        response: { 200: Type.Object({ row: Row }), 400: ErrorBody },
      },
    },
    async (req) => ({ row: rowJson(await setRiskThresholds(deps, by(req), req.body)) }),
  );

  app.delete(
    '/console/api/settings/risk',
    {
      config: { console: { roles: ADMINS } },
      schema: {
        tags: ['console'],
        summary:
          "Remove the console's thresholds of a category ('' = all requests): back to the configuration's or the defaults; x-csrf-token",
        querystring: Type.Object({ category: CategoryQuery }),
        response: { 200: Type.Object({ removed: Type.Boolean(), row: Row }) },
      },
    },
    async (req) => {
      const { removed, row } = await resetRiskThresholds(deps, by(req), req.query.category);
      return { removed, row: rowJson(row) };
    },
  );
};
export default routes;
