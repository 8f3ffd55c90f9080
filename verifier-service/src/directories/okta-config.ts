// The Okta connector's settings, apart from the connector: validating them at boot must not load the Okta SDK
// (half a second of startup for every tenant that does not use Okta).
import { Type, type Static } from '@sinclair/typebox';

export const oktaConfigSchema = Type.Object(
  {
    kind: Type.Literal('okta'),
    /** e.g. https://acme.okta.com */
    orgUrl: Type.String({ minLength: 8 }),
    apiToken: Type.String({ minLength: 8, maxLength: 1024 }),
    /** Which field of the account holds the Okta login (default `email`) */
    accountKey: Type.Optional(Type.Union([Type.Literal('email'), Type.Literal('userName')])),
    /** Per-request deadline (default 10 000 ms) */
    timeoutMs: Type.Optional(Type.Integer({ minimum: 100, maximum: 60_000 })),
  },
  { additionalProperties: false },
);

export type OktaConnectorConfig = Static<typeof oktaConfigSchema>;
