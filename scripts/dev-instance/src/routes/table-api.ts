// REST Table API (SERVICENOW.md "REST Table API"), plus the `/api/*` fallback that serves routes added
// through `Hooks.route` (scripted REST) and answers everything else like an instance does.

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { readFilter, writeRefusal } from '../acl';
import type { InstanceContext } from '../context';
import { SnError, invalidTable, noRecord, notAuthenticated, operationFailed } from '../errors';
import { formatRecord, inputValues, parseDisplayMode, parseFieldList, type FormatOptions } from '../format';
import type { Rec, User } from '../store';

type Query = Record<string, string | undefined>;

/** Authenticates an API call (401 otherwise), records the user, applies the per-user rate-limit rule. */
export function apiUser(ctx: InstanceContext, req: FastifyRequest, reply: FastifyReply): User {
  const user = ctx.auth.fromAuthorization(req.headers.authorization);
  if (!user) throw notAuthenticated();
  apiAccount(ctx, req, reply, user);
  return user;
}

/** Records the caller of an API request and applies the per-user rate-limit rule (429 when over it). */
export function apiAccount(ctx: InstanceContext, req: FastifyRequest, reply: FastifyReply, user: User): void {
  const entry = ctx.logEntry.get(req);
  if (entry) entry.user = user.userName;
  const counted = ctx.faults.count(user.userName);
  if (counted) {
    reply.headers(counted.headers);
    if (counted.limited) {
      throw new SnError(
        429,
        'Rate limit exceeded',
        `Too many requests for user ${user.userName}: rule ${counted.headers['X-RateLimit-Rule']} allows ${ctx.faults.rule?.limit} per ${ctx.faults.rule?.windowSeconds} s`,
        { 'Retry-After': String(counted.retryAfter) },
      );
    }
  }
}

function checkAccept(req: FastifyRequest): void {
  const accept = req.headers.accept;
  if (!accept) return;
  const ok = accept
    .split(',')
    .map((a) => a.split(';')[0]?.trim().toLowerCase())
    .some((a) => a === '*/*' || a === 'application/*' || a === 'application/json' || a === 'text/json');
  if (!ok) throw new SnError(406, 'Not Acceptable', `Unsupported response format: ${accept}`);
}

/** The JSON object of a write request: 415 for other media types, 400 for bad JSON or a non-object. */
function jsonBody(req: FastifyRequest): Record<string, unknown> {
  const type = String(req.headers['content-type'] ?? '').toLowerCase();
  if (!/^application\/json\b/.test(type)) {
    throw new SnError(
      415,
      'Unsupported Media Type',
      `Content-Type ${type || '(none)'} is not supported; use application/json`,
    );
  }
  let parsed: unknown;
  try {
    parsed = typeof req.body === 'string' ? JSON.parse(req.body) : req.body;
  } catch {
    throw new SnError(400, 'Exception while reading request', 'The payload is not valid JSON.');
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new SnError(
      400,
      'Exception while reading request',
      'The payload must be a single JSON object (one record per call).',
    );
  }
  return parsed as Record<string, unknown>;
}

function bool(v: string | undefined): boolean {
  return String(v ?? '').toLowerCase() === 'true';
}

/**
 * A password column is taken as clear text (and hashed) only with `sysparm_input_display_value=true`; without it
 * an instance stores the value as the already-encrypted form, so the clear text cannot sign in afterwards.
 */
function passwordInput(q: Query): 'plain' | 'stored' {
  return bool(q.sysparm_input_display_value) ? 'plain' : 'stored';
}

function formatOptions(ctx: InstanceContext, q: Query): FormatOptions {
  return {
    fields: parseFieldList(q.sysparm_fields),
    display: parseDisplayMode(q.sysparm_display_value),
    excludeReferenceLink: bool(q.sysparm_exclude_reference_link),
    baseUrl: ctx.url(),
  };
}

function visible(ctx: InstanceContext, user: User, table: string, rec: Rec | null): rec is Rec {
  if (!rec) return false;
  const filter = readFilter(ctx.store.schema, user, table);
  return !filter || filter(rec);
}

function pageLink(ctx: InstanceContext, path: string, q: Query, offset: number, limit: number): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) {
    if (k === 'sysparm_offset' || k === 'sysparm_limit' || v === undefined) continue;
    params.set(k, v);
  }
  params.set('sysparm_limit', String(limit));
  params.set('sysparm_offset', String(offset));
  return `${ctx.url()}${path}?${params.toString()}`;
}

