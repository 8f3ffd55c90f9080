// Rows for console tests, written straight to the test database: verifications, deliveries and a second tenant,
// with exactly the fields the console's aggregates read.
import { randomBytes } from 'node:crypto';
import type { TestApp } from '../helper';

let seq = 0;
const ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';
export const publicId = () => `VRF-${[...randomBytes(6)].map((b) => ALPHABET[b & 31]).join('')}`;

export interface RowInput {
  tenantId?: string;
  state?: string;
  riskLevel?: 'verified' | 'medium' | 'high' | null;
  category?: string;
  createdAt: Date;
  /** seconds after createdAt */
  completedAfter?: number;
}

export async function insertVerificationRow(
  t: TestApp,
  r: RowInput,
): Promise<{ id: string; publicId: string }> {
  const n = ++seq;
  const pid = publicId();
  const row = await t.db.db
    .insertInto('verifications')
    .values({
      public_id: pid,
      tenant_id: r.tenantId ?? t.deps.tenants.all()[0]!.id,
      state: r.state ?? 'passed',
      ticket_table: 'incident',
      ticket_sys_id: randomBytes(16).toString('hex'),
      ticket_number: `INC00${10000 + n}`,
      ticket_subject: 'Password reset',
      ticket_category: r.category ?? 'password_reset',
      requester_sys_id: null,
      requester_name: `Requester ${n}`,
      requester_user_name: `req${n}`,
      agent_user_name: 'agent',
      agent_name: 'Agent',
      channel: 'email',
      destination_sealed: 'x',
      destination_masked: 'r***@example.com',
      destination_hash: randomBytes(32),
      destination_key: null,
      destination_on_file: true,
      risk_level: r.riskLevel ?? null,
      reasons: '[]',
      created_at: r.createdAt,
      completed_at:
        r.completedAfter === undefined ? null : new Date(r.createdAt.getTime() + r.completedAfter * 1000),
      deadline_at: new Date(r.createdAt.getTime() + 15 * 60_000),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: row.id, publicId: pid };
}

export async function insertDeliveryRow(
  t: TestApp,
  r: {
    verificationId: string;
    tenantId?: string;
    status: string;
    channel?: string;
    provider?: string;
    errorCode?: string;
    createdAt: Date;
  },
) {
  await t.db.db
    .insertInto('deliveries')
    .values({
      tenant_id: r.tenantId ?? t.deps.tenants.all()[0]!.id,
      verification_id: r.verificationId,
      link_id: null,
      channel: r.channel ?? 'email',
      provider: r.provider ?? 'sendgrid',
      provider_message_id: null,
      status: r.status,
      error_code: r.errorCode ?? null,
      error_message: null,
      created_at: r.createdAt,
    })
    .execute();
}

/** A second tenant (rows only: enough for queries that must never show its data, S18). */
export async function otherTenant(t: TestApp): Promise<string> {
  const row = await t.db.db
    .insertInto('tenants')
    .values({
      slug: `other-${randomBytes(3).toString('hex')}`,
      name: 'Other Co',
      instance_url: `https://other-${randomBytes(3).toString('hex')}.service-now.com`,
      auth_type: 'basic',
      credentials_sealed: 'x',
      launch_secret_sealed: 'x',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}
