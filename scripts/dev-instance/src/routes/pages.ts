// The agent-facing pages: /login.do, /incident.do (+ /task.do), /incident_list.do and
// /x_imper_verify_launch.do, a page alias of the app's launch (the verification field links to the app's REST
// route /api/x_imper_verify/imper/launch; both run servicenow-app/src/server/launch.ts). Pages accept a
// session cookie or basic auth.

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { readFilter } from '../acl';
import { SESSION_COOKIE } from '../auth';
import type { InstanceContext } from '../context';
import { CSP, REFRESH_SCRIPT, STYLESHEET, esc, layout, safeHref } from '../html';
import type { Rec, User } from '../store';

const OUTCOME_STATUSES = ['passed', 'failed', 'incomplete', 'timed_out', 'canceled'];
export const SEND_LINK_TEXT = 'imper.ai - Send Verification link';

function pageHeaders(reply: FastifyReply): FastifyReply {
  return reply
    .header('Content-Security-Policy', CSP)
    .header('X-Content-Type-Options', 'nosniff')
    .header('Referrer-Policy', 'no-referrer')
    .header('X-Frame-Options', 'DENY')
    .header('Cache-Control', 'no-store')
    .type('text/html; charset=utf-8');
}

/** A cookie from the request (tiny parser: @fastify/cookie 11 loads `cookie` by dynamic import, which jest's CJS runtime cannot). */
function readCookie(req: FastifyRequest, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i > 0 && part.slice(0, i).trim() === name) return decodeURIComponent(part.slice(i + 1).trim());
  }
  return undefined;
}

function sessionCookie(value: string, secure: boolean, maxAge?: number): string {
  return [
    `${SESSION_COOKIE}=${value}`,
    'Path=/',
    'HttpOnly',
    'SameSite=Lax',
    ...(secure ? ['Secure'] : []),
    ...(maxAge !== undefined ? [`Max-Age=${maxAge}`] : []),
  ].join('; ');
}

export function pageUser(ctx: InstanceContext, req: FastifyRequest): User | null {
  if (req.headers.authorization) return ctx.auth.fromAuthorization(req.headers.authorization);
  return ctx.auth.sessionUser(readCookie(req, SESSION_COOKIE));
}

/** Only local paths are followed after login (no open redirect). */
function safeGoto(target: unknown): string {
  const t = typeof target === 'string' ? target : '';
  return t.startsWith('/') && !t.startsWith('//') && !t.startsWith('/\\') ? t : '/incident_list.do';
}

function toLogin(reply: FastifyReply, req: FastifyRequest): FastifyReply {
  return reply.redirect(`/login.do?sysparm_goto_url=${encodeURIComponent(req.url)}`, 302);
}

function errorPage(
  reply: FastifyReply,
  status: number,
  title: string,
  message: string,
  user: User | null,
): FastifyReply {
  return pageHeaders(reply)
    .code(status)
    .send(layout(title, `<h1>${esc(title)}</h1><p class="error" role="alert">${esc(message)}</p>`, user));
}

function loginPage(goto: string, error: string | null): string {
  return layout(
    'Log in',
    `<h1>Log in</h1>
${error ? `<p class="error" role="alert">${esc(error)}</p>` : ''}
<form method="post" action="/login.do">
<input type="hidden" name="sysparm_goto_url" value="${esc(goto)}">
<p><label for="user_name">User name</label><input type="text" id="user_name" name="user_name" autocomplete="username" required></p>
<p><label for="user_password">Password</label><input type="password" id="user_password" name="user_password" autocomplete="current-password" required></p>
<p><button type="submit">Log in</button></p>
</form>`,
    null,
  );
}

// ---- the ticket page ---------------------------------------------------------------------------------------

function field(store: InstanceContext['store'], table: string, rec: Rec, name: string): string {
  const fd = store.schema.field(table, name);
  const value = rec[name] ?? '';
  if (!fd || value === '') return '';
  if (fd.type === 'reference' && fd.reference) return store.displayOf(fd.reference, value);
  if (fd.choice) return store.choiceLabel(table, name, value);
  return value;
}

