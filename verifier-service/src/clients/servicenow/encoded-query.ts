// Building ServiceNow encoded queries (`sysparm_query`) safely.
//
// ServiceNow has no escape for `^` inside a value (SERVICENOW.md), so `email=${input}` with input
// `x^ORactive=true` would add a condition. Every value goes through this builder, which refuses the
// separators it cannot encode: `^` always, `,` inside IN lists, `@` inside BETWEEN bounds.
// Names (tables, fields, sys_ids) are checked against strict patterns.

export const TABLE_NAME = /^[a-z0-9_]+$/;
export const SYS_ID = /^[0-9a-f]{32}$/;
/** A column, or a dot-walked path such as `caller_id.email`. */
export const FIELD_NAME = /^[a-z0-9_]+(\.[a-z0-9_]+)*$/;

export type ValueOperator =
  '=' | '!=' | '>' | '>=' | '<' | '<=' | 'LIKE' | 'NOTLIKE' | 'STARTSWITH' | 'ENDSWITH';

export type Condition =
  | readonly [field: string, op: ValueOperator, value: string]
  | readonly [field: string, op: 'IN' | 'NOT IN', values: readonly string[]]
  | readonly [field: string, op: 'BETWEEN', range: readonly [from: string, to: string]]
  | readonly [field: string, op: 'ISEMPTY' | 'ISNOTEMPTY'];

export type QueryTerm =
  | Condition
  /** Conditions joined by `^OR` (ServiceNow binds `^OR` tighter than `^`). */
  | { readonly anyOf: readonly Condition[] }
  | { readonly orderBy: string }
  | { readonly orderByDesc: string };

const VALUE_OPERATORS: ReadonlySet<string> = new Set([
  '=',
  '!=',
  '>',
  '>=',
  '<',
  '<=',
  'LIKE',
  'NOTLIKE',
  'STARTSWITH',
  'ENDSWITH',
]);

export function assertTable(table: string): void {
  if (typeof table !== 'string' || !TABLE_NAME.test(table)) {
    throw new TypeError(`invalid ServiceNow table name ${JSON.stringify(String(table)).slice(0, 80)}`);
  }
}

export function assertSysId(sysId: string): void {
  if (typeof sysId !== 'string' || !SYS_ID.test(sysId)) {
    throw new TypeError(`invalid ServiceNow sys_id ${JSON.stringify(String(sysId)).slice(0, 80)}`);
  }
}

export function assertField(field: string): void {
  if (typeof field !== 'string' || !FIELD_NAME.test(field)) {
    throw new TypeError(`invalid ServiceNow field name ${JSON.stringify(String(field)).slice(0, 80)}`);
  }
}

function safeValue(field: string, value: unknown, forbidden: readonly string[]): string {
  if (typeof value !== 'string') throw new TypeError(`query value for ${field} must be a string`);
  for (const ch of forbidden) {
    if (value.includes(ch)) {
      // The value itself is not echoed: it is often user input (an email, a phone number).
      throw new TypeError(`query value for ${field} contains ${JSON.stringify(ch)}, which cannot be encoded`);
    }
  }
  return value;
}

function condition(c: Condition): string {
  const [field, op] = c;
  assertField(field);
  if (VALUE_OPERATORS.has(op)) return `${field}${op}${safeValue(field, c[2], ['^'])}`;
  switch (op) {
    case 'IN':
    case 'NOT IN': {
      const values = c[2];
      if (!Array.isArray(values) || values.length === 0) {
        throw new TypeError(`${op} for ${field} needs a non-empty list`);
      }
      return `${field}${op}${values.map((v) => safeValue(field, v, ['^', ','])).join(',')}`;
    }
    case 'BETWEEN': {
      const range = c[2];
      if (!Array.isArray(range) || range.length !== 2)
        throw new TypeError(`BETWEEN for ${field} needs [from, to]`);
      return `${field}BETWEEN${safeValue(field, range[0], ['^', '@'])}@${safeValue(field, range[1], ['^', '@'])}`;
    }
    case 'ISEMPTY':
    case 'ISNOTEMPTY':
      return `${field}${op}`;
    default:
      throw new TypeError(`unsupported query operator ${JSON.stringify(op)}`);
  }
}

/**
 * Joins terms with `^` (AND). Example:
 * `encodedQuery(['element_id', '=', sysId], ['value', 'LIKE', marker], { orderBy: 'sys_created_on' })`.
 */
export function encodedQuery(...terms: readonly QueryTerm[]): string {
  const parts: string[] = [];
  for (const t of terms) {
    if (Array.isArray(t)) {
      parts.push(condition(t as Condition));
    } else if ('anyOf' in t) {
      if (t.anyOf.length === 0) throw new TypeError('anyOf needs at least one condition');
      parts.push(t.anyOf.map(condition).join('^OR'));
    } else if ('orderBy' in t) {
      assertField(t.orderBy);
      parts.push(`ORDERBY${t.orderBy}`);
    } else if ('orderByDesc' in t) {
      assertField(t.orderByDesc);
      parts.push(`ORDERBYDESC${t.orderByDesc}`);
    } else {
      throw new TypeError('unknown query term');
    }
  }
  return parts.join('^');
}
