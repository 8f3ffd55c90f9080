// A real Active Directory domain controller for the connector tests: Debian's Samba 4 (`apt-get install samba`;
// `.ci/run` installs it), provisioned into a directory of its own and run in the foreground as a child process.
//
// - Loopback only, on a loopback address of its own. Samba 4.17's AD LDAP server has no port setting (there is
//   no `ldap port` / `ldaps port` parameter: 389 and 636 are compiled in — `testparm --parameter-name="ldap port"`
//   answers "unknown parameter"), so instead of a free port each DC gets a free *address* in 127.0.0.0/8
//   (`interfaces = 127.x.y.z/8`, `bind interfaces only = yes`): two test runs, or a slapd on 127.0.0.1:636,
//   never collide, and nothing is left listening after `stop()`.
// - Only the `ldap` service runs (no SMB, KDC, DNS, NetBIOS, RPC); one process (`-M single`); simple binds need
//   TLS (`ldap server require strong auth = yes`). Samba generates a self-signed CA and host certificate into
//   `private/tls` on its first start; the tests trust that CA and check the name on the certificate.
// - Provisioning (`samba-tool domain provision`), the password policy and the users are made once and cached
//   under ~/.cache/imper-verify/samba/<samba version>-<recipe hash> (IMPER_SAMBA_CACHE overrides the root); each
//   DC starts from a fresh copy, so every test file begins with the same accounts and no bad-password counts.
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { createHash, X509Certificate } from 'node:crypto';
import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'node:tls';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const REALM = 'IMPER.TEST';
export const BASE_DN = 'DC=imper,DC=test';
export const ADMIN = {
  dn: `CN=Administrator,CN=Users,${BASE_DN}`,
  password: 'Samba-Admin-Pass-1',
};

/** The accounts every DC starts with (password policy: length ≥ 8, history 3, lockout after 3 bad binds). */
export const USERS = {
  alice: { userName: 'alice', password: 'Alice-Initial-1', given: 'Alice', surname: 'Archer' },
  bob: { userName: 'bob', password: 'Bob-Initial-1', given: 'Bob', surname: 'Baker' },
  carol: {
    userName: 'carol',
    password: 'Carol-Initial-1',
    given: 'Carol',
    surname: 'Cooper',
    disabled: true,
  },
  dave: { userName: 'dave', password: 'Dave-Initial-1', given: 'Dave', surname: 'Dunn' },
  erin: { userName: 'erin', password: 'Erin-Initial-1', given: 'Erin', surname: 'Evans' },
  /** A plain user with no rights over others: a connector bound as it gets "insufficient access" */
  helpdeskRo: { userName: 'helpdesk-ro', password: 'Helpdesk-Ro-1', given: 'Read', surname: 'Only' },
} as const;

export const PASSWORD_POLICY = {
  minLength: 8,
  history: 3,
  lockoutThreshold: 3,
  lockoutMinutes: 30,
};

export interface SambaDc {
  /** ldaps://127.x.y.z:636 */
  url: string;
  host: string;
  baseDn: string;
  /** PEM of the DC's self-signed CA (private/tls/ca.pem) */
  ca: string;
  /** The host name on the DC's certificate (the URL uses an address, so the connector checks this name) */
  servername: string;
  smbConf: string;
  timings: { templateMs: number; startMs: number; templateCached: boolean };
  /** Stops the server (SIGTERM, then SIGKILL); the data stays, so `start()` brings the same DC back. */
  stop(): Promise<void>;
  start(): Promise<void>;
  /** SIGSTOP / SIGCONT: the port stays open but nothing answers */
  freeze(): void;
  thaw(): void;
  /** Stops the server and removes its directory */
  destroy(): Promise<void>;
}

/** Bump when the provisioning recipe below changes in a way the hash of its inputs does not show. */
const RECIPE_VERSION = 1;

const SAMBA = process.env.IMPER_SAMBA_BIN ?? '/usr/sbin/samba';
const SAMBA_TOOL = process.env.IMPER_SAMBA_TOOL ?? '/usr/bin/samba-tool';

