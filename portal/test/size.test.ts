// Quality bar: the requester's pages load at most 50 KB of JavaScript, gzipped, in total. Builds the bundles the
// way `npm run build -w portal` does (in a child process: esbuild's API does not run inside jest's sandbox) and
// measures every script a requester page references.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { attestationPage, errorPage, landingPage, questionPage, resultPage, waitingPage } from '../src';
import { REQUESTER_JS_BUDGET_GZIP } from '../src/build';
import { attestationData, landingData, questionData } from './fixtures';

const root = join(__dirname, '..');
let out: string;
beforeAll(() => {
  out = mkdtempSync(join(tmpdir(), 'portal-build-'));
  execFileSync(
    join(root, '..', 'node_modules', '.bin', 'tsx'),
    [join(root, 'src', 'build.ts'), '--outdir', out],
    { cwd: root, stdio: 'pipe' },
  );
});
afterAll(() => rmSync(out, { recursive: true, force: true }));

const scriptsOf = (html: string) => [...html.matchAll(/<script src="\/assets\/([^"]+)"/g)].map((m) => m[1]!);

describe('requester JavaScript budget', () => {
  it(`stays within ${REQUESTER_JS_BUDGET_GZIP / 1024} KB gzipped in total on every requester page`, () => {
    const pages = [
      landingPage(landingData()),
      questionPage(questionData()),
      waitingPage({ helpdeskName: 'Acme', statusUrl: '/v/wait/status' }),
      attestationPage(attestationData()),
      resultPage('passed', 'Acme'),
      errorPage('LINK_EXPIRED'),
    ];
    const scripts = new Set(pages.flatMap(scriptsOf));
    expect(scripts.size).toBeGreaterThan(0);
    const total = [...scripts].reduce(
      (sum, name) => sum + gzipSync(readFileSync(join(out, name)), { level: 9 }).length,
      0,
    );
    console.log(`requester pages load ${[...scripts].join(', ')}: ${total} bytes gzipped`);
    expect(total).toBeLessThanOrEqual(REQUESTER_JS_BUDGET_GZIP);
  });
});
