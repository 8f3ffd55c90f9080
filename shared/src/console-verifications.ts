// F8: the console's Verifications table and details (CONTRACTS.md "Console"): query, list item, details and the
// CSV's columns. The service declares them on its routes (and so in /docs); the portal renders the same shapes.
import { Type, type Static } from '@sinclair/typebox';
import {
  ActionSchema,
  ActionStatusSchema,
  ChannelSchema,
  LINE_PATTERN,
  RiskLevelSchema,
  VerificationStateSchema,
} from './schemas';

export const INITIATORS = ['agent', 'self_service', 'api'] as const;
export type Initiator = (typeof INITIATORS)[number];
export const InitiatorSchema = Type.Union(
  INITIATORS.map((v) => Type.Literal(v)),
  { description: 'Who started it: an agent from the ticket, the self-service page, or an API key' },
);

export const CONSOLE_SORTS = ['newest', 'oldest'] as const;
export type ConsoleSort = (typeof CONSOLE_SORTS)[number];

export const CONSOLE_LIST_LIMIT = { min: 1, max: 100, default: 50 } as const;
/** Counts stop here: above it the table says "10,000+". */
export const CONSOLE_COUNT_CAP = 10_000;

/** `YYYY-MM-DD` (a whole day, UTC) or an ISO 8601 date-time with an offset. */
const DATE_OR_DATETIME =
  '^\\d{4}-\\d{2}-\\d{2}(T\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,6})?)?(Z|[+-]\\d{2}:\\d{2}))?$';

export const ConsoleVerificationsQuerySchema = Type.Object(
  {
    status: Type.Optional(VerificationStateSchema),
    risk: Type.Optional(RiskLevelSchema),
    category: Type.Optional(
      Type.String({ maxLength: 100, pattern: LINE_PATTERN, description: "The ticket's category (exact)" }),
    ),
    agent: Type.Optional(
      Type.String({ maxLength: 100, pattern: LINE_PATTERN, description: "The agent's user name (exact)" }),
    ),
    initiatedBy: Type.Optional(InitiatorSchema),
    from: Type.Optional(
      Type.String({
        pattern: DATE_OR_DATETIME,
        description: 'Created at or after (a date is its start, UTC)',
      }),
    ),
    to: Type.Optional(
      Type.String({
        pattern: DATE_OR_DATETIME,
        description: 'Created at or before (a date is its end, UTC)',
      }),
    ),
    q: Type.Optional(
      Type.String({
        maxLength: 200,
        pattern: LINE_PATTERN,
        description:
          'A ticket number (INC…, exact), a verification ID (VRF-…, exact), an email (exact), else the start of the requester name or surname',
      }),
    ),
    sort: Type.Optional(
      Type.Union(
        CONSOLE_SORTS.map((v) => Type.Literal(v)),
        { description: 'By creation time; newest first by default' },
      ),
    ),
    cursor: Type.Optional(
      Type.String({
        maxLength: 400,
        pattern: '^[A-Za-z0-9_.-]*$',
        description: 'nextCursor of the previous page (opaque)',
      }),
    ),
    limit: Type.Optional(
      Type.Integer({
        minimum: CONSOLE_LIST_LIMIT.min,
        maximum: CONSOLE_LIST_LIMIT.max,
        default: CONSOLE_LIST_LIMIT.default,
      }),
    ),
  },
  { additionalProperties: false, $id: 'ConsoleVerificationsQuery' },
);
export type ConsoleVerificationsQuery = Static<typeof ConsoleVerificationsQuerySchema>;

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const DateTime = Type.String({ format: 'date-time' });

export const ConsoleVerificationItemSchema = Type.Object(
  {
    publicId: Type.String({ description: 'e.g. VRF-7Q2K9M' }),
    ticketNumber: Type.String(),
    ticketSubject: Type.String(),
    requesterName: Type.String(),
    requesterEmail: Type.String({
      description: "The requester's email on file when it started ('' if none)",
    }),
    riskLevel: Nullable(RiskLevelSchema),
    status: VerificationStateSchema,
    category: Type.String({ description: "The ticket's category ('' if none)" }),
    initiatedBy: InitiatorSchema,
    agentName: Type.String({ description: "The agent's name when an agent started it, else ''" }),
    agentUserName: Type.String({ description: "The agent's user name when an agent started it, else ''" }),
    createdAt: DateTime,
    completedAt: Nullable(DateTime),
  },
  { $id: 'ConsoleVerificationItem' },
);
export type ConsoleVerificationItem = Static<typeof ConsoleVerificationItemSchema>;

export const ConsoleVerificationListSchema = Type.Object(
  {
    items: Type.Array(ConsoleVerificationItemSchema),
    nextCursor: Nullable(
      Type.String({ description: 'Pass as `cursor` for the next page; null on the last' }),
    ),
    count: Type.Integer({
      description: `How many match the filters, counted up to ${CONSOLE_COUNT_CAP} (see countCapped)`,
    }),
    countCapped: Type.Boolean({ description: `More than ${CONSOLE_COUNT_CAP} match ("10,000+")` }),
  },
  { $id: 'ConsoleVerificationList' },
);
export type ConsoleVerificationList = Static<typeof ConsoleVerificationListSchema>;

