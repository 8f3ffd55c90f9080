// The requester's browser collector: what it posts always passes the service's schema, odd or hostile browser
// values included, and it stays a small part of the requester JavaScript budget.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { Value } from '@sinclair/typebox/value';
import { SignalsPayloadSchema } from '@imper/shared';
import { collectSignals } from '../src/client/signals';

const CHROME_WIN =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36';

const stubbed: string[] = [];
function stub(name: string, value: unknown) {
  Object.defineProperty(globalThis, name, { value, configurable: true, writable: true });
  stubbed.push(name);
}
afterEach(() => {
  for (const name of stubbed.splice(0)) delete (globalThis as Record<string, unknown>)[name];
});

const gl = (renderer: unknown) => ({
  RENDERER: 0x1f01,
  getExtension: (name: string) =>
    name === 'WEBGL_debug_renderer_info'
      ? { UNMASKED_RENDERER_WEBGL: 0x9246 }
      : { loseContext: () => undefined },
  getParameter: () => renderer,
});

function browser(
  nav: Record<string, unknown>,
  opts: { renderer?: unknown; width?: number; throwGl?: boolean } = {},
) {
  stub('navigator', nav);
  stub('screen', { width: opts.width ?? 1920, height: 1080 });
  stub('window', { devicePixelRatio: 1.25 });
  stub('document', {
    createElement: () => ({
      getContext: () => {
        if (opts.throwGl) throw new Error('no webgl');
        return gl(opts.renderer ?? 'ANGLE (Intel, Intel(R) UHD Graphics 620, D3D11)');
      },
    }),
  });
}

describe('collectSignals', () => {
  it('collects a payload the service accepts, from a desktop Chrome', () => {
    browser({
      userAgent: CHROME_WIN,
      webdriver: false,
      languages: ['en-GB', 'en'],
      maxTouchPoints: 0,
      plugins: { length: 5 },
      hardwareConcurrency: 8,
      userAgentData: { brands: [{ brand: 'Chromium', version: '130' }], mobile: false, platform: 'Windows' },
    });
    const p = collectSignals();
    expect(Value.Errors(SignalsPayloadSchema, p).First()).toBeUndefined();
    expect(p).toMatchObject({
      userAgent: CHROME_WIN,
      webdriver: false,
      languages: ['en-GB', 'en'],
      screen: { w: 1920, h: 1080, dpr: 1.25 },
      pluginsCount: 5,
      webglRenderer: 'ANGLE (Intel, Intel(R) UHD Graphics 620, D3D11)',
      userAgentData: { mobile: false, platform: 'Windows' },
      hardwareConcurrency: 8,
    });
    expect(typeof p.timeZone).toBe('string');
  });

  it('reports what a headless browser shows (webdriver, SwiftShader, no languages)', () => {
    browser(
      { userAgent: 'HeadlessChrome/130', webdriver: true, languages: [], plugins: { length: 0 } },
      { renderer: 'Google SwiftShader' },
    );
    const p = collectSignals();
    expect(p).toMatchObject({
      webdriver: true,
      languages: [],
      webglRenderer: 'Google SwiftShader',
      pluginsCount: 0,
    });
    expect(Value.Check(SignalsPayloadSchema, p)).toBe(true);
  });

  it('clamps odd or hostile values to the schema instead of failing it', () => {
    browser(
      {
        userAgent: `${'x'.repeat(2000)}\n`,
        webdriver: 'yes',
        languages: ['en', 'bad tag<>', ...Array(40).fill('fr')],
        maxTouchPoints: 9999,
        hardwareConcurrency: -4,
        userAgentData: {
          brands: Array(30).fill({ brand: 'b'.repeat(500), version: 7 }),
          mobile: 'no',
          platform: 'p\u0000'.repeat(50),
        },
      },
      { width: Number.NaN, throwGl: true },
    );
    const p = collectSignals();
    expect(Value.Errors(SignalsPayloadSchema, p).First()).toBeUndefined();
    expect(p).toMatchObject({
      webdriver: null,
      webglRenderer: null,
      maxTouchPoints: 256,
      hardwareConcurrency: 0,
    });
    expect(p.languages).toHaveLength(20);
    expect(p.userAgentData!.brands).toHaveLength(10);
  });

  it('stays tiny next to the 50 KB requester budget (built with esbuild, gzipped)', () => {
    const out = mkdtempSync(join(tmpdir(), 'portal-signals-'));
    try {
      // esbuild's API does not run inside jest's sandbox: build in a child process, as size.test.ts does.
      execFileSync(
        join(__dirname, '..', '..', 'node_modules', '.bin', 'esbuild'),
        [
          join(__dirname, '..', 'src', 'client', 'signals.ts'),
          '--bundle',
          '--minify',
          '--format=iife',
          '--global-name=imperSignals',
          '--target=es2020,chrome90,firefox90,safari15',
          `--outfile=${join(out, 'signals.js')}`,
        ],
        { stdio: 'pipe' },
      );
      const gz = gzipSync(readFileSync(join(out, 'signals.js')), { level: 9 }).length;
      console.log(`signals collector: ${gz} bytes gzipped`);
      expect(gz).toBeLessThan(3 * 1024);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