export async function startSambaDc(): Promise<SambaDc> {
  if (!existsSync(SAMBA) || !existsSync(SAMBA_TOOL)) {
    throw new Error(
      `Samba AD DC not installed (${SAMBA}, ${SAMBA_TOOL}): apt-get install -y samba (.ci/run installs it)`,
    );
  }
  const t0 = Date.now();
  const { dir: template, cached } = await ensureTemplate();
  const templateMs = Date.now() - t0;

  const runDir = await mkdtemp(join(tmpdir(), 'imper-samba-'));
  await cp(template, runDir, { recursive: true });
  const host = await freeLoopbackAddress();
  const smbConf = join(runDir, 'etc', 'smb.conf');
  const conf = (await readFile(smbConf, 'utf8'))
    .replaceAll(template, runDir)
    .replace(/^\s*interfaces = .*$/m, `\tinterfaces = ${host}/8`);
  await writeFile(smbConf, conf);

  let child: ChildProcess | null = null;
  let output = '';
  const t1 = Date.now();

  async function start() {
    if (child) return;
    output = '';
    const proc = spawn(SAMBA, ['-i', '-M', 'single', '-s', smbConf, '-d', '1'], {
      // stdin stays a pipe: in interactive mode samba exits on EOF, so it never outlives the test process.
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    child = proc;
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-8000);
    };
    proc.stdout!.on('data', keep);
    proc.stderr!.on('data', keep);
    proc.on('exit', () => {
      if (child === proc) child = null;
    });
    await waitForLdaps(host, runDir, proc, () => output);
  }

  async function stop() {
    const proc = child;
    if (!proc) return;
    proc.kill('SIGCONT');
    proc.kill('SIGTERM');
    const exited = await waitExit(proc, 10_000);
    if (!exited) {
      proc.kill('SIGKILL');
      await waitExit(proc, 5_000);
    }
    child = null;
  }

  await start();
  const startMs = Date.now() - t1;
  const ca = await readFile(join(runDir, 'private', 'tls', 'ca.pem'), 'utf8');
  const cert = new X509Certificate(await readFile(join(runDir, 'private', 'tls', 'cert.pem')));
  const servername = /(?:^|\n)CN=([^\n]+)/.exec(cert.subject)?.[1] ?? '';

  return {
    url: `ldaps://${host}:636`,
    host,
    baseDn: BASE_DN,
    ca,
    servername,
    smbConf,
    timings: { templateMs, startMs, templateCached: cached },
    stop,
    start,
    freeze: () => child?.kill('SIGSTOP'),
    thaw: () => child?.kill('SIGCONT'),
    async destroy() {
      await stop();
      await rm(runDir, { recursive: true, force: true });
    },
  };
}

/** Runs samba-tool against a DC's database (works whether or not the server runs). */
export async function sambaTool(smbConf: string, args: string[]): Promise<string> {
  const { stdout } = await run(SAMBA_TOOL, [...args, '-s', smbConf], { timeout: 60_000 });
  return stdout;
}

// ---------------------------------------------------------------------------------------------------------------

const PROVISION_OPTIONS = [
  'interfaces = 127.0.0.1/8', // rewritten per DC
  'bind interfaces only = yes',
  'server services = ldap',
  'ldap server require strong auth = yes',
  'tls enabled = yes',
];

/** Added to [global] after provisioning (provision leaves out an --option equal to… some defaults). */
const EXTRA_GLOBALS = [
  // Samba lets the previous password sign in for 60 minutes after a reset ("to re-cache the new password on
  // other clients") — for LDAP simple binds too. Windows keeps that grace to NTLM network logons; an LDAP bind
  // there takes only the new password, so the tests' "the old one no longer binds" needs it off.
  'old password allowed period = 0',
];

async function ensureTemplate(): Promise<{ dir: string; cached: boolean }> {
  const { stdout: version } = await run(SAMBA, ['--version']);
  const recipe = JSON.stringify({
    RECIPE_VERSION,
    REALM,
    ADMIN,
    USERS,
    PASSWORD_POLICY,
    PROVISION_OPTIONS,
    EXTRA_GLOBALS,
  });
  const key = `${version.trim().replace(/[^\w.+-]/g, '_')}-${createHash('sha256').update(recipe).digest('hex').slice(0, 12)}`;
  const root = process.env.IMPER_SAMBA_CACHE ?? join(homedir(), '.cache', 'imper-verify', 'samba');
  const dir = join(root, key);
  if (existsSync(join(dir, '.complete'))) return { dir, cached: true };

  await mkdir(root, { recursive: true });
  const work = await mkdtemp(join(root, 'building-'));
  try {
    await provision(work);
    await writeFile(join(work, '.complete'), `${new Date().toISOString()}\n`);
    // The paths in smb.conf name the build directory; point them at the final one (each DC rewrites them again).
    const confPath = join(work, 'etc', 'smb.conf');
    await writeFile(confPath, (await readFile(confPath, 'utf8')).replaceAll(work, dir));
    try {
      await rename(work, dir);
    } catch (err) {
      // Another test process finished first: use its copy.
      if (!existsSync(join(dir, '.complete'))) throw err;
      await rm(work, { recursive: true, force: true });
    }
  } catch (err) {
    await rm(work, { recursive: true, force: true });
    throw err;
  }
  // Older recipes or Samba versions: gone.
  for (const name of await readdir(root)) {
    if (name !== key && !name.startsWith('building-'))
      await rm(join(root, name), { recursive: true, force: true });
  }
  return { dir, cached: false };
}