const Facts = Type.Record(Type.String(), Type.Unknown());
const Signal = Type.Object({
  id: Type.String(),
  weight: Type.Number(),
  points: Type.Number(),
  explanation: Type.String(),
  floor: Nullable(Type.String()),
  missingData: Type.Boolean(),
  waivedBy: Nullable(Type.String()),
});
const Section = Type.Object({
  score: Type.Number(),
  cap: Type.Number(),
  signals: Type.Array(Signal),
  facts: Facts,
});
export const ConsoleAnalysisSchema = Type.Object(
  {
    available: Type.Boolean({ description: 'false until the risk engine has run (no report yet)' }),
    score: Nullable(Type.Number()),
    outcome: Nullable(Type.String()),
    missingData: Type.Array(Type.String()),
    network: Nullable(Section),
    endpoint: Nullable(Section),
    persona: Nullable(Section),
    challenge: Nullable(Section),
    device: Nullable(Facts),
  },
  { description: 'The analysis report (domain/risk/report.ts): scores, signals and facts per section' },
);
export type ConsoleAnalysis = Static<typeof ConsoleAnalysisSchema>;

export const ConsoleTranscriptEntrySchema = Type.Object({
  position: Type.Integer({ description: 'From 1' }),
  kind: Type.String({ description: 'What the question is about (e.g. manager, department, call_code)' }),
  question: Type.String(),
  choices: Type.Array(Type.String()),
  answer: Nullable(Type.String({ description: 'What the requester chose; null when skipped' })),
  outcome: Type.String({ description: 'correct, wrong, skipped or timed_out' }),
  elapsedMs: Nullable(Type.Number()),
});
export type ConsoleTranscriptEntry = Static<typeof ConsoleTranscriptEntrySchema>;

export const ConsoleTimelineEntrySchema = Type.Object({
  type: Type.String({ description: 'The audit event type (e.g. verification.created)' }),
  actor: Type.String(),
  at: DateTime,
  data: Facts,
});
export type ConsoleTimelineEntry = Static<typeof ConsoleTimelineEntrySchema>;

export const ConsoleContactSchema = Type.Object({
  channel: ChannelSchema,
  value: Type.String({ description: 'Masked, except for admins (S19)' }),
  masked: Type.Boolean(),
});

export const ConsoleUserInfoSchema = Type.Object(
  {
    source: Type.Union([Type.Literal('servicenow'), Type.Literal('stored')], {
      description:
        "servicenow: read now from the instance's sys_user; stored: what the service kept (instance unreachable)",
    }),
    userName: Type.String(),
    department: Type.String(),
    location: Type.String(),
    manager: Type.String(),
    title: Type.String(),
    vip: Nullable(Type.Boolean()),
    lockedOut: Nullable(Type.Boolean()),
    contacts: Type.Array(ConsoleContactSchema),
  },
  { description: 'Additional information about the user' },
);
export type ConsoleUserInfo = Static<typeof ConsoleUserInfoSchema>;

export const ConsoleDeliverySchema = Type.Object({
  channel: Type.String(),
  provider: Type.String(),
  status: Type.String(),
  errorCode: Nullable(Type.String()),
  createdAt: DateTime,
  updatedAt: DateTime,
});

export const ConsoleVerificationDetailsSchema = Type.Object(
  {
    publicId: Type.String(),
    ticketNumber: Type.String(),
    ticketSubject: Type.String(),
    description: Type.String({ description: "The ticket's description when the verification was created" }),
    category: Type.String(),
    requesterName: Type.String(),
    requesterEmail: Type.String(),
    status: VerificationStateSchema,
    outcome: Nullable(Type.String()),
    riskLevel: Nullable(RiskLevelSchema),
    riskScore: Nullable(Type.Number()),
    reasons: Type.Array(Type.String()),
    recommendation: Nullable(
      Type.String({
        description: 'e.g. "User verified successfully - Proceed with action"; null before an outcome',
      }),
    ),
    action: ActionSchema,
    actionStatus: ActionStatusSchema,
    actionError: Nullable(Type.String()),
    attention: Nullable(Type.String()),
    initiatedBy: InitiatorSchema,
    agentName: Type.String(),
    agentUserName: Type.String(),
    channel: ChannelSchema,
    destinationMasked: Type.String(),
    destinationOnFile: Type.Boolean(),
    createdAt: DateTime,
    startedAt: Nullable(DateTime),
    completedAt: Nullable(DateTime),
    flaggedAt: Nullable(DateTime),
    analysis: ConsoleAnalysisSchema,
    transcript: Type.Array(ConsoleTranscriptEntrySchema),
    timeline: Type.Array(ConsoleTimelineEntrySchema),
    deliveries: Type.Array(ConsoleDeliverySchema),
    user: Nullable(ConsoleUserInfoSchema),
  },
  { $id: 'ConsoleVerificationDetails' },
);
export type ConsoleVerificationDetails = Static<typeof ConsoleVerificationDetailsSchema>;

/** The CSV's columns, in order: the header row names them. */
export const CONSOLE_CSV_COLUMNS = [
  'publicId',
  'ticketNumber',
  'ticketSubject',
  'requesterName',
  'requesterEmail',
  'riskLevel',
  'status',
  'category',
  'initiatedBy',
  'agentName',
  'createdAt',
  'completedAt',
] as const;
