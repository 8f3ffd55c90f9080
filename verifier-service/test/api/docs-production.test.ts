// Issue 8 finding 6: the OpenAPI UI has its own, weaker CSP (inline styles and scripts of swagger-ui), so production
// does not serve it unless DOCS_ENABLED=true; development and test keep it on (health-docs.test.ts reads it).
import { build, type TestApp } from '../helper';
import { PRODUCTION_ENV } from '../security/support';

jest.setTimeout(30_000);

let t: TestApp;
beforeAll(async () => {
  t = await build({ env: PRODUCTION_ENV });
});
afterAll(() => t.close());

it('issue 8 finding 6: /docs and /docs/json are not served in production by default', async () => {
  const base = `http://127.0.0.1:${t.config.port}`;
  for (const path of ['/docs', '/docs/', '/docs/json', '/docs/static/index.html']) {
    const res = await fetch(`${base}${path}`, {
      redirect: 'manual',
      headers: { accept: 'application/json' },
    });
    expect([path, res.status]).toEqual([path, 404]);
    // Whatever answers carries the service's strict CSP, not swagger-ui's.
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(res.headers.get('content-security-policy')).not.toContain('unsafe-inline');
  }
});
