// Compiles the service for production (`npm run build -w verifier-service`): each entry point into one
// CommonJS file under dist/, with our workspace packages (@imper/shared, @imper/portal) bundled in and every
// third-party package left to node_modules (installed with `npm ci --omit=dev`). The image runs
// `node dist/server.js`: no tsx, no TypeScript at run time. The portal's assets stay on disk (portal/assets,
// portal/dist), found through its package.json.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(fileURLToPath(import.meta.url));
export const ENTRY_POINTS = {
  server: 'src/server.ts',
  'migrate-cli': 'src/db/migrate-cli.ts',
  'audit-verify-cli': 'src/audit/verify-cli.ts',
  'writeback-redrive-cli': 'src/jobs/redrive-cli.ts',
  'api-keys-cli': 'src/api-keys-cli.ts',
  'console-users-cli': 'src/console-users-cli.ts',
};

/** Bare imports other than our own workspaces stay external: they come from node_modules at run time. */
const externalPackages = {
  name: 'external-packages',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) =>
      args.path.startsWith('@imper/') && args.path !== '@imper/portal/package.json'
        ? undefined
        : { path: args.path, external: true },
    );
  },
};

const outdir = join(root, 'dist');
rmSync(outdir, { recursive: true, force: true });
await build({
  absWorkingDir: root,
  entryPoints: Object.fromEntries(Object.entries(ENTRY_POINTS).map(([k, v]) => [k, join(root, v)])),
  outdir,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  // require.resolve('@imper/portal/package.json') must stay a runtime call (the portal's assets are on disk).
  plugins: [externalPackages],
  logLevel: 'warning',
});
console.log(`verifier-service: built ${Object.keys(ENTRY_POINTS).join(', ')} into ${outdir}`);
