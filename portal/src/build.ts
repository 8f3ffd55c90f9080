// Builds the page scripts (src/client/*.ts) into dist/ with esbuild: one small minified bundle per page kind,
// loaded with <script src defer> (CSP script-src 'self'). `npm run build -w portal`; `npm test` and `npm run demo`
// run it first (scripts/launch.mjs). The service serves dist/ at /assets with an ETag.
import { build, type BuildOptions } from 'esbuild';
import { join } from 'node:path';

export const ENTRY_POINTS = {
  agent: 'src/client/agent.ts',
  requester: 'src/client/requester.ts',
  console: 'src/client/console.ts',
} as const;
/** Requester pages may load at most this much JavaScript, gzipped, in total (checked by test/size.test.ts). */
export const REQUESTER_JS_BUDGET_GZIP = 50 * 1024;

export function buildOptions(outdir: string): BuildOptions {
  const root = join(__dirname, '..');
  return {
    absWorkingDir: root,
    entryPoints: Object.fromEntries(
      Object.entries(ENTRY_POINTS).map(([name, path]) => [name, join(root, path)]),
    ),
    outdir,
    bundle: true,
    minify: true,
    format: 'iife',
    target: ['es2020', 'chrome90', 'firefox90', 'safari15'],
    platform: 'browser',
    legalComments: 'none',
    logLevel: 'warning',
  };
}

if (require.main === module) {
  const i = process.argv.indexOf('--outdir');
  const outdir = i > 0 && process.argv[i + 1] ? process.argv[i + 1]! : join(__dirname, '..', 'dist');
  build(buildOptions(outdir)).then(
    () => console.log(`portal: built ${Object.keys(ENTRY_POINTS).join(', ')} into ${outdir}`),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
