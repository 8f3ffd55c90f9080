// The production image, checked without a container engine (issue 7): the Dockerfile's runtime stage is
// assembled in a temporary folder by following its own instructions (COPY from the context or the build stage,
// RUN npm ci --omit=dev, ENV, WORKDIR), then its CMD starts the compiled service against PostgreSQL with a
// production configuration, and its HEALTHCHECK must pass. The build stage's output (verifier-service/dist and
// portal/dist) is produced here the way that stage produces it.
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually } from '../browser-client';
import { createTestDatabase } from '../db';
import { freePort } from '../helper';

const root = join(__dirname, '..', '..', '..');

interface Stage {
  name: string;
  base: string;
  lines: { op: string; args: string }[];
}

/** The Dockerfile's stages, with line continuations joined and comments dropped. */
function parseDockerfile(text: string): Stage[] {
  const joined = text.replace(/\\\n/g, ' ');
  const stages: Stage[] = [];
  for (const raw of joined.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const [, op = '', args = ''] = /^(\S+)\s*(.*)$/.exec(line) ?? [];
    if (op.toUpperCase() === 'FROM') {
      const m = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(args)!;
      // A stage built FROM an earlier one starts with that stage's instructions, on that stage's image.
      const parent = stages.find((s) => s.name === m[1]);
      stages.push({
        base: parent?.base ?? m[1]!,
        name: m[2] ?? String(stages.length),
        lines: [...(parent?.lines ?? [])],
      });
    } else stages.at(-1)!.lines.push({ op: op.toUpperCase(), args });
  }
  return stages;
}

const dockerfile = readFileSync(join(root, 'Dockerfile'), 'utf8');
const stages = parseDockerfile(dockerfile);
const runtime = stages.at(-1)!;

