// The one Database type kysely checks every query against. Mirrors the migrations; snake_case stays in the
// repositories, which map rows to domain objects.
import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type Json<T> = ColumnType<T, string, string>;

export interface TenantsTable {
  id: Generated<string>;
  slug: string;
  name: string;
  instance_url: string;
  auth_type: 'basic' | 'oauth';
  credentials_sealed: string;
  launch_secret_sealed: string;
  created_at: CreatedAt;
  updated_at: Generated<Date>;
  /** F8 §6: credentials set in the console (sealed JSON, as `credentials_sealed`); null: the configured ones. */
  console_credentials_sealed: string | null;
  /** `console:<username>` of the last console change (a reset included), with its time. */
  credentials_changed_by: string | null;
  credentials_changed_at: Timestamp | null;
}

export interface VerificationsTable {
  id: Generated<string>;
  public_id: string;
  tenant_id: string;
  state: string;
  ticket_table: string;
  ticket_sys_id: string;
  ticket_number: string;
  ticket_subject: string;
  ticket_category: string;
  requester_sys_id: string | null;
  requester_name: string;
  requester_user_name: string;
  agent_user_name: string;
  agent_name: string;
  channel: 'email' | 'sms';
  destination_sealed: string;
  destination_masked: string;
  destination_hash: Buffer;
  destination_key: string | null;
  destination_on_file: boolean;
  outcome: string | null;
  risk_level: string | null;
  risk_score: number | null;
  recommendation: string | null;
  reasons: Json<string[]>;
  action: Generated<string>;
  action_status: Generated<string>;
  attention: string | null;
  requester_session_hash: Buffer | null;
  sends: Generated<number>;
  created_at: CreatedAt;
  updated_at: Generated<Date>;
  started_at: Timestamp | null;
  completed_at: Timestamp | null;
  deadline_at: Timestamp;
  /** The requester's address at Start (normalised), for the same-IP signal; null before Start or when unreadable. */
  client_ip: ColumnType<string | null, string | null | undefined, string | null>;
  /** The sub-step of in_progress that waits between requests: 'challenge', 'step_up'; null otherwise. */
  step: ColumnType<string | null, string | null | undefined, string | null>;
  /** The silent checks taken at Start, as the risk engine reads them (RiskContext without challenge/step-up). */
  risk_context: ColumnType<unknown | null, string | null | undefined, string | null>;
  /** The analysis report (domain/risk/report.ts) for the console. */
  report: ColumnType<unknown | null, string | null | undefined, string | null>;
  transcript_sealed: ColumnType<string | null, string | null | undefined, string | null>;
  call_code_sealed: ColumnType<string | null, string | null | undefined, string | null>;
  /** Resolve and close the ticket when the action completes (the category policy's auto_close) */
  auto_close: Generated<boolean>;
  action_started_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  action_completed_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  action_error: ColumnType<string | null, string | null | undefined, string | null>;
  /** When someone on the account's contacts reported "This wasn't me" (S11) */
  flagged_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  /** Who started it: 'agent' (from the ticket), 'self_service' (the portal's page), 'api' (an API key) */
  initiated_by: Generated<'agent' | 'self_service' | 'api'>;
  /** The API key that started it; its webhook is told when it finishes */
  api_key_id: ColumnType<string | null, string | null | undefined, string | null>;
  /** The requester's email on file at creation ('' when unknown): the console lists and searches it */
  /** The requester's email on file, sealed (S19); '' when none */
  requester_email_sealed: Generated<string>;
  /** HMAC of the lower-cased email (exact search); null when none */
  requester_email_hash: ColumnType<Buffer | null, Buffer | null | undefined, Buffer | null>;
  /** The ticket's description at creation: the console's details show it */
  ticket_description: Generated<string>;
}

