// Records on the wire: `sysparm_fields`, `sysparm_display_value` × `sysparm_exclude_reference_link`
// (SERVICENOW.md "Values"), and `sysparm_input_display_value` on writes.

import type { Rec, TableStore } from './store';
import { SYS_FIELD_NAMES } from './schema';

export type DisplayMode = 'false' | 'true' | 'all';

export interface FormatOptions {
  /** Requested columns (`sysparm_fields`), null for all columns of the table. */
  fields: string[] | null;
  display: DisplayMode;
  excludeReferenceLink: boolean;
  /** Instance base URL for reference links. */
  baseUrl: string;
}

export function parseDisplayMode(v: unknown): DisplayMode {
  const s = String(v ?? '').toLowerCase();
  return s === 'true' || s === 'all' ? s : 'false';
}

export function parseFieldList(v: unknown): string[] | null {
  if (typeof v !== 'string' || v.trim() === '') return null;
  return v
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);
}

/** Journal entries of a field concatenated the way the platform shows them (newest first). */
export function journalText(store: TableStore, sysId: string, element: string): string {
  return store
    .journal(sysId, element)
    .map((e) => {
      const author = store.userByName(e.sys_created_by)?.name || e.sys_created_by;
      const label = element === 'work_notes' ? 'Work notes' : 'Additional comments';
      return `${e.sys_created_on} - ${author} (${label})\n${e.value}\n\n`;
    })
    .join('');
}

export function formatRecord(
  store: TableStore,
  table: string,
  rec: Rec,
  opts: FormatOptions,
): Record<string, unknown> {
  const names = opts.fields ?? [...store.schema.fields(table).keys()];
  const out: Record<string, unknown> = {};
  for (const name of names) {
    const hit = store.walk(table, rec, name);
    if (!hit) continue; // unknown names are ignored
    out[name] = formatValue(store, hit, opts);
  }
  return out;
}

function formatValue(
  store: TableStore,
  hit: NonNullable<ReturnType<TableStore['walk']>>,
  opts: FormatOptions,
): unknown {
  const { field, value } = hit;
  const { display } = opts;
  if (field.type === 'journal') {
    const text = hit.record?.sys_id ? journalText(store, hit.record.sys_id, field.name) : '';
    if (display === 'false') return '';
    return display === 'true' ? text : { display_value: text, value: '' };
  }
  if (field.type === 'reference' && field.reference) {
    if (value === '') return ''; // SERVICENOW.md: an empty reference is "" (here in every display mode)
    const link = `${opts.baseUrl}/api/now/table/${field.reference}/${value}`;
    const shown = store.displayOf(field.reference, value);
    if (display === 'false') return opts.excludeReferenceLink ? value : { link, value };
    if (display === 'true') return opts.excludeReferenceLink ? shown : { display_value: shown, link };
    return opts.excludeReferenceLink
      ? { display_value: shown, value }
      : { display_value: shown, link, value };
  }
  if (display === 'false') return value;
  const shown = field.choice ? store.choiceLabel(hit.table, field.name, value) : value;
  return display === 'true' ? shown : { display_value: shown, value };
}

/**
 * Turns a request body into column values: unknown columns and sys columns are dropped, every value becomes
 * a string, and with `sysparm_input_display_value=true` references and choices given by their display value
 * are translated to sys_ids / choice values.
 */
export function inputValues(
  store: TableStore,
  table: string,
  body: Record<string, unknown>,
  inputDisplayValue: boolean,
): Record<string, string> {
  const fields = store.schema.fields(table);
  const out: Record<string, string> = {};
  for (const [key, raw] of Object.entries(body)) {
    const fd = fields.get(key);
    if (!fd || SYS_FIELD_NAMES.has(key) || key === 'sys_class_name') continue;
    let v: string;
    if (raw === null || raw === undefined) v = '';
    else if (typeof raw === 'object' && raw !== null && 'value' in raw)
      v = String((raw as { value: unknown }).value ?? '');
    else v = typeof raw === 'string' ? raw : String(raw);
    if (inputDisplayValue && v !== '') {
      if (fd.type === 'reference' && fd.reference && !store.get(fd.reference, v)) {
        const display = store.schema.table(fd.reference).displayField;
        const hit = store
          .query(fd.reference, '')
          .find((r) => (r[display] ?? '').toLowerCase() === v.toLowerCase());
        if (hit?.sys_id) v = hit.sys_id;
      } else if (fd.choice) {
        v = store.choiceValue(table, key, v) ?? v;
      }
    }
    out[key] = v;
  }
  return out;
}
