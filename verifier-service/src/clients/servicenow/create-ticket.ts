// F7: the ticket a self-service or API verification is recorded on. Creating a record is not idempotent, so the
// ticket carries `correlation_id` = the verification's public ID and is looked up by it first: a retried start
// (a job run again after a timeout) finds the ticket the first attempt created instead of opening a second one.
import { assertTable, encodedQuery } from './encoded-query';
import type { ServiceNowClient } from './client';
import { ServiceNowError } from './errors';

export interface NewTicket {
  table: string;
  /** Unique per verification; stored in `correlation_id` */
  correlationId: string;
  callerSysId: string;
  shortDescription: string;
  description: string;
  category: string;
  subcategory: string;
  /** `contact_type`: 'self-service' for the portal's page, 'phone' (IVR) or 'email' for the API */
  contactType: string;
}

export interface CreatedTicket {
  sysId: string;
  number: string;
}

export async function createTicketOnce(
  client: ServiceNowClient,
  t: NewTicket,
  opts: { deadline?: number } = {},
): Promise<CreatedTicket> {
  assertTable(t.table);
  const within = opts.deadline !== undefined ? { deadline: opts.deadline } : {};
  const { records } = await client.query(t.table, {
    query: encodedQuery(['correlation_id', '=', t.correlationId]),
    fields: ['sys_id', 'number', 'caller_id'],
    limit: 10,
    ...within,
  });
  // Only a ticket for the same person is the first attempt's (another record could carry the same value).
  const found = records.find((r) => r.sys_id && r.caller_id === t.callerSysId);
  if (found) return { sysId: found.sys_id!, number: found.number ?? '' };
  const created = await client.create(
    t.table,
    {
      caller_id: t.callerSysId,
      short_description: t.shortDescription,
      description: t.description,
      category: t.category,
      subcategory: t.subcategory,
      contact_type: t.contactType,
      correlation_id: t.correlationId,
      correlation_display: 'imper.ai Verify',
    },
    { fields: ['sys_id', 'number'] },
  );
  if (!created.sys_id)
    throw new ServiceNowError({
      kind: 'http',
      message: `ServiceNow POST /api/now/table/${t.table}: the created record has no sys_id`,
      retriable: false,
    });
  return { sysId: created.sys_id, number: created.number ?? '' };
}