export interface ApiKeysTable {
  id: Generated<string>;
  tenant_id: string;
  name: string;
  /** The start of the key, shown to admins to tell keys apart (never enough to use it) */
  prefix: string;
  /** SHA-256 of the whole key */
  key_hash: Buffer;
  scopes: string[];
  webhook_url: string | null;
  webhook_secret_sealed: string | null;
  created_at: CreatedAt;
  last_used_at: Timestamp | null;
  revoked_at: Timestamp | null;
}

export interface ActionReportsTable {
  id: Generated<string>;
  tenant_id: string;
  verification_id: string;
  token_hash: Buffer;
  expires_at: Timestamp;
  used_at: Timestamp | null;
  created_at: CreatedAt;
}

export interface VerificationChallengesTable {
  verification_id: string;
  tenant_id: string;
  /** The questions, right answers included: sealed. */
  questions_sealed: string;
  answers: Json<unknown[]>;
  position: Generated<number>;
  submissions: Generated<number>;
  max_submissions: number;
  shown_at: Timestamp | null;
  created_at: CreatedAt;
  updated_at: Generated<Date>;
}

export interface AccountFailuresTable {
  tenant_id: string;
  account_key: string;
  consecutive: Generated<number>;
  updated_at: Generated<Date>;
}

export interface AttestationsTable {
  id: Generated<string>;
  tenant_id: string;
  verification_id: string;
  token_hash: Buffer;
  manager_sys_id: string;
  manager_name: string;
  channel: 'email' | 'sms';
  destination_sealed: string;
  destination_masked: string;
  reasons: Json<string[]>;
  status: Generated<'pending' | 'approved' | 'denied' | 'timed_out'>;
  fetched_at: Timestamp | null;
  decided_at: Timestamp | null;
  expires_at: Timestamp;
  created_at: CreatedAt;
}

export interface VerificationLinksTable {
  id: Generated<string>;
  tenant_id: string;
  verification_id: string;
  token_hash: Buffer;
  expires_at: Timestamp;
  /** First GET or HEAD of the link (a browser, or a scanner or link preview). */
  fetched_at: Timestamp | null;
  /** First sign that a browser ran the page: its script's report, or Start. */
  opened_at: Timestamp | null;
  /** Who reported the open (the page's script): address and user agent, compared with the starter's. */
  opened_ip: ColumnType<string | null, string | null | undefined, string | null>;
  opened_user_agent: ColumnType<string | null, string | null | undefined, string | null>;
  used_at: Timestamp | null;
  revoked_at: Timestamp | null;
  created_at: CreatedAt;
}

export interface DeliveriesTable {
  id: Generated<string>;
  tenant_id: string;
  verification_id: string;
  link_id: string | null;
  channel: string;
  provider: string;
  provider_message_id: string | null;
  status: string;
  error_code: string | null;
  error_message: string | null;
  created_at: CreatedAt;
  updated_at: Generated<Date>;
}

export interface DevMessagesTable {
  id: Generated<string>;
  channel: 'email' | 'sms';
  to_address: string;
  subject: string | null;
  text_body: string;
  html_body: string | null;
  link: string | null;
  created_at: CreatedAt;
}

export interface LaunchJtisTable {
  tenant_id: string;
  jti: string;
  expires_at: Timestamp;
}

export interface AgentSessionsTable {
  id_hash: Buffer;
  tenant_id: string;
  user_name: string;
  name: string;
  ticket_table: string;
  ticket_sys_id: string;
  ticket_number: string;
  context_sealed: string;
  created_at: CreatedAt;
  expires_at: Timestamp;
}

export interface WritebackEventsTable {
  id: Generated<string>;
  tenant_id: string;
  verification_id: string;
  seq: number;
  kind: string;
  fields: Json<Record<string, string>>;
  work_note: string | null;
  status: Generated<'pending' | 'delivered' | 'dead'>;
  attempts: Generated<number>;
  last_error: string | null;
  next_attempt_at: Timestamp | null;
  delivered_at: Timestamp | null;
  created_at: CreatedAt;
  ticket_table: string;
  ticket_sys_id: string;
  /** Global order of creation; the events of one ticket apply in this order. */
  ordinal: Generated<string>;
  /** When the event was last re-driven after being dead-lettered; its retry horizon counts from then. */
  redriven_at: Timestamp | null;
  /** When the event was dead-lettered (null unless status is 'dead'); the console lists dead letters by it. */
  dead_at: Timestamp | null;
}

