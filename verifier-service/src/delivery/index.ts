export * from './types';
export { createSendGridConnector, type SendGridConnectorConfig } from './sendgrid';
export { createTwilioConnector, BaseUrlRequestClient, type TwilioConnectorConfig } from './twilio';
export {
  verifyTwilioSignature,
  parseTwilioStatus,
  verifySendGridSignature,
  parseSendGridEvents,
  SENDGRID_MAX_AGE_SECONDS,
  type TwilioParams,
} from './webhooks';
export { renderVerificationEmail, renderVerificationSms, escapeHtml } from './templates';
export type { VerificationEmailInput, VerificationSmsInput, RenderedEmail } from './templates';
export { isGsm7, gsm7Length, toGsm7 } from './gsm7';
export { redactDestinations } from './redact';
