// The dictionary of the stand-in: which tables exist, their columns, types, labels and the `task` hierarchy.
// Only what the project touches is modelled; a column that is not here is "unknown" (ignored on write,
// dropped from `sysparm_fields`, an invalid condition in encoded queries) exactly as on an instance.

export type FieldType =
  | 'string'
  | 'integer'
  | 'boolean'
  | 'reference'
  | 'glide_date_time'
  | 'journal'
  | 'url'
  | 'email'
  | 'phone'
  | 'sys_id'
  | 'password';

export interface FieldDef {
  name: string;
  type: FieldType;
  label: string;
  /** Referenced table for `reference` columns. */
  reference?: string;
  /** Column has `sys_choice` rows; reads show their labels. */
  choice?: boolean;
  /** Value on insert when none is given. */
  default?: string;
}

export interface TableDef {
  name: string;
  label: string;
  /** Parent table (`incident` extends `task`). */
  extends?: string;
  /** Column whose value is the record's display value. */
  displayField: string;
  /** Auto-numbering prefix (`INC` → INC0010001). */
  numberPrefix?: string;
  fields: FieldDef[];
}

const f = (name: string, type: FieldType, label: string, extra: Partial<FieldDef> = {}): FieldDef => ({
  name,
  type,
  label,
  ...extra,
});
const ref = (name: string, table: string, label: string): FieldDef =>
  f(name, 'reference', label, { reference: table });
const choice = (name: string, label: string, extra: Partial<FieldDef> = {}): FieldDef =>
  f(name, 'string', label, { choice: true, ...extra });
const intChoice = (name: string, label: string, extra: Partial<FieldDef> = {}): FieldDef =>
  f(name, 'integer', label, { choice: true, ...extra });

/** Columns every table has. */
export const SYS_FIELDS: FieldDef[] = [
  f('sys_id', 'sys_id', 'Sys ID'),
  f('sys_created_on', 'glide_date_time', 'Created'),
  f('sys_created_by', 'string', 'Created by'),
  f('sys_updated_on', 'glide_date_time', 'Updated'),
  f('sys_updated_by', 'string', 'Updated by'),
  f('sys_mod_count', 'integer', 'Updates'),
];
export const SYS_FIELD_NAMES = new Set(SYS_FIELDS.map((x) => x.name));

/** The eight columns the scoped app adds to `task` (CONTRACTS.md "Ticket columns"). */
export const VERIFY_COLUMNS: FieldDef[] = [
  f('x_imper_verify_verification', 'url', 'imper.ai Verification'),
  choice('x_imper_verify_status', 'imper.ai Verification status'),
  choice('x_imper_verify_risk_level', 'imper.ai Risk level'),
  f('x_imper_verify_id', 'string', 'imper.ai Verification ID'),
  f('x_imper_verify_details_url', 'url', 'imper.ai Details'),
  f('x_imper_verify_attention', 'string', 'imper.ai Attention'),
  choice('x_imper_verify_action', 'imper.ai Action'),
  choice('x_imper_verify_action_status', 'imper.ai Action status'),
];

