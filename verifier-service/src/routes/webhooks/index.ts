// Delivery status from the providers, accepted only with a valid signature (S17).
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ErrorResponseSchema, findUnacceptableText } from '@imper/shared';
import type { Deps } from '../../context';
import { AppError } from '../../errors';
import {
  parseSendGridEvents,
  parseTwilioStatus,
  verifySendGridSignature,
  verifyTwilioSignature,
} from '../../delivery/webhooks';
import { applyDeliveryUpdate } from '../../services/delivery';

const badSignature = () =>
  new AppError('WEBHOOK_SIGNATURE_INVALID', 'The webhook signature is missing or does not match.');
const Ack = Type.Object({ received: Type.Integer() });

const routes: FastifyPluginAsyncTypebox<{ deps: Deps }> = async (app, { deps }) => {
  // SendGrid signs the exact bytes it sent, so this scope keeps JSON bodies as strings.
  app.addContentTypeParser(
    'application/json',
    { parseAs: 'string', bodyLimit: 512 * 1024 },
    (_req, body, done) => done(null, body),
  );

  app.post(
    '/webhooks/twilio/status',
    {
      schema: {
        tags: ['webhooks'],
        summary: 'Twilio message status callback',
        querystring: Type.Object({ d: Type.Optional(Type.String({ maxLength: 64 })) }),
        body: Type.Record(Type.String(), Type.String()),
        response: { 200: Ack, 400: ErrorResponseSchema, 403: ErrorResponseSchema },
      },
    },
    async (req) => {
      const token = deps.config.twilioAuthToken;
      const signature = req.headers['x-twilio-signature'];
      // The URL Twilio signed is the one we gave it, built from configuration, never from the Host header (S15).
      const url = `${deps.config.publicBaseUrl}${req.url}`;
      if (
        !token ||
        typeof signature !== 'string' ||
        !verifyTwilioSignature({ authToken: token, url, params: req.body, signature })
      )
        throw badSignature();
      const update = parseTwilioStatus(req.body);
      if (!update) return { received: 0 };
      if (req.query.d) update.deliveryId = req.query.d;
      await applyDeliveryUpdate(deps, update);
      return { received: 1 };
    },
  );

  app.post(
    '/webhooks/sendgrid/events',
    {
      schema: {
        tags: ['webhooks'],
        summary: 'SendGrid signed event webhook',
        body: Type.String({ maxLength: 512 * 1024 }),
        response: { 200: Ack, 400: ErrorResponseSchema, 403: ErrorResponseSchema },
      },
    },
    async (req) => {
      const publicKey = deps.config.sendgridWebhookPublicKey;
      const signature = req.headers['x-twilio-email-event-webhook-signature'];
      const timestamp = req.headers['x-twilio-email-event-webhook-timestamp'];
      if (!publicKey || typeof signature !== 'string' || typeof timestamp !== 'string') throw badSignature();
      // The replay window is measured on the service's clock (injected, so tests can move it).
      if (
        !verifySendGridSignature({
          publicKey,
          rawBody: req.body,
          signature,
          timestamp,
          now: deps.clock.now(),
        })
      )
        throw badSignature();
      let json: unknown;
      try {
        json = JSON.parse(req.body);
      } catch {
        throw new AppError('BAD_REQUEST', 'The body is not valid JSON.');
      }
      // JSON escapes (\u0000) only become control characters once parsed: refuse them like any other input (S22).
      const why = findUnacceptableText(json, 'body');
      if (why) throw new AppError('VALIDATION_FAILED', `Invalid request: ${why}.`);
      const updates = parseSendGridEvents(json);
      for (const u of updates) await applyDeliveryUpdate(deps, u);
      return { received: updates.length };
    },
  );
};
export default routes;