/** The *imper.ai Verification* field and its columns (also served alone as a fragment for live refresh). */
export function verificationBlock(ctx: InstanceContext, table: string, rec: Rec): string {
  const { store } = ctx;
  const status = rec.x_imper_verify_status ?? '';
  const hasOutcome = OUTCOME_STATUSES.includes(status) || (rec.x_imper_verify_risk_level ?? '') !== '';
  let link: string;
  if ((status === 'required' || status === 'sent') && !hasOutcome) {
    const href = safeHref(rec.x_imper_verify_verification || ctx.app.launchLink(table, rec.sys_id ?? ''));
    link = href ? `<a href="${esc(href)}">${esc(SEND_LINK_TEXT)}</a>` : esc(SEND_LINK_TEXT);
  } else {
    const target = rec.x_imper_verify_details_url || rec.x_imper_verify_verification || '';
    const href = safeHref(target);
    link = href
      ? `<a href="${esc(href)}">${esc(href)}</a>`
      : status
        ? esc(field(store, table, rec, 'x_imper_verify_status'))
        : 'Not required for this ticket';
  }
  const row = (label: string, name: string, cls = ''): string => {
    const v = field(store, table, rec, name);
    return `<dt>${esc(label)}</dt><dd${cls && v ? ` class="${cls}"` : ''}>${esc(v) || '<span class="hint">—</span>'}</dd>`;
  };
  return `<h2 id="verification-heading">imper.ai Verification</h2>
<p class="verification-link">${link}</p>
<dl class="fields">
${row('Verification status', 'x_imper_verify_status')}
${row('Risk level', 'x_imper_verify_risk_level')}
${row('Verification ID', 'x_imper_verify_id')}
${row('Attention', 'x_imper_verify_attention', 'attention')}
${row('Requested action', 'x_imper_verify_action')}
${row('Action status', 'x_imper_verify_action_status')}
</dl>`;
}

export function activityBlock(ctx: InstanceContext, rec: Rec): string {
  const entries = ctx.store.journal(rec.sys_id ?? '');
  const items = entries
    .map((e) => {
      const author = ctx.store.userByName(e.sys_created_by)?.name || e.sys_created_by;
      const kind = e.element === 'work_notes' ? 'Work notes' : 'Additional comments';
      return `<li><p class="meta">${esc(e.sys_created_on)} — ${esc(author)} (${esc(kind)})</p><p class="text">${esc(e.value)}</p></li>`;
    })
    .join('\n');
  return `<h2 id="activity-heading">Work notes and comments</h2>
${entries.length ? `<ol class="journal">\n${items}\n</ol>` : '<p>No work notes yet.</p>'}`;
}

/**
 * The app's form button "imper.ai - Send Verification link" (servicenow-app ui-actions/send-verification-link):
 * shown, as on an instance, while the ticket has a verification status and is active, to agents — also after an
 * outcome, so the agent can start a new verification (after Incomplete or Failed, say). On the instance it opens the
 * app's launch route in a new tab; here a GET form with target=_blank does the same without script.
 */
function sendLinkAction(ctx: InstanceContext, table: string, rec: Rec, user: User): string {
  const visible =
    (rec.x_imper_verify_status ?? '') !== '' &&
    rec.active !== 'false' &&
    user.roles.some((r) => r === 'itil' || r === 'x_imper_verify.agent' || r === 'admin');
  if (!visible) return '';
  const launch = new URL(ctx.app.launchLink(table, rec.sys_id ?? ''), 'http://instance.invalid');
  const inputs = [...launch.searchParams]
    .map(([k, v]) => `<input type="hidden" name="${esc(k)}" value="${esc(v)}">`)
    .join('');
  return `<form class="form-actions" method="get" action="${esc(launch.pathname)}" target="_blank" data-ui-action="x_imper_verify_send_link">${inputs}<button type="submit">${esc(SEND_LINK_TEXT)}</button></form>`;
}

function ticketPage(ctx: InstanceContext, table: string, rec: Rec, user: User): string {
  const { store } = ctx;
  const id = encodeURIComponent(rec.sys_id ?? '');
  const fragment = (name: string): string => `/${table}.do?sys_id=${id}&amp;sysparm_fragment=${name}`;
  const row = (label: string, name: string): string =>
    store.schema.field(table, name)
      ? `<dt>${esc(label)}</dt><dd>${esc(field(store, table, rec, name)) || '<span class="hint">—</span>'}</dd>`
      : '';
  return layout(
    `${rec.number ?? ''} ${rec.short_description ?? ''}`,
    `<h1>${esc(store.schema.table(table).label)} ${esc(rec.number)}</h1>
${sendLinkAction(ctx, table, rec, user)}
<section aria-labelledby="ticket-heading">
<h2 id="ticket-heading">Ticket</h2>
<dl class="fields">
${row('Number', 'number')}
${row('Short description', 'short_description')}
${row('Caller', 'caller_id')}
${row('Category', 'category')}
${row('Subcategory', 'subcategory')}
${row('State', 'state')}
${row('Priority', 'priority')}
${row('Assigned to', 'assigned_to')}
${row('Assignment group', 'assignment_group')}
${row('Opened', 'opened_at')}
${row('Resolution code', 'close_code')}
${row('Close notes', 'close_notes')}
${row('Description', 'description')}
</dl>
</section>
<section id="imper-verification" aria-labelledby="verification-heading" aria-live="polite" data-refresh-url="${fragment('verification')}">
${verificationBlock(ctx, table, rec)}
</section>
<section id="activity" aria-labelledby="activity-heading" data-refresh-url="${fragment('activity')}">
${activityBlock(ctx, rec)}
</section>`,
    user,
    { scripts: ['/scripts/ticket-refresh.js'] },
  );
}