const TABLES: TableDef[] = [
  {
    name: 'sys_user',
    label: 'User',
    displayField: 'name',
    fields: [
      f('user_name', 'string', 'User ID'),
      f('name', 'string', 'Name'),
      f('first_name', 'string', 'First name'),
      f('last_name', 'string', 'Last name'),
      f('email', 'email', 'Email'),
      f('mobile_phone', 'phone', 'Mobile phone'),
      f('phone', 'phone', 'Business phone'),
      f('employee_number', 'string', 'Employee number'),
      ref('manager', 'sys_user', 'Manager'),
      ref('department', 'cmn_department', 'Department'),
      ref('location', 'cmn_location', 'Location'),
      f('title', 'string', 'Title'),
      f('vip', 'boolean', 'VIP', { default: 'false' }),
      f('locked_out', 'boolean', 'Locked out', { default: 'false' }),
      f('active', 'boolean', 'Active', { default: 'true' }),
      f('password_needs_reset', 'boolean', 'Password needs reset', { default: 'false' }),
      // Write-only: setting it changes the user's login password; it always reads back as "".
      f('user_password', 'password', 'Password'),
    ],
  },
  {
    name: 'cmn_department',
    label: 'Department',
    displayField: 'name',
    fields: [
      f('name', 'string', 'Name'),
      f('id', 'string', 'ID'),
      f('description', 'string', 'Description'),
      ref('dept_head', 'sys_user', 'Department head'),
    ],
  },
  {
    name: 'cmn_location',
    label: 'Location',
    displayField: 'name',
    fields: [
      f('name', 'string', 'Name'),
      f('street', 'string', 'Street'),
      f('city', 'string', 'City'),
      f('state', 'string', 'State / Province'),
      f('zip', 'string', 'Zip / Postal code'),
      f('country', 'string', 'Country'),
    ],
  },
  {
    name: 'sys_user_group',
    label: 'Group',
    displayField: 'name',
    fields: [
      f('name', 'string', 'Name'),
      f('description', 'string', 'Description'),
      ref('manager', 'sys_user', 'Manager'),
      f('email', 'email', 'Group email'),
      f('active', 'boolean', 'Active', { default: 'true' }),
    ],
  },
  {
    name: 'sys_user_grmember',
    label: 'Group Member',
    displayField: 'sys_id',
    fields: [ref('user', 'sys_user', 'User'), ref('group', 'sys_user_group', 'Group')],
  },
  {
    name: 'sys_user_role',
    label: 'Role',
    displayField: 'name',
    fields: [f('name', 'string', 'Name'), f('description', 'string', 'Description')],
  },
  {
    name: 'sys_user_has_role',
    label: 'User Role',
    displayField: 'sys_id',
    fields: [
      ref('user', 'sys_user', 'User'),
      ref('role', 'sys_user_role', 'Role'),
      f('state', 'string', 'State', { default: 'active' }),
      f('inherited', 'boolean', 'Inherited', { default: 'false' }),
    ],
  },
  {
    name: 'alm_hardware',
    label: 'Hardware',
    displayField: 'display_name',
    fields: [
      f('display_name', 'string', 'Display name'),
      f('asset_tag', 'string', 'Asset tag'),
      f('serial_number', 'string', 'Serial number'),
      f('model_category', 'string', 'Model category'),
      f('model', 'string', 'Model'),
      ref('assigned_to', 'sys_user', 'Assigned to'),
      f('assigned', 'glide_date_time', 'Assigned'),
      intChoice('install_status', 'State', { default: '1' }),
    ],
  },
  {
    name: 'task',
    label: 'Task',
    displayField: 'number',
    numberPrefix: 'TASK',
    fields: [
      f('number', 'string', 'Number'),
      f('sys_class_name', 'string', 'Task type'),
      f('short_description', 'string', 'Short description'),
      f('description', 'string', 'Description'),
      intChoice('state', 'State', { default: '1' }),
      f('active', 'boolean', 'Active', { default: 'true' }),
      intChoice('impact', 'Impact', { default: '3' }),
      intChoice('urgency', 'Urgency', { default: '3' }),
      intChoice('priority', 'Priority', { default: '5' }),
      ref('assigned_to', 'sys_user', 'Assigned to'),
      ref('assignment_group', 'sys_user_group', 'Assignment group'),
      ref('opened_by', 'sys_user', 'Opened by'),
      f('opened_at', 'glide_date_time', 'Opened'),
      ref('closed_by', 'sys_user', 'Closed by'),
      f('closed_at', 'glide_date_time', 'Closed'),
      f('close_notes', 'string', 'Close notes'),
      choice('contact_type', 'Channel'),
      f('correlation_id', 'string', 'Correlation ID'),
      f('correlation_display', 'string', 'Correlation display'),
      f('work_notes', 'journal', 'Work notes'),
      f('comments', 'journal', 'Additional comments'),
      ...VERIFY_COLUMNS,
    ],
  },
  {
    name: 'incident',
    label: 'Incident',
    extends: 'task',
    displayField: 'number',
    numberPrefix: 'INC',
    fields: [
      ref('caller_id', 'sys_user', 'Caller'),
      choice('category', 'Category', { default: 'inquiry' }),
      choice('subcategory', 'Subcategory'),
      choice('close_code', 'Resolution code'),
      ref('resolved_by', 'sys_user', 'Resolved by'),
      f('resolved_at', 'glide_date_time', 'Resolved'),
    ],
  },
  {
    // Service catalog: a request (REQ) holds the requested items (RITM) a person asked for.
    name: 'sc_request',
    label: 'Request',
    extends: 'task',
    displayField: 'number',
    numberPrefix: 'REQ',
    fields: [ref('requested_for', 'sys_user', 'Requested for'), choice('request_state', 'Request state')],
  },
  {
    name: 'sc_req_item',
    label: 'Requested Item',
    extends: 'task',
    displayField: 'number',
    numberPrefix: 'RITM',
    fields: [
      ref('request', 'sc_request', 'Request'),
      ref('requested_for', 'sys_user', 'Requested for'),
      f('quantity', 'integer', 'Quantity', { default: '1' }),
    ],
  },
  {
    name: 'sys_choice',
    label: 'Choice',
    displayField: 'label',
    fields: [
      f('name', 'string', 'Table'),
      f('element', 'string', 'Element'),
      f('value', 'string', 'Value'),
      f('label', 'string', 'Label'),
      f('sequence', 'integer', 'Sequence'),
      f('inactive', 'boolean', 'Inactive', { default: 'false' }),
      f('language', 'string', 'Language', { default: 'en' }),
      f('dependent_value', 'string', 'Dependent value'),
    ],
  },
  {
    name: 'sys_journal_field',
    label: 'Journal Entry',
    displayField: 'value',
    fields: [
      // A GUID column on the instance (not a reference): the sys_id of the record the entry belongs to.
      f('element_id', 'string', 'Element ID'),
      f('element', 'string', 'Element'),
      f('name', 'string', 'Name'),
      f('value', 'string', 'Value'),
    ],
  },
  {
    // Field history of audited tables (the stand-in audits sys_user, as an instance that audits it does).
    // `documentkey` is a GUID column (not a reference); `user` is the user_name of whoever made the change.
    name: 'sys_audit',
    label: 'Audit',
    displayField: 'fieldname',
    fields: [
      f('tablename', 'string', 'Table name'),
      f('documentkey', 'string', 'Document key'),
      f('fieldname', 'string', 'Field name'),
      f('oldvalue', 'string', 'Old value'),
      f('newvalue', 'string', 'New value'),
      f('user', 'string', 'User'),
      f('reason', 'string', 'Reason'),
      f('record_checkpoint', 'integer', 'Record checkpoint'),
    ],
  },
  {
    name: 'sys_properties',
    label: 'System Property',
    displayField: 'name',
    fields: [
      f('name', 'string', 'Name'),
      f('value', 'string', 'Value'),
      f('type', 'string', 'Type', { default: 'string' }),
      f('description', 'string', 'Description'),
    ],
  },
  {
    name: 'x_imper_verify_category_policy',
    label: 'imper.ai Category Policy',
    displayField: 'category',
    fields: [
      f('task_table', 'string', 'Task table', { default: 'incident' }),
      f('category', 'string', 'Category'),
      f('subcategory', 'string', 'Subcategory'),
      f('requires_verification', 'boolean', 'Requires verification', { default: 'true' }),
      choice('action', 'Action', { default: 'none' }),
      f('auto_close', 'boolean', 'Auto close', { default: 'false' }),
      f('active', 'boolean', 'Active', { default: 'true' }),
      f('order', 'integer', 'Order', { default: '100' }),
    ],
  },
  {
    name: 'x_imper_verify_event',
    label: 'imper.ai Applied event',
    displayField: 'event_id',
    fields: [
      f('event_id', 'string', 'Event ID'),
      f('ticket_table', 'string', 'Ticket table'),
      f('ticket_sys_id', 'string', 'Ticket sys_id'),
    ],
  },
];

