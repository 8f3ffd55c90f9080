// `npm run demo` as a child process (scripts/demo.ts: the stand-in, the service and its worker, on the embedded
// database), on free ports, for the tests that run the demo itself. Its output is collected as it comes.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { freePort } from './helper';

export interface DemoProcess {
  child: ChildProcess;
  servicePort: number;
  instancePort: number;
  serviceUrl: string;
  instanceUrl: string;
  /** Everything it printed so far (stdout and stderr) */
  output(): string;
  /** Ctrl-C, and its exit code */
  stop(): Promise<number | null>;
}

export async function spawnDemo(env: Record<string, string> = {}): Promise<DemoProcess> {
  const root = join(__dirname, '..', '..');
  const servicePort = await freePort();
  const instancePort = await freePort();
  let output = '';
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'scripts', 'demo.ts')], {
    cwd: root,
    env: {
      ...process.env,
      PORT: String(servicePort),
      DEV_INSTANCE_PORT: String(instancePort),
      LOG_LEVEL: 'warn',
      DATABASE_URL: '',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d) => (output += String(d)));
  child.stderr!.on('data', (d) => (output += String(d)));
  return {
    child,
    servicePort,
    instancePort,
    serviceUrl: `http://localhost:${servicePort}`,
    instanceUrl: `http://localhost:${instancePort}`,
    output: () => output,
    async stop() {
      if (child.exitCode !== null) return child.exitCode;
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      child.kill('SIGINT');
      return exited;
    },
  };
}
