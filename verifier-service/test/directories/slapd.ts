// A real OpenLDAP server for the LDAP connector's tests: Debian's `slapd` (installed by `.ci/run`) started as a
// child process on a free loopback port, with a throw-away cn=config directory generated here (slapadd -n0), an mdb
// database, the ppolicy overlay with a default policy, ACLs for the service DN, and a few seeded users. `stop()`
// and `start()` restart it on the same port and data (to prove "directory down → nothing half done");
// `dispose()` kills it and removes the directory.
//
// The service DN is an ordinary entry, not the rootDN: the rootDN would bypass ppolicy's quality and history checks,
// so the tests would prove nothing about the policy. The database still names a rootDN, without a password (nobody
// can bind as it): ppolicy's own bookkeeping (pwdFailureTime, pwdAccountLockedTime after failed binds,
// pwdChangedTime) runs as internal operations under the rootDN's identity, and without one it silently records
// nothing. ACLs: the service DN may write userPassword (so the policy applies), manage pwdAccountLockedTime and
// pwdFailureTime (unlock, lock), and read the people; people authenticate and change their own password.
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const SUFFIX = 'dc=example,dc=com';
export const SERVICE_DN = `cn=imper,ou=services,${SUFFIX}`;
export const SERVICE_PASSWORD = 'service-dn-test-secret';
export const POLICY = { minLength: 8, inHistory: 3, maxFailure: 3 };

/** Seeded people: uid → password */
export const USERS: Record<string, string> = {
  alice: 'alice-initial-pw',
  bob: 'bob-initial-pw',
  carol: 'carol-initial-pw',
  dave: 'dave-initial-pw',
  erin: 'erin-initial-pw',
  /** under the `young` policy (pwdMinAge one hour) instead of the default */
  frank: 'frank-initial-pw',
};

const SLAPD = '/usr/sbin/slapd';
const SLAPADD = '/usr/sbin/slapadd';
const SLAPPASSWD = '/usr/sbin/slappasswd';
const MODULES = '/usr/lib/ldap';
const SCHEMAS = ['core', 'cosine', 'inetorgperson'].map((s) => `/etc/ldap/schema/${s}.ldif`);

export interface Slapd {
  url: string;
  port: number;
  /** The pid of the running slapd, or null while stopped */
  pid(): number | null;
  stop(): Promise<void>;
  start(): Promise<void>;
  /** SIGSTOP (resolves once every thread is stopped) / SIGCONT: the port still accepts connections but nothing
   * answers (timeouts) */
  freeze(): Promise<void>;
  thaw(): void;
  dispose(): Promise<void>;
}

function requireInstalled() {
  const missing = [
    SLAPD,
    SLAPADD,
    SLAPPASSWD,
    join(MODULES, 'back_mdb.so'),
    join(MODULES, 'ppolicy.so'),
  ].filter((p) => !existsSync(p));
  if (missing.length > 0)
    throw new Error(
      `OpenLDAP is not installed (missing ${missing.join(', ')}): the LDAP connector tests need Debian's slapd. ` +
        '`.ci/run` installs it (apt-get install -y slapd ldap-utils).',
    );
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      if (!address || typeof address === 'string') return reject(new Error('no port'));
      srv.close(() => resolve(address.port));
    });
  });
}

async function hash(password: string): Promise<string> {
  const { stdout } = await run(SLAPPASSWD, ['-h', '{SSHA}', '-s', password]);
  return stdout.trim();
}