export class Schema {
  private readonly tables = new Map<string, TableDef>();
  private readonly fieldCache = new Map<string, Map<string, FieldDef>>();

  constructor(defs: TableDef[] = TABLES) {
    for (const def of defs) this.tables.set(def.name, def);
  }

  has(table: string): boolean {
    return this.tables.has(table);
  }

  table(table: string): TableDef {
    const def = this.tables.get(table);
    if (!def) throw new Error(`unknown table ${table}`);
    return def;
  }

  tableNames(): string[] {
    return [...this.tables.keys()];
  }

  /** `incident` → [`incident`, `task`]. */
  ancestry(table: string): string[] {
    const chain: string[] = [];
    for (let t: string | undefined = table; t; t = this.tables.get(t)?.extends) chain.push(t);
    return chain;
  }

  /** `task` → [`task`, `incident`] (the table and every table extending it). */
  family(table: string): string[] {
    return [...this.tables.values()].filter((d) => this.ancestry(d.name).includes(table)).map((d) => d.name);
  }

  isA(table: string, ancestor: string): boolean {
    return this.ancestry(table).includes(ancestor);
  }

  /** Every column of the table, inherited ones included, sys columns first. */
  fields(table: string): Map<string, FieldDef> {
    let cached = this.fieldCache.get(table);
    if (!cached) {
      cached = new Map(SYS_FIELDS.map((x) => [x.name, x]));
      for (const t of this.ancestry(table).reverse())
        for (const fd of this.table(t).fields) cached.set(fd.name, fd);
      this.fieldCache.set(table, cached);
    }
    return cached;
  }

  field(table: string, name: string): FieldDef | undefined {
    return this.fields(table).get(name);
  }
}
