// Health and documentation: liveness, readiness (200 when migrated, 503 with a body that says why when not), the
// OpenAPI document listing every route with its responses. (Fastify's inject() needs an ES-module-only
// dependency jest cannot load here, so the small servers below listen on a port.)
import Ajv from 'ajv';
import { build, createTestDatabase, type TestApp } from '../helper';
import { openDatabase } from '../../src/db/connect';
import { createServer } from '../../src/server';
import errorHandler from '../../src/plugins/app/error-handler';
import health from '../../src/routes/health';
import { routesFromOpenApi, routesFromRouter } from './support';

let t: TestApp;
beforeAll(async () => {
  t = await build();
}, 60_000);
afterAll(() => t?.close(), 30_000);
jest.setTimeout(30_000);

describe('health', () => {
  it('/health/live answers 200', async () => {
    const res = await fetch(`${t.url}/health/live`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('/health/ready answers 200 on a migrated database', async () => {
    const res = await fetch(`${t.url}/health/ready`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok', checks: { database: 'ok', migrations: 'ok' } });
  });

  it('/health/ready answers 503 on a database without migrations, naming the pending ones', async () => {
    const bare = await createTestDatabase();
    const handle = await openDatabase({ databaseUrl: bare.url, poolSize: 2, embeddedDir: '' });
    const server = createServer(t.config);
    try {
      await server.register(errorHandler);
      await server.register(health, { deps: { ...t.deps, db: handle.db } });
      const base = await server.listen({ host: '127.0.0.1', port: 0 });
      const res = await fetch(`${base}/health/ready`);
      expect(res.status).toBe(503);
      const body = (await res.json()) as { status: string; checks: Record<string, string> };
      expect(body.status).toBe('unavailable');
      expect(body.checks.database).toBe('ok');
      expect(body.checks.migrations).toMatch(/^pending: \S+/);
      // Liveness does not depend on the database.
      expect((await fetch(`${base}/health/live`)).status).toBe(200);
    } finally {
      await server.close();
      await handle.close();
      await bare.drop();
    }
  });

  it('/health/ready answers 503 when the database is unreachable', async () => {
    const failing = {
      ...t.deps,
      db: {
        ...t.deps.db,
        getExecutor: () => {
          throw new Error('connect ECONNREFUSED');
        },
      },
    } as unknown as typeof t.deps;
    const server = createServer(t.config);
    try {
      await server.register(errorHandler);
      await server.register(health, { deps: failing });
      const base = await server.listen({ host: '127.0.0.1', port: 0 });
      const res = await fetch(`${base}/health/ready`);
      expect(res.status).toBe(503);
      const text = await res.text();
      expect(JSON.parse(text)).toEqual({ status: 'unavailable', checks: { database: 'unreachable' } });
      expect(text).not.toContain('ECONNREFUSED');
    } finally {
      await server.close();
    }
  });
});

interface Operation {
  parameters?: Array<{ in: string; name: string; required?: boolean }>;
  responses?: Record<string, { content?: Record<string, { schema?: object }> }>;
}
interface OpenApiDoc {
  openapi: string;
  info: { title: string; version: string };
  servers: Array<{ url: string }>;
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, object> };
}

describe('OpenAPI document', () => {
  let doc: OpenApiDoc;
  beforeAll(async () => {
    const res = await fetch(`${t.url}/docs/json`);
    expect(res.status).toBe(200);
    doc = (await res.json()) as OpenApiDoc;
  });

  it('is OpenAPI 3 with info, servers and paths', () => {
    expect(doc.openapi).toMatch(/^3\.\d+\.\d+$/);
    expect(doc.info).toMatchObject({ title: expect.any(String), version: expect.any(String) });
    expect(doc.servers).toEqual([{ url: t.config.publicBaseUrl }]);
    expect(Object.keys(doc.paths).length).toBeGreaterThan(0);
  });

  it('lists every route the router serves (other than the browser pages, static files and the docs themselves)', () => {
    const documented = new Set(routesFromOpenApi(doc).map((r) => `${r.method} ${r.path}`));
    const hiddenOnPurpose =
      /^(GET \/agent|POST \/agent\/send|POST \/agent\/verifications\/:id\/(resend|cancel)|GET \/assets\/:name)$/;
    const served = routesFromRouter(t.server.printRoutes({ commonPrefix: false }))
      .filter((r) => !r.path.startsWith('/docs'))
      .map((r) => `${r.method} ${r.path}`)
      .filter((id) => !hiddenOnPurpose.test(id));
    expect(served.length).toBeGreaterThan(10);
    for (const id of served) expect([...documented]).toContain(id);
    for (const id of documented) expect(served).toContain(id);
  });

  it('declares responses on every operation; JSON responses carry valid schemas, and $refs resolve', () => {
    // Not strict: OpenAPI adds keywords (components, example) that JSON Schema does not know.
    const ajv = new Ajv({ allErrors: true, strict: false });
    const refs = JSON.stringify(doc).match(/"\$ref":"[^"]+"/g) ?? [];
    for (const ref of refs) {
      const target = ref.slice(8, -1);
      expect(target).toMatch(/^#\/components\/schemas\//);
      expect(doc.components.schemas[target.split('/').pop()!]).toBeDefined();
    }
    const problems: string[] = [];
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(item)) {
        const where = `${method.toUpperCase()} ${path}`;
        for (const name of path.match(/\{([^}]+)\}/g) ?? []) {
          if (!op.parameters?.some((p) => p.in === 'path' && `{${p.name}}` === name && p.required))
            problems.push(`${where}: path parameter ${name} not declared`);
        }
        const responses = Object.entries(op.responses ?? {});
        if (!responses.length) problems.push(`${where}: no responses`);
        if (!responses.some(([status]) => /^[23]\d\d$/.test(status)))
          problems.push(`${where}: no success response`);
        for (const [status, r] of responses) {
          const schema = r.content?.['application/json']?.schema;
          if (!schema) continue;
          try {
            ajv.compile({ ...schema, components: doc.components }); // $refs resolve against the document's components
          } catch (err) {
            problems.push(`${where} ${status}: ${(err as Error).message}`);
          }
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('documents the stable error body on the agent API and the webhooks', () => {
    for (const [path, method, status] of [
      ['/agent/api/verifications', 'post', '400'],
      ['/agent/api/verifications', 'post', '409'],
      ['/agent/api/verifications/{id}', 'get', '404'],
      ['/webhooks/twilio/status', 'post', '403'],
      ['/webhooks/sendgrid/events', 'post', '403'],
    ] as const) {
      const schema = doc.paths[path]![method]!.responses![status]!.content!['application/json']!.schema;
      expect(JSON.stringify(schema)).toMatch(/WEBHOOK_SIGNATURE_INVALID|ErrorResponse/);
    }
  });
});
