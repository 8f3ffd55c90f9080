// OpenAPI generated from the route schemas, served at /docs (UI) and /docs/json.
import fp from 'fastify-plugin';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';

export default fp(
  async function docs(app: FastifyInstance, opts: { publicBaseUrl: string }) {
    await app.register(swagger, {
      openapi: {
        openapi: '3.1.0',
        info: {
          title: 'imper.ai Verify service',
          version: '0.1.0',
          description: 'Identity verification for IT helpdesks running ServiceNow.',
        },
        servers: [{ url: opts.publicBaseUrl }],
        components: {
          securitySchemes: {
            apiKey: {
              type: 'http',
              scheme: 'bearer',
              description:
                'A per-tenant API key (`npm run api-key -- create …`), as `Authorization: Bearer ivk_…`',
            },
          },
        },
        tags: [
          { name: 'health' },
          { name: 'agent', description: 'The helpdesk agent, launched from a ServiceNow ticket' },
          { name: 'requester', description: 'The person being verified, from the link they received' },
          { name: 'webhooks', description: 'Signed delivery status from the providers' },
          { name: 'api', description: 'Systems (IVR, bots) starting verifications with an API key (F7)' },
          { name: 'dev', description: 'Demo and test configuration only' },
        ],
      },
    });
    await app.register(swaggerUi, { routePrefix: '/docs', staticCSP: true });
  },
  { name: 'docs' },
);