async function handleTable(ctx: InstanceContext, req: FastifyRequest, reply: FastifyReply): Promise<unknown> {
  const {
    version,
    table,
    sys_id: sysId,
  } = req.params as { version?: string; table: string; sys_id?: string };
  if (version !== undefined && version !== 'v1' && version !== 'v2') {
    throw new SnError(400, 'Requested URI does not represent any resource', `Unknown API version ${version}`);
  }
  const user = apiUser(ctx, req, reply);
  checkAccept(req);
  const { store } = ctx;
  if (!store.hasTable(table)) throw invalidTable(table);
  const q = (req.query ?? {}) as Query;
  const fmt = formatOptions(ctx, q);
  const method = req.method.toUpperCase();
  const noBody = bool(req.headers['x-no-response-body'] as string | undefined);
  const path = req.url.split('?')[0] as string;

  if (sysId === undefined) {
    if (method === 'GET') {
      const limitRaw = Number.parseInt(q.sysparm_limit ?? '', 10);
      const limit = Number.isFinite(limitRaw) && limitRaw > 0 ? limitRaw : 10000;
      const offset = Number.parseInt(q.sysparm_offset ?? '0', 10) || 0;
      if (offset < 0) throw new SnError(400, `offset is ${offset}`, 'Negative offset is not supported');
      const filter = readFilter(store.schema, user, table);
      const rows = store.query(table, q.sysparm_query ?? '').filter((r) => !filter || filter(r));
      const page = rows.slice(offset, offset + limit);
      const noCount = bool(q.sysparm_no_count);
      const links = [`<${pageLink(ctx, path, q, 0, limit)}>;rel="first"`];
      if (offset > 0)
        links.push(`<${pageLink(ctx, path, q, Math.max(0, offset - limit), limit)}>;rel="prev"`);
      const hasNext = noCount ? page.length === limit : offset + limit < rows.length;
      if (hasNext) links.push(`<${pageLink(ctx, path, q, offset + limit, limit)}>;rel="next"`);
      if (!noCount) {
        const last = rows.length === 0 ? 0 : Math.floor((rows.length - 1) / limit) * limit;
        links.push(`<${pageLink(ctx, path, q, last, limit)}>;rel="last"`);
        reply.header('X-Total-Count', String(rows.length));
      }
      reply.header('Link', links.join(','));
      return { result: page.map((r) => formatRecord(store, table, r, fmt)) };
    }
    if (method === 'POST') {
      const values = inputValues(store, table, jsonBody(req), bool(q.sysparm_input_display_value));
      const refusal = writeRefusal(store.schema, user, 'insert', table, Object.keys(values));
      if (refusal) throw operationFailed(refusal);
      const rec = store.insert(table, values, {
        user,
        enforcePolicies: true,
        passwordInput: passwordInput(q),
      });
      reply.code(201).header('Location', `${ctx.url()}/api/now/table/${table}/${rec.sys_id}`);
      if (noBody) return reply.send();
      return { result: formatRecord(store, table, rec, fmt) };
    }
    throw methodNotAllowed(method);
  }

  const existing = store.get(table, sysId);
  if (method === 'GET') {
    if (!visible(ctx, user, table, existing)) throw noRecord();
    return { result: formatRecord(store, table, existing, fmt) };
  }
  if (method === 'PUT' || method === 'PATCH') {
    const body = jsonBody(req);
    if (!visible(ctx, user, table, existing)) throw noRecord();
    const values = inputValues(store, table, body, bool(q.sysparm_input_display_value));
    const target = {
      isAdmin: store.schema.isA(table, 'sys_user') && store.rolesOf(sysId).includes('admin'),
    };
    const refusal = writeRefusal(store.schema, user, 'update', table, Object.keys(values), target);
    if (refusal) throw operationFailed(refusal);
    const rec = store.update(table, sysId, values, {
      user,
      enforcePolicies: true,
      passwordInput: passwordInput(q),
    });
    if (noBody) return reply.code(200).send();
    return { result: formatRecord(store, table, rec, fmt) };
  }
  if (method === 'DELETE') {
    if (!visible(ctx, user, table, existing)) throw noRecord();
    const refusal = writeRefusal(store.schema, user, 'delete', table, []);
    if (refusal) throw operationFailed(refusal);
    store.delete(table, sysId, { user });
    return reply.code(204).send();
  }
  throw methodNotAllowed(method);
}

function methodNotAllowed(method: string): SnError {
  return new SnError(405, 'Method not Supported', `HTTP method ${method} is not supported by this resource`);
}

function matchCustom(
  ctx: InstanceContext,
  method: string,
  path: string,
):
  | { handler: InstanceContext['customRoutes'][number]['handler']; params: Record<string, string> }
  | 'method'
  | null {
  const segments = path.split('/').filter(Boolean);
  let pathMatched = false;
  for (const route of ctx.customRoutes) {
    if (route.segments.length !== segments.length) continue;
    const params: Record<string, string> = {};
    const ok = route.segments.every((s, i) => {
      const actual = segments[i] as string;
      if (s.startsWith(':')) {
        params[s.slice(1)] = decodeURIComponent(actual);
        return true;
      }
      return s === actual;
    });
    if (!ok) continue;
    pathMatched = true;
    if (route.method === method || route.method === '*') return { handler: route.handler, params };
  }
  return pathMatched ? 'method' : null;
}

export function tableApiRoutes(app: FastifyInstance, ctx: InstanceContext): void {
  const handler = (req: FastifyRequest, reply: FastifyReply): Promise<unknown> =>
    handleTable(ctx, req, reply);
  const methods = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD'] as const;
  for (const url of [
    '/api/now/table/:table',
    '/api/now/table/:table/:sys_id',
    '/api/now/:version/table/:table',
    '/api/now/:version/table/:table/:sys_id',
  ]) {
    app.route({ method: [...methods], url, exposeHeadRoute: false, handler });
  }

  // Everything else under /api: scripted REST routes registered through hooks, or "no such resource".
  app.route({
    method: [...methods],
    url: '/api/*',
    exposeHeadRoute: false,
    handler: async (req, reply) => {
      const path = req.url.split('?')[0] as string;
      const hit = matchCustom(ctx, req.method.toUpperCase(), path);
      if (hit === null) throw new SnError(400, 'Requested URI does not represent any resource', null);
      if (hit === 'method') throw methodNotAllowed(req.method);
      const user = apiUser(ctx, req, reply);
      (req as { params: unknown }).params = hit.params;
      const result = await hit.handler(req, reply, user);
      if (reply.sent) return reply;
      if (result === undefined) return reply.code(reply.statusCode === 200 ? 204 : reply.statusCode).send();
      return { result };
    },
  });
}