function configLdif(dir: string): string {
  const svc = `dn.exact="${SERVICE_DN}"`;
  return `dn: cn=config
objectClass: olcGlobal
cn: config
olcPidFile: ${dir}/slapd.pid
olcLogLevel: none

dn: cn=module{0},cn=config
objectClass: olcModuleList
cn: module{0}
olcModulePath: ${MODULES}
olcModuleLoad: back_mdb
olcModuleLoad: ppolicy

dn: cn=schema,cn=config
objectClass: olcSchemaConfig
cn: schema

${SCHEMAS.map((s) => `include: file://${s}`).join('\n\n')}

dn: olcDatabase={-1}frontend,cn=config
objectClass: olcDatabaseConfig
objectClass: olcFrontendConfig
olcDatabase: {-1}frontend
olcPasswordHash: {SSHA}

dn: olcDatabase={0}config,cn=config
objectClass: olcDatabaseConfig
olcDatabase: {0}config
olcAccess: {0}to * by * none

dn: olcDatabase={1}mdb,cn=config
objectClass: olcDatabaseConfig
objectClass: olcMdbConfig
olcDatabase: {1}mdb
olcSuffix: ${SUFFIX}
olcRootDN: cn=nobody,${SUFFIX}
olcDbDirectory: ${dir}/data
olcDbMaxSize: 16777216
olcDbIndex: objectClass eq
olcDbIndex: uid eq
olcAccess: {0}to attrs=userPassword by ${svc} write by self write by anonymous auth by * none
olcAccess: {1}to attrs=pwdAccountLockedTime,pwdFailureTime by ${svc} manage by * none
olcAccess: {2}to dn.subtree="ou=people,${SUFFIX}" by ${svc} read by self read by * none
olcAccess: {3}to * by ${svc} search by * none

dn: olcOverlay={0}ppolicy,olcDatabase={1}mdb,cn=config
objectClass: olcOverlayConfig
objectClass: olcPPolicyConfig
olcOverlay: {0}ppolicy
olcPPolicyDefault: cn=default,ou=policies,${SUFFIX}
olcPPolicyHashCleartext: TRUE
`;
}

async function dataLdif(): Promise<string> {
  const people = await Promise.all(
    Object.entries(USERS).map(
      async ([uid, password]) => `dn: uid=${uid},ou=people,${SUFFIX}
objectClass: inetOrgPerson
uid: ${uid}
cn: ${uid[0]!.toUpperCase()}${uid.slice(1)} Example
sn: Example
mail: ${uid}@example.com
userPassword: ${await hash(password)}
${uid === 'frank' ? `pwdPolicySubentry: cn=young,ou=policies,${SUFFIX}\n` : ''}`,
    ),
  );
  return `dn: ${SUFFIX}
objectClass: dcObject
objectClass: organization
dc: example
o: Example

dn: ou=people,${SUFFIX}
objectClass: organizationalUnit
ou: people

dn: ou=services,${SUFFIX}
objectClass: organizationalUnit
ou: services

dn: ou=policies,${SUFFIX}
objectClass: organizationalUnit
ou: policies

dn: ${SERVICE_DN}
objectClass: applicationProcess
objectClass: simpleSecurityObject
cn: imper
userPassword: ${await hash(SERVICE_PASSWORD)}

dn: cn=default,ou=policies,${SUFFIX}
objectClass: device
objectClass: pwdPolicy
cn: default
pwdAttribute: userPassword
pwdMinLength: ${POLICY.minLength}
pwdInHistory: ${POLICY.inHistory}
pwdMaxFailure: ${POLICY.maxFailure}
pwdLockout: TRUE
pwdLockoutDuration: 0
pwdCheckQuality: 2
pwdAllowUserChange: TRUE
pwdMustChange: FALSE

dn: cn=young,ou=policies,${SUFFIX}
objectClass: device
objectClass: pwdPolicy
cn: young
pwdAttribute: userPassword
pwdMinLength: ${POLICY.minLength}
pwdMinAge: 3600

${people.join('\n')}`;
}

async function waitForPort(port: number, child: ChildProcess, stderr: () => string, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(`slapd exited (${child.exitCode ?? child.signalCode}): ${stderr()}`);
    const open = await new Promise<boolean>((resolve) => {
      const s = connect(port, '127.0.0.1');
      s.once('connect', () => {
        s.destroy();
        resolve(true);
      });
      s.once('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`slapd did not listen on ${port} within ${timeoutMs} ms: ${stderr()}`);
}

/** The signal is delivered asynchronously: wait until /proc shows every thread of the process stopped (T) */
async function allThreadsStopped(pid: number, timeoutMs = 5000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const tasks = await readdir(`/proc/${pid}/task`);
    const states = await Promise.all(
      tasks.map(async (t) => {
        const stat = await readFile(`/proc/${pid}/task/${t}/stat`, 'utf8').catch(() => ') T');
        return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
      }),
    );
    if (states.every((s) => s === 'T' || s === 't')) return;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`slapd (${pid}) did not stop within ${timeoutMs} ms`);
}

export async function startSlapd(): Promise<Slapd> {
  requireInstalled();
  const dir = await mkdtemp(join(tmpdir(), 'imper-slapd-'));
  const confDir = join(dir, 'slapd.d');
  await mkdir(confDir);
  await mkdir(join(dir, 'data'));
  await writeFile(join(dir, 'config.ldif'), configLdif(dir));
  await writeFile(join(dir, 'data.ldif'), await dataLdif());
  await run(SLAPADD, ['-n', '0', '-F', confDir, '-l', join(dir, 'config.ldif')]);
  await run(SLAPADD, ['-n', '1', '-F', confDir, '-l', join(dir, 'data.ldif')]);

  const port = await freePort();
  const url = `ldap://127.0.0.1:${port}`;
  let child: ChildProcess | null = null;

  async function start() {
    if (child) return;
    let err = '';
    // -d 0: stay in the foreground (a child we can kill), log nothing but fatal start-up errors to stderr
    const proc = spawn(SLAPD, ['-d', '0', '-F', confDir, '-h', `${url}/`], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    proc.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    child = proc;
    try {
      await waitForPort(port, proc, () => err);
    } catch (e) {
      proc.kill('SIGKILL');
      child = null;
      throw e;
    }
  }

  async function stop() {
    const proc = child;
    if (!proc) return;
    child = null;
    if (proc.exitCode !== null || proc.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
    proc.kill('SIGCONT');
    proc.kill('SIGTERM');
    const timer = setTimeout(() => proc.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  }

  await start();
  return {
    url,
    port,
    pid: () => child?.pid ?? null,
    start,
    stop,
    async freeze() {
      const pid = child?.pid;
      if (!pid) throw new Error('slapd is not running');
      process.kill(pid, 'SIGSTOP');
      await allThreadsStopped(pid);
    },
    thaw: () => child?.kill('SIGCONT'),
    async dispose() {
      await stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