/** Follows the runtime stage's instructions in `dir` (its WORKDIR), returning what it declares. */
function assemble(dir: string) {
  const env: Record<string, string> = {};
  let workdir = '/';
  let cmd: string[] = [];
  let healthcheck: string[] = [];
  let user = 'root';
  const local = (p: string) => join(dir, p.startsWith(workdir) ? p.slice(workdir.length) : p);
  for (const { op, args } of runtime.lines) {
    if (op === 'ENV') {
      for (const [, k, v] of args.matchAll(/(\w+)=(\S+)/g)) env[k!] = v!;
    } else if (op === 'WORKDIR') {
      workdir = args.endsWith('/') ? args : `${args}/`;
    } else if (op === 'COPY') {
      const parts = args.split(/\s+/);
      const from = parts[0]!.startsWith('--from=') ? parts.shift()!.slice('--from='.length) : null;
      const dest = parts.pop()!;
      for (const src of parts) {
        // The build stage's WORKDIR is the repository's root (it copies the whole context there).
        const source = join(root, from ? src.replace(/^\/app\//, '') : src);
        const target = dest.endsWith('/') ? join(local(dest), src.split('/').pop()!) : local(dest);
        cpSync(source, target, { recursive: true });
      }
    } else if (op === 'RUN') {
      const r = spawnSync('sh', ['-c', args], {
        cwd: dir,
        env: { ...process.env, ...env },
        encoding: 'utf8',
      });
      if (r.status !== 0) throw new Error(`RUN ${args} failed:\n${r.stdout}\n${r.stderr}`);
    } else if (op === 'CMD') cmd = JSON.parse(args);
    else if (op === 'HEALTHCHECK') healthcheck = JSON.parse(args.replace(/^.*?\bCMD\s+/, ''));
    else if (op === 'USER') user = args;
    else if (op !== 'EXPOSE') throw new Error(`the image check does not know ${op}`);
  }
  return { env, cmd, healthcheck, user };
}

let dir: string;
let db: Awaited<ReturnType<typeof createTestDatabase>>;
let child: ChildProcess | undefined;
let output = '';
let image: ReturnType<typeof assemble>;

beforeAll(async () => {
  // The build stage: the portal's page scripts and the compiled service.
  if (!existsSync(join(root, 'portal', 'dist', 'requester.js')))
    execFileSync(process.execPath, [join(root, 'node_modules', '.bin', 'tsx'), 'portal/src/build.ts'], {
      cwd: root,
    });
  execFileSync(process.execPath, ['verifier-service/build.mjs'], { cwd: root });
  dir = mkdtempSync(join(tmpdir(), 'imper-image-'));
  image = assemble(dir);
  db = await createTestDatabase();
}, 240_000);

afterAll(async () => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  await db?.drop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the production image (Dockerfile runtime stage, issue 7)', () => {
  it('is built on Node 24 and runs compiled JavaScript as the node user, without tsx', () => {
    expect(new Set(stages.map((s) => s.base))).toEqual(new Set(['node:24-bookworm-slim']));
    expect(runtime.lines.map((l) => l.args).join('\n')).not.toMatch(/tsx/);
    expect(image.user).toBe('node');
    expect(image.cmd).toEqual(['node', '--enable-source-maps', 'verifier-service/dist/server.js']);
  });

  it('holds production dependencies only, and no sources or tests', () => {
    // Where Node would look from the service's folder: its own node_modules, then the root's.
    const found = (pkg: string) =>
      [join(dir, 'verifier-service', 'node_modules', pkg), join(dir, 'node_modules', pkg)].some((p) =>
        existsSync(join(p, 'package.json')),
      );
    for (const dev of ['tsx', 'typescript', 'jest', 'esbuild', '@swc/core', '@servicenow/sdk', 'prettier'])
      expect([dev, found(dev)]).toEqual([dev, false]);
    for (const prod of ['fastify', 'jose', 'kysely', 'pg', 'graphile-worker', '@electric-sql/pglite'])
      expect([prod, found(prod)]).toEqual([prod, true]);
    expect(existsSync(join(dir, 'verifier-service', 'src'))).toBe(false);
    expect(existsSync(join(dir, 'verifier-service', 'test'))).toBe(false);
    expect(existsSync(join(dir, 'portal', 'dist', 'requester.js'))).toBe(true);
  });

  it('migrates with the compose file’s command, starts on PostgreSQL and passes its HEALTHCHECK', async () => {
    // docker-compose.yml's one-shot migration, as it runs it.
    expect(readFileSync(join(root, 'docker-compose.yml'), 'utf8')).toContain(
      "command: ['node', 'verifier-service/dist/migrate-cli.js']",
    );
    const migrate = spawnSync(process.execPath, ['verifier-service/dist/migrate-cli.js'], {
      cwd: dir,
      env: { PATH: process.env.PATH, ...image.env, DATABASE_URL: db.url },
      encoding: 'utf8',
    });
    expect(migrate.stderr).toBe('');
    expect(migrate.stdout).toContain('migrations up to date');

    const port = await freePort();
    const key = randomBytes(32).toString('base64');
    const env = {
      PATH: process.env.PATH,
      ...image.env,
      HOST: '127.0.0.1',
      PORT: String(port),
      DATABASE_URL: db.url,
      MIGRATE_ON_START: 'false',
      LOG_LEVEL: 'warn',
      PUBLIC_BASE_URL: 'https://verify.example.test',
      DATA_ENCRYPTION_KEY: key,
      TENANTS: JSON.stringify([
        {
          slug: 'acme',
          name: 'Acme IT',
          instanceUrl: 'https://acme.service-now.example',
          auth: { type: 'basic', username: 'imper.integration', password: 'not-used-here' },
          launchSecret: randomBytes(32).toString('base64'),
        },
      ]),
      SENDGRID_API_KEY: 'SG.not-used-here',
      SENDGRID_FROM_EMAIL: 'helpdesk@example.test',
      SENDGRID_WEBHOOK_PUBLIC_KEY: randomBytes(40).toString('base64'),
      TWILIO_ACCOUNT_SID: `AC${'0'.repeat(32)}`,
      TWILIO_AUTH_TOKEN: 'not-used-here',
      TWILIO_FROM: '+15005550006',
    };
    const [bin, ...args] = image.cmd;
    expect(bin).toBe('node');
    // Plain node: nothing from this process's loaders (jest, tsx) reaches the child.
    child = spawn(process.execPath, args, { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout!.on('data', (d) => (output += String(d)));
    child.stderr!.on('data', (d) => (output += String(d)));
    await eventually(
      async () =>
        (await fetch(`http://127.0.0.1:${port}/health/ready`).catch(() => null))?.status === 200 ||
        child!.exitCode !== null,
      { timeoutMs: 60_000, intervalMs: 200 },
    );
    expect({ exitCode: child.exitCode, output }).toEqual({ exitCode: null, output: expect.any(String) });

    const [hcBin, ...hcArgs] = image.healthcheck;
    expect(hcBin).toBe('node');
    const hc = spawnSync(process.execPath, hcArgs, { env, encoding: 'utf8' });
    expect(hc.status).toBe(0);

    // SIGTERM (what `docker stop` sends) stops it cleanly.
    const exited = new Promise<number | null>((r) => child!.once('exit', (code) => r(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  }, 90_000);
});
