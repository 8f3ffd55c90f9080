// The ServiceNow stand-in for the client tests: started once per file with known secrets, faults cleared after
// each test. `instance()` is the running stand-in.
import { startDevInstance, type DevInstance } from '@imper/dev-instance';

export const SECRETS = {
  adminPassword: 'admin-pw-Tz81qq-dev',
  agentPassword: 'agent-pw-Lm42rr-dev',
  integration: {
    password: 'integration-pw-Hx93ss-dev',
    oauthClientId: 'imper-verify-dev',
    oauthClientSecret: 'oauth-secret-Qv55tt-dev',
  },
};

export function useStandin(): () => DevInstance {
  let running: DevInstance | undefined;
  beforeAll(async () => {
    running = await startDevInstance({
      port: 0,
      adminPassword: SECRETS.adminPassword,
      agentPassword: SECRETS.agentPassword,
      integration: SECRETS.integration,
      launch: { secret: Buffer.alloc(32, 7).toString('base64'), serviceUrl: 'http://127.0.0.1:1' },
    });
  });
  afterAll(async () => {
    await running?.close();
  });
  afterEach(() => {
    running?.faults.clear();
  });
  return () => running!;
}
