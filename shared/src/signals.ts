// What the requester's browser collector posts (portal/src/client/signals.ts gathers it, a route validates it).
// Every string and array is bounded so a hostile client cannot post anything large; unknown fields are refused.
import { Type, type Static } from '@sinclair/typebox';
import { LINE_PATTERN } from './schemas';

const Line = (maxLength: number) => Type.String({ maxLength, pattern: LINE_PATTERN });
const Int = (minimum: number, maximum: number) => Type.Integer({ minimum, maximum });
const Ms = Type.Integer({ minimum: 0, maximum: 86_400_000, description: 'milliseconds' });

export const SIGNALS_PAYLOAD_VERSION = 1;

export const UserAgentDataSchema = Type.Object(
  {
    brands: Type.Array(
      Type.Object({ brand: Line(100), version: Line(40) }, { additionalProperties: false }),
      {
        maxItems: 10,
      },
    ),
    mobile: Type.Boolean(),
    platform: Line(40),
  },
  { additionalProperties: false, description: 'navigator.userAgentData (Chromium browsers)' },
);
export type UserAgentData = Static<typeof UserAgentDataSchema>;

export const SignalsPayloadSchema = Type.Object(
  {
    v: Type.Literal(SIGNALS_PAYLOAD_VERSION),
    userAgent: Line(512),
    /** navigator.webdriver; null when the browser does not have it */
    webdriver: Type.Union([Type.Boolean(), Type.Null()]),
    languages: Type.Array(Type.String({ maxLength: 35, pattern: '^[A-Za-z0-9-]*$' }), { maxItems: 20 }),
    /** Intl time zone (IANA name), null when the browser gives none */
    timeZone: Type.Union([Type.String({ maxLength: 64, pattern: '^[A-Za-z0-9_+/-]*$' }), Type.Null()]),
    screen: Type.Object(
      { w: Int(0, 100_000), h: Int(0, 100_000), dpr: Type.Number({ minimum: 0, maximum: 20 }) },
      { additionalProperties: false },
    ),
    maxTouchPoints: Int(0, 256),
    pluginsCount: Int(0, 1_000),
    /** WEBGL_debug_renderer_info's unmasked renderer, null when WebGL or the extension is not available */
    webglRenderer: Type.Union([Line(256), Type.Null()]),
    userAgentData: Type.Union([UserAgentDataSchema, Type.Null()]),
    hardwareConcurrency: Type.Union([Int(0, 1_024), Type.Null()]),
    timings: Type.Object(
      {
        /** From navigation start to the collector running */
        sinceNavigationMs: Ms,
        /** navigation timing's domInteractive, null when not available */
        domInteractiveMs: Type.Union([Ms, Type.Null()]),
        /** How long the collector itself took */
        collectMs: Ms,
      },
      { additionalProperties: false },
    ),
  },
  { $id: 'SignalsPayload', additionalProperties: false, description: "The requester's browser signals" },
);
export type SignalsPayload = Static<typeof SignalsPayloadSchema>;
