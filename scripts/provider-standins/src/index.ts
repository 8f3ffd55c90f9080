// Local stand-ins of the Twilio Messaging and SendGrid Mail Send APIs, so the real `twilio` and
// `@sendgrid/mail` SDKs can be exercised without the internet. One Fastify server serves both.
// The directory stand-ins (Microsoft Entra ID / Graph, Okta) each run their own server: `startGraphStandin`,
// `startOktaStandin`.
// See README.md for the protocol details and the magic numbers/addresses.

import formbody from '@fastify/formbody';
import Fastify from 'fastify';
import { CallbackSender, type CallbackAttempt } from './callbacks';
import { Faults, type FaultController } from './faults';
import { generateSendGridKeys, registerSendGrid, type SendGridCapturedMessage } from './sendgrid';
import { registerTwilio, type TwilioAccountOptions, type TwilioCapturedMessage } from './twilio';

export type { CallbackAttempt } from './callbacks';
export type { FaultController, ProviderName } from './faults';
export { sendgridSignature, validateMailSend, type SendGridCapturedMessage } from './sendgrid';
export {
  MESSAGING_SERVICE_NUMBER,
  twilioSignature,
  type TwilioAccountOptions,
  type TwilioCapturedMessage,
  type TwilioMessageStatus,
} from './twilio';
export { smsEncoding } from './sms-encoding';
export {
  GRAPH_METHOD_KINDS,
  PASSWORD_METHOD_ID,
  PHONE_METHOD_IDS,
  entraPasswordComplies,
  startGraphStandin,
  type GraphCapturedRequest,
  type GraphClientApp,
  type GraphMethodKind,
  type GraphPermission,
  type GraphSeedMethod,
  type GraphSeedUser,
  type GraphStandin,
  type GraphStandinOptions,
  type GraphUserSnapshot,
} from './graph';
export {
  oktaPasswordRequirements,
  startOktaStandin,
  type OktaAdminRole,
  type OktaCapturedRequest,
  type OktaPasswordPolicy,
  type OktaSeedFactor,
  type OktaSeedUser,
  type OktaStandin,
  type OktaStandinOptions,
  type OktaUserSnapshot,
  type OktaUserStatus,
} from './okta';
export { redactPasswords } from './util';

export interface ProviderStandinsOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** 127.0.0.1 unless given. */
  host?: string;
  /** Where SendGrid events are posted; without one, events are generated but not sent. */
  sendgridEventWebhookUrl?: string;
  /** Delay before each asynchronous callback/webhook step (default 20 ms). */
  callbackDelayMs?: number;
  twilio: { accountSid: string; authToken: string; account?: TwilioAccountOptions };
  /** `scopes`: what `GET /v3/scopes` lists for the key (default `['mail.send']`) */
  sendgrid: { apiKey: string; scopes?: string[] };
}

export interface ProviderStandins {
  /** Base URL, e.g. `http://127.0.0.1:41234` (no trailing slash). */
  url: string;
  /** Verification key of the signed event webhook: base64 DER SubjectPublicKeyInfo (as SendGrid shows it). */
  sendgridPublicKey: string;
  twilioMessages(): TwilioCapturedMessage[];
  sendgridMessages(): SendGridCapturedMessage[];
  /** Every status callback / event webhook request sent so far, with the receiver's answer. */
  callbacks(): CallbackAttempt[];
  /** Resolves once no callback or webhook is scheduled or in flight. */
  idle(): Promise<void>;
  faults: FaultController;
  setSendgridEventWebhookUrl(url: string | undefined): void;
  /** Forget captured messages and callbacks and clear every fault. */
  reset(): void;
  close(): Promise<void>;
}

export async function startProviderStandins(options: ProviderStandinsOptions): Promise<ProviderStandins> {
  if (!options.twilio?.accountSid?.startsWith('AC') || !options.twilio.authToken)
    throw new Error('provider-standins: twilio.accountSid (AC…) and twilio.authToken are required');
  if (!options.sendgrid?.apiKey) throw new Error('provider-standins: sendgrid.apiKey is required');

  let webhookUrl = options.sendgridEventWebhookUrl;
  const callbackDelayMs = options.callbackDelayMs ?? 20;
  const faults = new Faults();
  const callbacks = new CallbackSender();
  const keys = generateSendGridKeys();

  const app = Fastify({ logger: false, bodyLimit: 30 * 1024 * 1024 });
  await app.register(formbody);
  const twilio = registerTwilio(app, { ...options.twilio, callbackDelayMs }, faults, callbacks);
  const sendgrid = registerSendGrid(
    app,
    {
      apiKey: options.sendgrid.apiKey,
      ...(options.sendgrid.scopes ? { scopes: options.sendgrid.scopes } : {}),
      callbackDelayMs,
      getWebhookUrl: () => webhookUrl,
    },
    keys,
    faults,
    callbacks,
  );

  await app.listen({ port: options.port ?? 0, host: options.host ?? '127.0.0.1' });
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('provider-standins: no TCP address');
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;

  return {
    url: `http://${host}:${address.port}`,
    sendgridPublicKey: keys.publicKey,
    twilioMessages: twilio.messages,
    sendgridMessages: sendgrid.messages,
    callbacks: () => callbacks.list(),
    idle: () => callbacks.idle(),
    faults,
    setSendgridEventWebhookUrl: (url) => {
      webhookUrl = url;
    },
    reset: () => {
      twilio.clear();
      sendgrid.clear();
      callbacks.clear();
      faults.reset();
    },
    close: async () => {
      await callbacks.close();
      await app.close();
    },
  };
}
