// The ServiceNow stand-in for the client tests: started once per file with known secrets, faults cleared after
// each test. `instance()` is the running stand-in.
import { startDevInstance, type DevInstance } from '@imper/dev-instance';
import {
  createServiceNowClient,
  type ServiceNowAuth,
  type ServiceNowClient,
} from '../../../src/clients/servicenow/client';

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

/** Clients of the stand-in as the integration user, over basic auth and OAuth client credentials. */
export function integrationClients(standin: () => DevInstance) {
  const client = (auth: ServiceNowAuth): ServiceNowClient =>
    createServiceNowClient({
      instanceUrl: standin().url,
      auth,
      timeoutMs: 2000,
      retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 1500 },
    });
  return {
    client,
    basic: (): ServiceNowClient =>
      client({ type: 'basic', username: 'imper.integration', password: SECRETS.integration.password }),
    oauth: (): ServiceNowClient =>
      client({
        type: 'oauth',
        clientId: SECRETS.integration.oauthClientId,
        clientSecret: SECRETS.integration.oauthClientSecret,
      }),
  };
}
