// The console's Settings — console users (F8 §6; admin). The page lists the tenant's users (user name, name, roles,
// sign-in kind, TOTP, last sign-in, locked / disabled) with each user's actions: change roles (local users; an SSO
// user's roles come from the identity provider's groups at each sign-in), disable (ends the user's sessions at once)
// or enable, unlock, turn TOTP off or set it up again; and it adds a local user, whose generated password (and TOTP
// setup key) the answer shows once (`cache-control: no-store`). Form POSTs answer 303 back to the list, or the page
// with the refusal. The JSON API does the same under /console/api/settings/users. The work and the guard rails are
// in services/console-auth.ts: an admin neither removes their own admin role nor disables themselves, the tenant
// keeps one enabled admin (409 CONSOLE_LAST_ADMIN), every change is a `console.*` audit event with the actor
// `console:<username>`, and every user id is looked up in the signed-in user's tenant only (S18).
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CONSOLE_ROLES, LINE_PATTERN, isConsoleRole, type ConsoleRole } from '@imper/shared';
import {
  consoleUserCreatedBody,
  consoleUsersBody,
  consoleUserTotpBody,
  type ConsoleUserAction,
  type ConsoleUserForm,
  type ConsoleUserProblem,
  type Locale,
  type MessageKey,
} from '@imper/portal';
import type { Deps } from '../../context';
import { sendConsolePage } from '../console-page';
import { AppError } from '../../errors';
import {
  USERNAME_PATTERN,
  changeConsoleUserRoles,
  createConsoleUserByAdmin,
  disableConsoleUserTotp,
  enableConsoleUserTotpByAdmin,
  findConsoleUser,
  listConsoleUsers,
  setConsoleUserDisabledByAdmin,
  unlockConsoleUser,
  type ConsoleActor,
  type ConsoleUserSummary,
} from '../../services/console-auth';

const ADMIN: ConsoleRole[] = ['admin'];
const UUID = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';

const Role = Type.Union(CONSOLE_ROLES.map((r) => Type.Literal(r)));
const Stamp = Type.String({ description: 'ISO 8601, UTC' });
const Nullable = <T extends ReturnType<typeof Type.String>>(s: T) => Type.Union([s, Type.Null()]);
const UserItem = Type.Object({
  id: Type.String(),
  username: Type.String(),
  name: Type.String(),
  roles: Type.Array(Role),
  kind: Type.Union([Type.Literal('local'), Type.Literal('sso')], {
    description: "sso: roles come from the identity provider's groups at each sign-in (read-only here)",
  }),
  totp: Type.Boolean(),
  lastLoginAt: Nullable(Stamp),
  lockedUntil: Nullable(Stamp),
  disabledAt: Nullable(Stamp),
  createdAt: Stamp,
});
const Totp = Type.Object({
  secret: Type.String({ description: 'base32 setup key: answered this once' }),
  uri: Type.String({ description: 'otpauth:// URI: answered this once' }),
});
const UserAnswer = Type.Object({ user: UserItem });
const CreateBody = Type.Object({
  username: Type.String({ minLength: 1, maxLength: 120, pattern: USERNAME_PATTERN.source }),
  name: Type.Optional(Type.String({ maxLength: 200, pattern: LINE_PATTERN })),
  roles: Type.Array(Role, { minItems: 1, maxItems: CONSOLE_ROLES.length, uniqueItems: true }),
  totp: Type.Optional(Type.Boolean({ description: 'Set up TOTP now (its setup key is answered once)' })),
});
const Created = Type.Object({
  user: UserItem,
  password: Type.String({ description: 'The generated password: answered this once, only its hash is kept' }),
  totp: Type.Union([Totp, Type.Null()]),
});
const RolesBody = Type.Object({
  roles: Type.Array(Role, { minItems: 1, maxItems: CONSOLE_ROLES.length, uniqueItems: true }),
});
const IdParams = Type.Object({ id: Type.String({ pattern: UUID }) });
// The page's forms: loose, so that a wrong value comes back as the page with its message, not an error page.
const CreateForm = Type.Object({
  csrf: Type.Optional(Type.String({ maxLength: 200 })),
  username: Type.Optional(Type.String({ maxLength: 1000 })),
  name: Type.Optional(Type.String({ maxLength: 1000 })),
  roles: Type.Optional(Type.Array(Type.String({ maxLength: 100 }), { maxItems: 10 })),
  totp: Type.Optional(Type.String({ maxLength: 10 })),
});
const RolesForm = Type.Object({
  csrf: Type.Optional(Type.String({ maxLength: 200 })),
  roles: Type.Optional(Type.Array(Type.String({ maxLength: 100 }), { maxItems: 10 })),
});
const CsrfForm = Type.Object({ csrf: Type.Optional(Type.String({ maxLength: 200 })) });
const DONE: ConsoleUserAction[] = ['roles', 'disabled', 'enabled', 'unlocked', 'totpOff'];
const PageQuery = Type.Object({
  done: Type.Optional(Type.Union(DONE.map((d) => Type.Literal(d)))),
  user: Type.Optional(Type.String({ pattern: UUID })),
});

