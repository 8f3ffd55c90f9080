// docker-compose.yml validates (issue 7). There is no container engine here, so this is what can be checked:
// `docker-compose config` (Debian's docker-compose, installed by .ci/run) parses and validates the file against
// the Compose schema and resolves every variable; both app services use the Dockerfile's runtime stage.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const root = join(__dirname, '..', '..', '..');
const required = {
  POSTGRES_PASSWORD: 'compose-check',
  PUBLIC_BASE_URL: 'https://verify.example.test',
  DATA_ENCRYPTION_KEY: 'k',
  TENANTS: '[]',
  SENDGRID_API_KEY: 'k',
  SENDGRID_FROM_EMAIL: 'helpdesk@example.test',
  SENDGRID_WEBHOOK_PUBLIC_KEY: 'k',
  TWILIO_ACCOUNT_SID: 'AC',
  TWILIO_AUTH_TOKEN: 't',
};
const compose = (args: string[], env: Record<string, string>) =>
  spawnSync('docker-compose', ['-f', join(root, 'docker-compose.yml'), ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { PATH: process.env.PATH, ...env },
  });

describe('docker-compose.yml', () => {
  it('validates, and both app services build the runtime stage of the Dockerfile', () => {
    const r = compose(['config'], required);
    if (r.error) throw new Error(`docker-compose is not installed (.ci/run installs it): ${r.error.message}`);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const runtimeBuilds = r.stdout.match(/target: runtime/g) ?? [];
    expect(runtimeBuilds).toHaveLength(2);
    expect(r.stdout).toContain('verifier-service/dist/migrate-cli.js');
  });

  it('refuses to start without its secrets', () => {
    const { POSTGRES_PASSWORD: _omitted, ...rest } = required;
    const r = compose(['config', '-q'], rest);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('set POSTGRES_PASSWORD');
  });
});