async function provision(dir: string) {
  await run(
    SAMBA_TOOL,
    [
      'domain',
      'provision',
      `--realm=${REALM}`,
      '--domain=IMPER',
      '--host-name=DC1',
      '--server-role=dc',
      '--dns-backend=NONE',
      `--adminpass=${ADMIN.password}`,
      `--targetdir=${dir}`,
      ...PROVISION_OPTIONS.map((o) => `--option=${o}`),
    ],
    { timeout: 120_000 },
  );
  const smbConf = join(dir, 'etc', 'smb.conf');
  // Samba wants these to exist; its defaults (/run/samba, /var/log/samba) are shared with a system Samba.
  for (const sub of ['cache', 'run', 'log']) await mkdir(join(dir, sub), { recursive: true });
  const conf = (await readFile(smbConf, 'utf8'))
    .replace(/^\s*log file = .*$/m, `\tlog file = ${dir}/log/log.%m`)
    .replace(
      /^\[global\]$/m,
      [
        '[global]',
        `\tpid directory = ${dir}/run`,
        `\tncalrpc dir = ${dir}/run/ncalrpc`,
        `\twinbindd socket directory = ${dir}/run/winbindd`,
        `\tntp signd socket directory = ${dir}/run/ntp_signd`,
        ...EXTRA_GLOBALS.map((line) => `\t${line}`),
      ].join('\n'),
    );
  await writeFile(smbConf, conf);
  await sambaTool(smbConf, [
    'domain',
    'passwordsettings',
    'set',
    `--min-pwd-length=${PASSWORD_POLICY.minLength}`,
    `--history-length=${PASSWORD_POLICY.history}`,
    `--account-lockout-threshold=${PASSWORD_POLICY.lockoutThreshold}`,
    `--account-lockout-duration=${PASSWORD_POLICY.lockoutMinutes}`,
    `--reset-account-lockout-after=${PASSWORD_POLICY.lockoutMinutes}`,
    '--min-pwd-age=0',
    '--max-pwd-age=0',
  ]);
  for (const u of Object.values(USERS)) {
    await sambaTool(smbConf, [
      'user',
      'create',
      u.userName,
      u.password,
      `--given-name=${u.given}`,
      `--surname=${u.surname}`,
      `--mail-address=${u.userName}@imper.test`,
    ]);
    if ('disabled' in u && u.disabled) await sambaTool(smbConf, ['user', 'disable', u.userName]);
  }
}

/** A 127.x.y.z on which 389 and 636 are free (Samba's AD LDAP ports cannot be moved). */
async function freeLoopbackAddress(): Promise<string> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const host = `127.${100 + rand(150)}.${rand(256)}.${1 + rand(253)}`;
    if ((await portFree(host, 636)) && (await portFree(host, 389))) return host;
  }
  throw new Error('no free loopback address for Samba (389/636 taken everywhere?)');
}

function rand(n: number) {
  return Math.floor(Math.random() * n);
}

function portFree(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ host, port, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

async function waitForLdaps(host: string, dir: string, proc: ChildProcess, output: () => string) {
  const deadline = Date.now() + 60_000;
  let exited: number | null | undefined;
  proc.once('exit', (code) => (exited = code));
  while (Date.now() < deadline) {
    if (exited !== undefined) throw new Error(`samba exited (${exited}) before LDAPS answered:\n${output()}`);
    const caPath = join(dir, 'private', 'tls', 'ca.pem');
    if (existsSync(caPath) && (await tlsAnswers(host, await readFile(caPath, 'utf8')))) return;
    await new Promise((r) => setTimeout(r, 150));
  }
  proc.kill('SIGKILL');
  throw new Error(`samba: LDAPS on ${host}:636 did not answer within 60 s:\n${output()}`);
}

function tlsAnswers(host: string, ca: string): Promise<boolean> {
  return new Promise((resolve) => {
    // The name is not checked here (only that TLS with this CA completes); the tests check it.
    const socket = connect({ host, port: 636, ca, checkServerIdentity: () => undefined, timeout: 2000 });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.once('secureConnect', () => done(true));
    socket.once('error', () => done(false));
    socket.once('timeout', () => done(false));
  });
}

function waitExit(proc: ChildProcess, ms: number): Promise<boolean> {
  if (proc.exitCode !== null || proc.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    proc.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}
