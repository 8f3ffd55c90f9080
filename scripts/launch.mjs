#!/usr/bin/env node
// The README's two commands, runnable on a fresh clone: `npm run demo` and `npm test`. Installs dependencies
// first when node_modules is missing or older than the lock file. No dependencies of its own.
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const run = (cmd, args, env = {}) => {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  if (r.status !== 0) process.exit(r.status ?? 1);
};

const marker = join(root, 'node_modules', '.package-lock.json');
const lock = join(root, 'package-lock.json');
if (!existsSync(marker) || statSync(marker).mtimeMs < statSync(lock).mtimeMs) {
  // Exactly the lock file: `npm ci` refuses a lock that does not match package.json and never rewrites it.
  console.log('Installing dependencies…');
  run('npm', ['ci', '--no-audit', '--no-fund']);
}

const bin = (name) => join(root, 'node_modules', '.bin', name);
// The portal's page scripts (portal/dist), which the service serves and the browser tests load.
const buildPortal = () => {
  console.log('Building the portal scripts…');
  run(bin('tsx'), [join('portal', 'src', 'build.ts')]);
};
const [command, ...rest] = process.argv.slice(2);
if (command === 'test') {
  buildPortal();
  console.log('Checking formatting, types and lint (declared imports included)…');
  run(bin('prettier'), ['--check', '--log-level', 'warn', '.']);
  run(bin('tsc'), ['-p', 'tsconfig.json']);
  run(bin('eslint'), ['.', '--max-warnings', '0']);
  run(bin('jest'), ['--ci', ...rest]);
} else if (command === 'demo') {
  // Ctrl-C reaches the whole process group: let the demo shut down cleanly, then exit with its code.
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => {});
  buildPortal();
  run(process.execPath, ['--import', 'tsx', join('scripts', 'demo.ts'), ...rest]);
} else {
  console.error('usage: launch.mjs test|demo');
  process.exit(2);
}