const iso = (d: Date | null) => (d ? d.toISOString() : null);
const userJson = (u: ConsoleUserSummary) => ({
  ...u,
  lastLoginAt: iso(u.lastLoginAt),
  lockedUntil: iso(u.lockedUntil),
  disabledAt: iso(u.disabledAt),
  createdAt: u.createdAt.toISOString(),
});
const actor = (req: FastifyRequest): ConsoleActor => req.consoleUser!;

/** The one-button actions: path segment, the service call, and the notice shown after it. */
const ACTIONS: Array<{
  path: 'disable' | 'enable' | 'unlock' | 'disable-totp';
  done: ConsoleUserAction;
  summary: string;
  run: (deps: Deps, by: ConsoleActor, userId: string) => Promise<ConsoleUserSummary>;
}> = [
  {
    path: 'disable',
    done: 'disabled',
    summary: 'Disable a console user: its sessions end at once (not yourself, not the last enabled admin)',
    run: (deps, by, userId) => setConsoleUserDisabledByAdmin(deps, by, { userId, disabled: true }),
  },
  {
    path: 'enable',
    done: 'enabled',
    summary: 'Enable a disabled console user again',
    run: (deps, by, userId) => setConsoleUserDisabledByAdmin(deps, by, { userId, disabled: false }),
  },
  {
    path: 'unlock',
    done: 'unlocked',
    summary: 'Lift the sign-in lock that failed sign-ins put on a console user',
    run: (deps, by, userId) => unlockConsoleUser(deps, by, { userId }),
  },
  {
    path: 'disable-totp',
    done: 'totpOff',
    summary: "Turn a console user's TOTP off (the secret is erased; setting it up again gives a new one)",
    run: (deps, by, userId) => disableConsoleUserTotp(deps, by, { userId }),
  },
];