/** A row exists while the tenant's instance is considered down (SERVICENOW outage, issue 8). */
export interface ServiceNowInstanceHealthTable {
  tenant_id: string;
  down_since: Timestamp;
  last_error: string | null;
  last_probe_at: Timestamp | null;
  probes: Generated<number>;
}

export interface AuditEventsTable {
  id: Generated<string>;
  tenant_id: string | null;
  verification_id: string | null;
  type: string;
  actor: string;
  data: Json<Record<string, unknown>>;
  created_at: Timestamp;
  prev_hash: Buffer | null;
  hash: Buffer;
}

export interface ConsoleUsersTable {
  id: Generated<string>;
  tenant_id: string;
  username: string;
  name: string;
  password_hash: string | null;
  totp_secret_sealed: string | null;
  /** The last accepted TOTP time step (bigint: pg returns it as a string) */
  totp_last_counter: ColumnType<string | null, number | string | null | undefined, number | string | null>;
  roles: string[];
  sso_subject: string | null;
  failed_logins: Generated<number>;
  locked_until: Timestamp | null;
  last_login_at: Timestamp | null;
  created_at: CreatedAt;
  disabled_at: Timestamp | null;
}

export interface ConsoleSessionsTable {
  id_hash: Buffer;
  user_id: string;
  tenant_id: string;
  via: 'password' | 'sso';
  created_at: CreatedAt;
  last_seen_at: Timestamp;
  expires_at: Timestamp;
}

/** F8 §6: the console's risk thresholds, per tenant and request category ('' = all requests) */
export interface RiskThresholdOverridesTable {
  tenant_id: string;
  category: string;
  /** numeric(3,1): pg returns it as a string */
  medium: ColumnType<string, number | string, number | string>;
  high: ColumnType<string, number | string, number | string>;
  updated_by: string;
  updated_at: Timestamp;
}

export interface Database {
  tenants: TenantsTable;
  verifications: VerificationsTable;
  verification_links: VerificationLinksTable;
  deliveries: DeliveriesTable;
  dev_messages: DevMessagesTable;
  launch_jtis: LaunchJtisTable;
  agent_sessions: AgentSessionsTable;
  writeback_events: WritebackEventsTable;
  servicenow_instance_health: ServiceNowInstanceHealthTable;
  audit_events: AuditEventsTable;
  verification_challenges: VerificationChallengesTable;
  account_failures: AccountFailuresTable;
  attestations: AttestationsTable;
  action_reports: ActionReportsTable;
  api_keys: ApiKeysTable;
  console_users: ConsoleUsersTable;
  console_sessions: ConsoleSessionsTable;
  risk_threshold_overrides: RiskThresholdOverridesTable;
}

export type TenantRow = Selectable<TenantsTable>;
export type ApiKeyRow = Selectable<ApiKeysTable>;
export type ConsoleUserRow = Selectable<ConsoleUsersTable>;
export type ConsoleSessionRow = Selectable<ConsoleSessionsTable>;
export type VerificationRow = Selectable<VerificationsTable>;
export type NewVerification = Insertable<VerificationsTable>;
export type LinkRow = Selectable<VerificationLinksTable>;
export type DeliveryRow = Selectable<DeliveriesTable>;
export type DevMessageRow = Selectable<DevMessagesTable>;
export type WritebackEventRow = Selectable<WritebackEventsTable>;
export type AuditEventRow = Selectable<AuditEventsTable>;
export type ChallengeRow = Selectable<VerificationChallengesTable>;
export type AttestationRow = Selectable<AttestationsTable>;
