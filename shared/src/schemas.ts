// Request and response shapes of the service's HTTP API, as JSON Schema (TypeBox) with their static types.
// The service declares them on its routes (and so in /docs), the portal and the tests import the types.
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import {
  ACTIONS,
  ACTION_STATUSES,
  CHANNELS,
  DELIVERY_STATUSES,
  RISK_LEVELS,
  VERIFICATION_STATES,
} from './enums';
import { ERROR_CODES } from './errors';

const literalUnion = <T extends readonly string[]>(values: T, description?: string) =>
  Type.Union(
    values.map((v) => Type.Literal(v)),
    description ? { description } : {},
  ) as unknown as TSchema & { static: T[number] };

export const ChannelSchema = literalUnion(CHANNELS, 'Delivery channel');
export const VerificationStateSchema = literalUnion(VERIFICATION_STATES);
export const RiskLevelSchema = literalUnion(RISK_LEVELS);
export const ActionSchema = literalUnion(ACTIONS);
export const ActionStatusSchema = literalUnion(ACTION_STATUSES);
export const DeliveryStatusSchema = literalUnion(DELIVERY_STATUSES);
export const ErrorCodeSchema = literalUnion(Object.keys(ERROR_CODES) as (keyof typeof ERROR_CODES)[]);

export const ErrorResponseSchema = Type.Object(
  {
    error: Type.Object({
      code: ErrorCodeSchema,
      message: Type.String(),
      publicId: Type.Optional(
        Type.String({
          description: 'The verification it is about (VERIFICATION_ALREADY_ACTIVE: the running one)',
        }),
      ),
    }),
    requestId: Type.Optional(Type.String()),
  },
  { $id: 'ErrorResponse', description: 'Every error: a stable code and a message for people' },
);
export type ErrorResponse = Static<typeof ErrorResponseSchema>;

/** One line of text without control characters (NUL, CR, LF, …; PostgreSQL refuses NUL in text) (S22). */
export const LINE_PATTERN = '^[^\\u0000-\\u001f\\u007f]*$';
const Line = (opts: { minLength?: number; maxLength: number }) =>
  Type.String({ ...opts, pattern: LINE_PATTERN });

/** Claims of the launch token the instance mints (CONTRACTS.md). */
export const LaunchClaimsSchema = Type.Object({
  iss: Line({ minLength: 1, maxLength: 200 }),
  aud: Type.Literal('imper-verify'),
  sub: Line({ minLength: 1, maxLength: 100 }),
  name: Line({ maxLength: 200 }),
  ticket: Type.Object({
    table: Type.String({ pattern: '^[a-z0-9_]{1,80}$' }),
    sys_id: Type.String({ pattern: '^[0-9a-f]{32}$' }),
    number: Line({ minLength: 1, maxLength: 40 }),
  }),
  jti: Line({ minLength: 16, maxLength: 128 }),
  iat: Type.Integer(),
  exp: Type.Integer(),
});
export type LaunchClaims = Static<typeof LaunchClaimsSchema>;

export const ContactOnFileSchema = Type.Object({
  key: Type.String({ description: 'Which contact on file (e.g. "email", "mobile_phone")' }),
  channel: ChannelSchema,
  masked: Type.String(),
  label: Type.String(),
});
export type ContactOnFile = Static<typeof ContactOnFileSchema>;

export const SendVerificationBodySchema = Type.Object(
  {
    channel: ChannelSchema,
    contactKey: Type.Optional(Type.String({ maxLength: 40, description: 'A contact on file, by key' })),
    destination: Type.Optional(
      Type.String({ minLength: 3, maxLength: 254, description: 'A typed email address or phone number' }),
    ),
    csrf: Type.Optional(Type.String({ maxLength: 200 })),
  },
  { additionalProperties: false },
);
export type SendVerificationBody = Static<typeof SendVerificationBodySchema>;

export const DeliveryViewSchema = Type.Object({
  status: DeliveryStatusSchema,
  provider: Type.String(),
  error: Type.Optional(Type.String()),
  updatedAt: Type.String({ format: 'date-time' }),
});