function listPage(ctx: InstanceContext, user: User): string {
  const { store } = ctx;
  const filter = readFilter(store.schema, user, 'incident');
  const rows = store
    .query('incident', 'active=true^ORDERBYDESCnumber')
    .filter((r) => !filter || filter(r))
    .slice(0, 500);
  const body = rows
    .map(
      (
        r,
      ) => `<tr><td><a href="/incident.do?sys_id=${encodeURIComponent(r.sys_id ?? '')}">${esc(r.number)}</a></td>
<td>${esc(r.short_description)}</td><td>${esc(field(store, 'incident', r, 'caller_id'))}</td>
<td>${esc(field(store, 'incident', r, 'category'))}</td><td>${esc(field(store, 'incident', r, 'state'))}</td>
<td>${esc(field(store, 'incident', r, 'x_imper_verify_status'))}</td></tr>`,
    )
    .join('\n');
  return layout(
    'Open incidents',
    `<h1>Open incidents</h1>
<table>
<caption>${rows.length} open incident${rows.length === 1 ? '' : 's'}, newest first</caption>
<thead><tr><th scope="col">Number</th><th scope="col">Short description</th><th scope="col">Caller</th><th scope="col">Category</th><th scope="col">State</th><th scope="col">Verification</th></tr></thead>
<tbody>
${body}
</tbody>
</table>`,
    user,
  );
}

export function pageRoutes(app: FastifyInstance, ctx: InstanceContext): void {
  const { store } = ctx;

  app.get('/styles/stand-in.css', async (_req, reply) =>
    reply.type('text/css; charset=utf-8').send(STYLESHEET),
  );
  app.get('/scripts/ticket-refresh.js', async (_req, reply) =>
    reply
      .type('text/javascript; charset=utf-8')
      .header('X-Content-Type-Options', 'nosniff')
      .send(REFRESH_SCRIPT),
  );
  app.get('/', async (_req, reply) => reply.redirect('/incident_list.do', 302));

  app.get('/login.do', async (req, reply) => {
    const goto = safeGoto((req.query as Record<string, unknown>).sysparm_goto_url);
    return pageHeaders(reply).send(loginPage(goto, null));
  });

  app.post('/login.do', async (req, reply) => {
    const form = (typeof req.body === 'object' && req.body ? req.body : {}) as Record<
      string,
      string | undefined
    >;
    const goto = safeGoto(form.sysparm_goto_url);
    const user = ctx.store.authenticate(form.user_name ?? '', form.user_password ?? '');
    if (!user) return pageHeaders(reply).code(200).send(loginPage(goto, 'User name or password invalid'));
    const sid = ctx.auth.createSession(user);
    reply.header('Set-Cookie', sessionCookie(sid, ctx.url().startsWith('https://')));
    return reply.header('Cache-Control', 'no-store').redirect(goto, 302);
  });

  app.get('/logout.do', async (req, reply) => {
    ctx.auth.endSession(readCookie(req, SESSION_COOKIE));
    reply.header('Set-Cookie', sessionCookie('', ctx.url().startsWith('https://'), 0));
    return reply.redirect('/login.do', 302);
  });

  app.get('/incident_list.do', async (req, reply) => {
    const user = pageUser(ctx, req);
    if (!user) return toLogin(reply, req);
    return pageHeaders(reply).send(listPage(ctx, user));
  });

  for (const table of ['incident', 'task']) {
    app.get(`/${table}.do`, async (req, reply) => {
      const user = pageUser(ctx, req);
      if (!user) return toLogin(reply, req);
      const q = req.query as Record<string, string | undefined>;
      const rec = store.get(table, q.sys_id ?? '');
      const filter = readFilter(store.schema, user, table);
      if (!rec || (filter && !filter(rec)))
        return errorPage(reply, 404, 'Record not found', 'No record with that sys_id.', user);
      const cls = store.classOfRecord(rec.sys_id ?? '') ?? table;
      if (q.sysparm_fragment === 'verification')
        return pageHeaders(reply).send(verificationBlock(ctx, cls, rec));
      if (q.sysparm_fragment === 'activity') return pageHeaders(reply).send(activityBlock(ctx, rec));
      return pageHeaders(reply).send(ticketPage(ctx, cls, rec, user));
    });
  }

  // The app's launch as a page (302): older links and the tests' direct launches use it. The same module
  // serves the REST route the field links to (303).
  app.get('/x_imper_verify_launch.do', async (req, reply) => {
    const user = pageUser(ctx, req);
    if (!user) return toLogin(reply, req);
    const q = req.query as Record<string, string | undefined>;
    const result = ctx.app.launch(user, q.table ?? 'incident', q.sys_id ?? '');
    if (!result.ok) {
      const title =
        result.status === 403 ? 'Not allowed' : result.status === 404 ? 'Record not found' : 'Bad request';
      return errorPage(reply, result.status, title, result.message, user);
    }
    return reply
      .header('Cache-Control', 'no-store')
      .header('Referrer-Policy', 'no-referrer')
      .redirect(result.location, 302);
  });
}