const routes: FastifyPluginAsyncTypebox<{ deps: Deps }> = async (app, { deps }) => {
  const page = (req: FastifyRequest, reply: FastifyReply, title: MessageKey, body: (l: Locale) => string) =>
    sendConsolePage(req, reply, { title, current: 'settings', body });
  const listPage = async (
    req: FastifyRequest,
    reply: FastifyReply,
    opts: {
      form?: ConsoleUserForm;
      done?: { action: ConsoleUserAction; userId: string };
      problem?: { userId: string; problem: ConsoleUserProblem };
    } = {},
  ) => {
    const u = req.consoleUser!;
    const users = await listConsoleUsers(deps, u.tenantId);
    const nameOf = (id: string) => users.find((x) => x.id === id)?.username;
    const doneName = opts.done ? nameOf(opts.done.userId) : undefined;
    const problemName = opts.problem ? (nameOf(opts.problem.userId) ?? '') : undefined;
    return page(req, reply, 'console.settings.users.title', (locale) =>
      consoleUsersBody(
        {
          roles: u.roles,
          me: u.id,
          csrf: req.consoleSession!.csrf,
          users,
          ...(opts.form ? { form: opts.form } : {}),
          ...(opts.done && doneName ? { done: { action: opts.done.action, username: doneName } } : {}),
          ...(opts.problem && problemName !== undefined
            ? { problem: { problem: opts.problem.problem, username: problemName } }
            : {}),
        },
        locale,
      ),
    );
  };
  /** A refused action on the page: the list again with the reason (409 / 400), or the error page otherwise. */
  const refused = async (req: FastifyRequest, reply: FastifyReply, userId: string, err: unknown) => {
    if (!(err instanceof AppError)) throw err;
    const target = (await listConsoleUsers(deps, actor(req).tenantId)).find((x) => x.id === userId);
    const problem: ConsoleUserProblem | null =
      err.code === 'CONSOLE_LAST_ADMIN'
        ? 'lastAdmin'
        : err.code === 'INVALID_STATE'
          ? target?.kind === 'sso'
            ? 'sso'
            : 'self'
          : err.code === 'VALIDATION_FAILED'
            ? 'roles'
            : null;
    if (!problem || !target) throw err;
    reply.status(err.statusCode);
    return listPage(req, reply, { problem: { userId, problem } });
  };
  const backTo = (reply: FastifyReply, done: ConsoleUserAction, userId: string) =>
    reply
      .status(303)
      .header('cache-control', 'no-store')
      .header('location', `/console/settings/users?done=${done}&user=${encodeURIComponent(userId)}`)
      .send();

  app.get(
    '/console/settings/users',
    {
      config: { console: { roles: ADMIN } },
      schema: {
        tags: ['console'],
        summary: "The console users page: the tenant's users, their actions, and the form that adds one",
        querystring: PageQuery,
      },
    },
    async (req, reply) =>
      listPage(req, reply, {
        ...(req.query.done && req.query.user
          ? { done: { action: req.query.done, userId: req.query.user } }
          : {}),
      }),
  );

  app.post(
    '/console/settings/users',
    {
      config: { console: { roles: ADMIN } },
      schema: {
        tags: ['console'],
        summary:
          'Add a local console user from the page (form POST with csrf): the answer shows its password once',
        body: CreateForm,
      },
    },
    async (req, reply) => {
      const by = actor(req);
      const sent = {
        username: (req.body.username ?? '').trim(),
        name: (req.body.name ?? '').replace(/\s+/g, ' ').trim(),
        roles: [...new Set(req.body.roles ?? [])],
        totp: req.body.totp !== undefined,
      };
      const errors: NonNullable<ConsoleUserForm['errors']> = {};
      if (!USERNAME_PATTERN.test(sent.username)) errors.username = true;
      else if (await findConsoleUser(deps, by.tenantId, sent.username)) errors.usernameTaken = true;
      if (!sent.roles.length || !sent.roles.every(isConsoleRole)) errors.roles = true;
      const again = (e: typeof errors) => {
        reply.status(400);
        return listPage(req, reply, { form: { ...sent, errors: e } });
      };
      if (Object.keys(errors).length) return again(errors);
      let created;
      try {
        created = await createConsoleUserByAdmin(deps, by, {
          username: sent.username,
          ...(sent.name ? { name: sent.name.slice(0, 200) } : {}),
          roles: sent.roles,
          totp: sent.totp,
        });
      } catch (err) {
        // Only a user of that name created meanwhile gets here (the rest was checked above).
        if (err instanceof AppError && err.code === 'VALIDATION_FAILED')
          return again({ usernameTaken: true });
        throw err;
      }
      return page(req, reply, 'console.settings.users.created.title', (locale) =>
        consoleUserCreatedBody(
          {
            roles: req.consoleUser!.roles,
            user: created.user,
            password: created.password,
            totp: created.totp,
          },
          locale,
        ),
      );
    },
  );

  app.post(
    '/console/settings/users/:id/roles',
    {
      config: { console: { roles: ADMIN } },
      schema: {
        tags: ['console'],
        summary:
          "Change a local console user's roles from the page (form POST with csrf); 303 back to the list",
        params: IdParams,
        body: RolesForm,
      },
    },
    async (req, reply) => {
      try {
        await changeConsoleUserRoles(deps, actor(req), {
          userId: req.params.id,
          roles: req.body.roles ?? [],
        });
      } catch (err) {
        return refused(req, reply, req.params.id, err);
      }
      return backTo(reply, 'roles', req.params.id);
    },
  );

  for (const a of ACTIONS)
    app.post(
      `/console/settings/users/:id/${a.path}`,
      {
        config: { console: { roles: ADMIN } },
        schema: {
          tags: ['console'],
          summary: `${a.summary} — from the page (form POST with csrf); 303 back to the list`,
          params: IdParams,
          body: CsrfForm,
        },
      },
      async (req, reply) => {
        try {
          await a.run(deps, actor(req), req.params.id);
        } catch (err) {
          return refused(req, reply, req.params.id, err);
        }
        return backTo(reply, a.done, req.params.id);
      },
    );

  app.post(
    '/console/settings/users/:id/enable-totp',
    {
      config: { console: { roles: ADMIN } },
      schema: {
        tags: ['console'],
        summary: 'Set up TOTP for a local console user from the page: the answer shows the setup key once',
        params: IdParams,
        body: CsrfForm,
      },
    },
    async (req, reply) => {
      const by = actor(req);
      let done;
      try {
        done = await enableConsoleUserTotpByAdmin(deps, by, { userId: req.params.id });
      } catch (err) {
        // An SSO user has no TOTP here (the page offers none): the error page, not a roles message.
        if (err instanceof AppError && err.code === 'INVALID_STATE') throw err;
        return refused(req, reply, req.params.id, err);
      }
      return page(req, reply, 'console.settings.users.totpEnabled.title', (locale) =>
        consoleUserTotpBody(
          {
            roles: req.consoleUser!.roles,
            username: done.user.username,
            totp: { secret: done.secret, uri: done.uri },
          },
          locale,
        ),
      );
    },
  );

  // ── JSON API ───────────────────────────────────────────────────────────────────────────────────────────────
  app.get(
    '/console/api/settings/users',
    {
      config: { console: { roles: ADMIN } },
      schema: {
        tags: ['console'],
        summary: "The tenant's console users (never a password hash or TOTP secret)",
        response: { 200: Type.Object({ items: Type.Array(UserItem) }) },
      },
    },
    async (req) => ({ items: (await listConsoleUsers(deps, actor(req).tenantId)).map(userJson) }),
  );

  app.post(
    '/console/api/settings/users',
    {
      config: { console: { roles: ADMIN } },
      schema: {
        tags: ['console'],
        summary:
          'Add a local console user: the answer carries its generated password (and TOTP setup) this once',
        body: CreateBody,
        response: { 201: Created },
      },
    },
    async (req, reply) => {
      const created = await createConsoleUserByAdmin(deps, actor(req), {
        username: req.body.username,
        ...(req.body.name !== undefined ? { name: req.body.name } : {}),
        roles: req.body.roles,
        totp: req.body.totp ?? false,
      });
      return reply
        .status(201)
        .header('cache-control', 'no-store')
        .send({ user: userJson(created.user), password: created.password, totp: created.totp });
    },
  );

  app.post(
    '/console/api/settings/users/:id/roles',
    {
      config: { console: { roles: ADMIN } },
      schema: {
        tags: ['console'],
        summary:
          "Set a local console user's roles (409 INVALID_STATE for an SSO user or your own admin role, 409 CONSOLE_LAST_ADMIN)",
        params: IdParams,
        body: RolesBody,
        response: { 200: UserAnswer },
      },
    },
    async (req) => ({
      user: userJson(
        await changeConsoleUserRoles(deps, actor(req), { userId: req.params.id, roles: req.body.roles }),
      ),
    }),
  );

  for (const a of ACTIONS)
    app.post(
      `/console/api/settings/users/:id/${a.path}`,
      {
        config: { console: { roles: ADMIN } },
        schema: {
          tags: ['console'],
          summary: `${a.summary}; answers the user as it is afterwards (doing it twice changes nothing)`,
          params: IdParams,
          response: { 200: UserAnswer },
        },
      },
      async (req) => ({ user: userJson(await a.run(deps, actor(req), req.params.id)) }),
    );

  app.post(
    '/console/api/settings/users/:id/enable-totp',
    {
      config: { console: { roles: ADMIN } },
      schema: {
        tags: ['console'],
        summary: 'Set up (or renew) TOTP for a local console user: the setup key and URI are answered once',
        params: IdParams,
        response: { 200: Type.Object({ user: UserItem, totp: Totp }) },
      },
    },
    async (req, reply) => {
      const done = await enableConsoleUserTotpByAdmin(deps, actor(req), { userId: req.params.id });
      return reply
        .header('cache-control', 'no-store')
        .send({ user: userJson(done.user), totp: { secret: done.secret, uri: done.uri } });
    },
  );
};
export default routes;
