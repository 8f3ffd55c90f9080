// The lock file installs the same everywhere (issue 7). `npm ci` refuses a lock that lacks another platform's
// optional packages ("Missing: @swc/core-darwin-arm64 from lock file"), which is what a lock updated from an
// existing node_modules can end up as. This checks the lock itself: every optional dependency any locked package
// declares has its own entry, and the workspaces' manifests agree with the lock's copy of them.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..', '..', '..');
const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as {
  lockfileVersion: number;
  packages: Record<
    string,
    {
      optionalDependencies?: Record<string, string>;
      dependencies?: Record<string, string>;
      devDependencies?: Record<string, string>;
      link?: boolean;
    }
  >;
};

/** Where Node would find `name` from the package at `path` (its own node_modules, then each parent's). */
function resolves(path: string, name: string): boolean {
  const parts = path ? path.split('/node_modules/') : [];
  for (let i = parts.length; i >= 0; i--) {
    const base = parts.slice(0, i).join('/node_modules/');
    const candidate = base ? `${base}/node_modules/${name}` : `node_modules/${name}`;
    if (lock.packages[candidate]) return true;
  }
  return false;
}

describe('package-lock.json', () => {
  it('is a version 3 lock', () => {
    expect(lock.lockfileVersion).toBe(3);
  });

  it("holds every platform's optional packages, so npm ci accepts it on any machine", () => {
    const missing = Object.entries(lock.packages).flatMap(([path, pkg]) =>
      Object.keys(pkg.optionalDependencies ?? {})
        .filter((name) => !resolves(path, name))
        .map((name) => `${path || '(root)'} → ${name}`),
    );
    expect(missing).toEqual([]);
    // The ones this project is known to need on other platforms.
    for (const name of ['@swc/core-darwin-arm64', '@swc/core-win32-x64-msvc', '@esbuild/darwin-arm64'])
      expect([name, Boolean(lock.packages[`node_modules/${name}`])]).toEqual([name, true]);
  });

  it("records each workspace's manifest as it is", () => {
    const workspaces = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).workspaces as string[];
    for (const ws of workspaces) {
      const manifest = JSON.parse(readFileSync(join(root, ws, 'package.json'), 'utf8'));
      const locked = lock.packages[ws]!;
      expect([ws, locked.dependencies ?? {}, locked.devDependencies ?? {}]).toEqual([
        ws,
        manifest.dependencies ?? {},
        manifest.devDependencies ?? {},
      ]);
    }
  });
});
