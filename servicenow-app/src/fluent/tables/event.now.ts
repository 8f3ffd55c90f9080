// Verification events already applied through the REST API (idempotency by event id).
import { StringColumn, Table, TableNameColumn } from '@servicenow/sdk/core';

export const x_imper_verify_event = Table({
  name: 'x_imper_verify_event',
  label: 'imper.ai Applied event',
  display: 'event_id',
  accessibleFrom: 'package_private',
  schema: {
    event_id: StringColumn({
      label: 'Event ID',
      maxLength: 100,
      mandatory: true,
      attributes: { unique: true },
    }),
    ticket_table: TableNameColumn({ label: 'Ticket table' }),
    ticket_sys_id: StringColumn({ label: 'Ticket sys_id', maxLength: 32 }),
  },
});