/** What an agent may see of a verification: never raw signals or scores. */
export const AgentVerificationViewSchema = Type.Object(
  {
    id: Type.String({ description: 'Public verification ID, e.g. VRF-7Q2K9M' }),
    state: VerificationStateSchema,
    channel: ChannelSchema,
    destinationMasked: Type.String(),
    destinationOnFile: Type.Boolean(),
    delivery: Type.Optional(DeliveryViewSchema),
    outcome: Type.Optional(Type.String()),
    riskLevel: Type.Optional(RiskLevelSchema),
    recommendation: Type.Optional(Type.String()),
    attention: Type.Optional(Type.String()),
    callCode: Type.Optional(
      Type.String({ description: 'Number matching: the code the agent reads to the caller' }),
    ),
    linkOpenedAt: Type.Optional(
      Type.String({ format: 'date-time', description: 'When the requester first opened the current link' }),
    ),
    linkExpiresAt: Type.String({ format: 'date-time' }),
    createdAt: Type.String({ format: 'date-time' }),
    updatedAt: Type.String({ format: 'date-time' }),
  },
  { $id: 'AgentVerificationView' },
);
export type AgentVerificationView = Static<typeof AgentVerificationViewSchema>;

export const AgentTicketViewSchema = Type.Object({
  ticket: Type.Object({
    table: Type.String(),
    sysId: Type.String(),
    number: Type.String(),
    subject: Type.String(),
    category: Type.String(),
    url: Type.String({ description: "The ticket's form on the instance (the send page links back to it)" }),
  }),
  requester: Type.Object({ name: Type.String(), userName: Type.String() }),
  agent: Type.Object({ name: Type.String(), userName: Type.String() }),
  contacts: Type.Array(ContactOnFileSchema),
  verification: Type.Optional(AgentVerificationViewSchema),
  csrf: Type.String(),
});
export type AgentTicketView = Static<typeof AgentTicketViewSchema>;

export const DevMessageSchema = Type.Object({
  id: Type.String(),
  channel: ChannelSchema,
  to: Type.String(),
  subject: Type.Union([Type.String(), Type.Null()]),
  text: Type.String(),
  html: Type.Union([Type.String(), Type.Null()]),
  link: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
});
export type DevMessage = Static<typeof DevMessageSchema>;

// ── F7: API start (`/api/v1/verifications`, an API key as bearer) ──────────────────────────────────────────

export const ApiStartBodySchema = Type.Object(
  {
    user: Line({ minLength: 1, maxLength: 254 }),
    channel: ChannelSchema,
    action: ActionSchema,
    reason: Type.Optional(Line({ maxLength: 500 })),
  },
  {
    additionalProperties: false,
    $id: 'ApiStartBody',
    description:
      'Start a verification for an account: `user` is its user name or work email; the link goes to its contact on file of `channel`',
  },
);
export type ApiStartBody = Static<typeof ApiStartBodySchema>;

export const ApiStartedSchema = Type.Object(
  {
    publicId: Type.String({ description: 'e.g. VRF-7Q2K9M' }),
    status: VerificationStateSchema,
    ticket: Type.String({ description: 'The ServiceNow ticket created for the record' }),
    channel: ChannelSchema,
    destinationMasked: Type.String({ description: 'The contact on file the link went to, masked' }),
    expiresAt: Type.String({ format: 'date-time', description: 'When the link stops working' }),
  },
  { $id: 'ApiStarted' },
);
export type ApiStarted = Static<typeof ApiStartedSchema>;

export const ApiVerificationStatusSchema = Type.Object(
  {
    publicId: Type.String(),
    status: VerificationStateSchema,
    outcome: Type.Optional(Type.String({ description: 'Once final' })),
    riskLevel: Type.Optional(RiskLevelSchema),
    action: ActionSchema,
    actionStatus: ActionStatusSchema,
    ticket: Type.String(),
    createdAt: Type.String({ format: 'date-time' }),
    completedAt: Type.Optional(Type.String({ format: 'date-time' })),
  },
  { $id: 'ApiVerificationStatus' },
);
export type ApiVerificationStatus = Static<typeof ApiVerificationStatusSchema>;

export const WEBHOOK_EVENT_TYPES = [
  'verification.completed',
  'verification.action_completed',
  'verification.action_failed',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** The body of the signed webhook (Standard Webhooks) an API key's URL receives. */
export interface WebhookEvent {
  type: WebhookEventType;
  timestamp: string;
  data: {
    publicId: string;
    status: string;
    outcome: string | null;
    riskLevel: string | null;
    action: string;
    actionStatus: string;
    ticket: string;
  };
}
