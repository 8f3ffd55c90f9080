import { REQUIRED_ENV, decodeLaunchSecret, readConfig } from '../src/config';

const ENV = {
  DEV_INSTANCE_ADMIN_PASSWORD: 'a',
  DEV_INSTANCE_AGENT_PASSWORD: 'b',
  DEV_INSTANCE_INTEGRATION_PASSWORD: 'c',
  DEV_INSTANCE_OAUTH_CLIENT_ID: 'id',
  DEV_INSTANCE_OAUTH_CLIENT_SECRET: 'secret',
  DEMO_LAUNCH_SECRET: Buffer.alloc(32, 1).toString('base64'),
  SERVICE_URL: 'http://localhost:8080',
};

describe('CLI configuration', () => {
  it('reads the environment; port defaults to 8081', () => {
    const c = readConfig(ENV);
    expect(c).toMatchObject({
      port: 8081,
      adminPassword: 'a',
      agentPassword: 'b',
      integration: { password: 'c', oauthClientId: 'id', oauthClientSecret: 'secret' },
      launch: { serviceUrl: 'http://localhost:8080' },
    });
    expect(readConfig({ ...ENV, DEV_INSTANCE_PORT: '9999' }).port).toBe(9999);
  });

  it.each(REQUIRED_ENV)('a missing %s stops with a message naming it', (name) => {
    expect(() => readConfig({ ...ENV, [name]: undefined })).toThrow(new RegExp(name));
  });

  it('malformed values are refused, not defaulted', () => {
    expect(() => readConfig({ ...ENV, DEV_INSTANCE_PORT: 'eighty' })).toThrow(/DEV_INSTANCE_PORT/);
    expect(() => readConfig({ ...ENV, DEMO_LAUNCH_SECRET: 'c2hvcnQ=' })).toThrow(/DEMO_LAUNCH_SECRET/);
    expect(() => readConfig({ ...ENV, SERVICE_URL: 'ftp://x' })).toThrow(/SERVICE_URL/);
  });
});

describe('launch secret', () => {
  it('must be base64 of at least 32 bytes', () => {
    const key = Buffer.alloc(32, 9);
    expect(decodeLaunchSecret(key.toString('base64'))).toEqual(key);
    expect(() => decodeLaunchSecret(Buffer.alloc(16).toString('base64'))).toThrow(/32 bytes/);
    expect(() => decodeLaunchSecret('not base64 !!')).toThrow(/base64/);
  });
});
