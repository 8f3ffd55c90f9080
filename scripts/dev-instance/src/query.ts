// Encoded queries (SERVICENOW.md "Encoded queries"): a pure parser and evaluator.
//
//   a=1^b=2          AND          a=1^ORa=2        OR (binds to the condition before it)
//   a=1^NQb=2        new OR'd group                ^ORDERBYx / ^ORDERBYDESCx   ordering
//
// Operators: = != > >= < <= LIKE NOTLIKE STARTSWITH ENDSWITH IN NOT IN ISEMPTY ISNOTEMPTY BETWEEN(a@b).
// There is no escaping of `^`, `,` or `@` in values. Parts that do not parse, or that name a column the
// resolver does not know, are ignored (the instance default), so `bogus=1` matches everything.
// Comparisons are case-insensitive. Values of the form `javascript:gs.daysAgo(3)` support a handful of
// GlideSystem date helpers, evaluated against the caller's clock.
//
// The module knows nothing about tables: a resolver turns (record, field path) into a typed value, which
// keeps dot-walking (`caller_id.vip`) and the table hierarchy in the store.

export const OPERATORS = [
  'ISNOTEMPTY',
  'ISEMPTY',
  'NOTLIKE',
  'NOT IN',
  'STARTSWITH',
  'ENDSWITH',
  'BETWEEN',
  'LIKE',
  'IN',
  '!=',
  '>=',
  '<=',
  '=',
  '>',
  '<',
] as const;
export type Operator = (typeof OPERATORS)[number];

export interface Condition {
  field: string;
  op: Operator;
  value: string;
}
/** Conditions joined by `^OR`: any may hold. */
export type Clause = Condition[];
/** Clauses joined by `^`: all must hold. */
export type Group = Clause[];

export interface OrderBy {
  field: string;
  desc: boolean;
}

export interface ParsedQuery {
  /** Groups joined by `^NQ`: a record matches when any group matches (no groups: everything matches). */
  groups: Group[];
  orderBy: OrderBy[];
  /** Parts that could not be parsed (ignored, kept for diagnostics). */
  ignored: string[];
}

export type ValueType = 'string' | 'number' | 'boolean' | 'datetime';

export interface TypedValue {
  value: string;
  type: ValueType;
}

/** Resolves a (possibly dotted) field of a record; `undefined` means the field is unknown (condition ignored). */
export type Resolver<R> = (record: R, field: string) => TypedValue | undefined;

const CONDITION = new RegExp(
  `^([a-z0-9_.]+?)(${OPERATORS.map((o) => o.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})(.*)$`,
  's',
);

export function parseCondition(part: string): Condition | null {
  const m = CONDITION.exec(part);
  if (!m) return null;
  const [, field, op, value] = m as unknown as [string, string, Operator, string];
  if (field.startsWith('.') || field.endsWith('.') || field.includes('..')) return null;
  return { field, op, value: op === 'ISEMPTY' || op === 'ISNOTEMPTY' ? '' : value };
}

export function parseEncodedQuery(query: string | undefined | null): ParsedQuery {
  const parsed: ParsedQuery = { groups: [], orderBy: [], ignored: [] };
  if (!query) return parsed;
  for (const groupText of query.split('^NQ')) {
    const group: Group = [];
    for (const raw of groupText.split('^')) {
      const part = raw.trim();
      if (part === '' || part === 'EQ') continue;
      if (part.startsWith('ORDERBYDESC')) {
        const field = part.slice('ORDERBYDESC'.length);
        if (/^[a-z0-9_.]+$/.test(field)) parsed.orderBy.push({ field, desc: true });
        else parsed.ignored.push(part);
        continue;
      }
      if (part.startsWith('ORDERBY')) {
        const field = part.slice('ORDERBY'.length);
        if (/^[a-z0-9_.]+$/.test(field)) parsed.orderBy.push({ field, desc: false });
        else parsed.ignored.push(part);
        continue;
      }
      if (part.startsWith('OR')) {
        const cond = parseCondition(part.slice(2));
        const previous = group[group.length - 1];
        if (cond && previous) previous.push(cond);
        else if (cond) group.push([cond]);
        else parsed.ignored.push(part);
        continue;
      }
      const cond = parseCondition(part);
      if (cond) group.push([cond]);
      else parsed.ignored.push(part);
    }
    if (group.length > 0) parsed.groups.push(group);
  }
  return parsed;
}

// ---------------------------------------------------------------------------------------------------------
// Evaluation

const pad = (n: number): string => String(n).padStart(2, '0');

/** `YYYY-MM-DD HH:MM:SS` in UTC, the instance's storage format. */
export function formatGlideDateTime(ms: number): string {
  const d = new Date(ms);
  return (
    `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ` +
    `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`
  );
}

function startOfDay(ms: number): number {
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
}

const DAY = 86_400_000;

/** `javascript:gs.daysAgo(3)` and friends → a date string; `undefined` for anything unsupported. */
export function resolveDynamicValue(value: string, now: number): string | undefined {
  if (!value.startsWith('javascript:')) return value;
  const expr = value.slice('javascript:'.length).trim().replace(/;$/, '');
  const m = /^gs\.(\w+)\(\s*(?:'([^']*)'|"([^"]*)"|(-?\d+))?\s*(?:,\s*(?:'([^']*)'|"([^"]*)"))?\s*\)$/.exec(
    expr,
  );
  if (!m) return undefined;
  const fn = m[1];
  const str = m[2] ?? m[3];
  const n = m[4] === undefined ? 0 : Number(m[4]);
  const second = m[5] ?? m[6];
  switch (fn) {
    case 'now':
    case 'nowDateTime':
    case 'nowNoTZ':
      return formatGlideDateTime(now);
    case 'daysAgo':
      return formatGlideDateTime(now - n * DAY);
    case 'daysAgoStart':
      return formatGlideDateTime(startOfDay(now - n * DAY));
    case 'daysAgoEnd':
      return formatGlideDateTime(startOfDay(now - n * DAY) + DAY - 1000);
    case 'hoursAgo':
      return formatGlideDateTime(now - n * 3_600_000);
    case 'minutesAgo':
      return formatGlideDateTime(now - n * 60_000);
    case 'beginningOfToday':
      return formatGlideDateTime(startOfDay(now));
    case 'endOfToday':
      return formatGlideDateTime(startOfDay(now) + DAY - 1000);
    case 'dateGenerate':
      return str !== undefined ? `${str} ${second ?? '00:00:00'}` : undefined;
    default:
      return undefined;
  }
}

const NUMERIC = /^-?\d+(\.\d+)?$/;

function normalise(v: TypedValue, raw: string): string {
  const s = raw.trim().toLowerCase();
  if (v.type === 'boolean') {
    if (s === '1' || s === 'true') return 'true';
    if (s === '0' || s === 'false') return 'false';
  }
  return s;
}

/** Three-way comparison of a record value with a query value, numeric when both are numbers. */
function compareValues(type: ValueType, a: string, b: string): number {
  if (type === 'number' && NUMERIC.test(a) && NUMERIC.test(b)) return Number(a) - Number(b);
  return a < b ? -1 : a > b ? 1 : 0;
}

/** `true`/`false` for a valid condition, `undefined` when it must be ignored. */
export function evaluateCondition(
  actual: TypedValue | undefined,
  cond: Condition,
  now: number,
): boolean | undefined {
  if (!actual) return undefined;
  const value = normalise(actual, actual.value);
  const dyn = (raw: string): string | undefined => {
    const r = resolveDynamicValue(raw, now);
    return r === undefined ? undefined : normalise(actual, r);
  };
  switch (cond.op) {
    case 'ISEMPTY':
      return value === '';
    case 'ISNOTEMPTY':
      return value !== '';
    case 'IN':
    case 'NOT IN': {
      const list = cond.value.split(',').map((x) => normalise(actual, x));
      const hit = list.includes(value);
      return cond.op === 'IN' ? hit : !hit;
    }
    case 'BETWEEN': {
      const [lowRaw, highRaw, ...rest] = cond.value.split('@');
      if (lowRaw === undefined || highRaw === undefined || rest.length > 0) return undefined;
      const low = dyn(lowRaw);
      const high = dyn(highRaw);
      if (low === undefined || high === undefined) return undefined;
      if (value === '') return false;
      return compareValues(actual.type, value, low) >= 0 && compareValues(actual.type, value, high) <= 0;
    }
    default:
      break;
  }
  const target = dyn(cond.value);
  if (target === undefined) return undefined;
  switch (cond.op) {
    case '=':
      return actual.type === 'number' && NUMERIC.test(value) && NUMERIC.test(target)
        ? Number(value) === Number(target)
        : value === target;
    case '!=':
      return actual.type === 'number' && NUMERIC.test(value) && NUMERIC.test(target)
        ? Number(value) !== Number(target)
        : value !== target;
    case '>':
      return value !== '' && compareValues(actual.type, value, target) > 0;
    case '>=':
      return value !== '' && compareValues(actual.type, value, target) >= 0;
    case '<':
      return value !== '' && compareValues(actual.type, value, target) < 0;
    case '<=':
      return value !== '' && compareValues(actual.type, value, target) <= 0;
    case 'LIKE':
      return value.includes(target);
    case 'NOTLIKE':
      return !value.includes(target);
    case 'STARTSWITH':
      return value.startsWith(target);
    case 'ENDSWITH':
      return value.endsWith(target);
    default:
      return undefined;
  }
}

/** Does the record satisfy the query (groups OR'd, clauses AND'd, conditions in a clause OR'd)? */
export function matches<R>(record: R, query: ParsedQuery, resolve: Resolver<R>, now = Date.now()): boolean {
  if (query.groups.length === 0) return true;
  return query.groups.some((group) =>
    group.every((clause) => {
      const results = clause
        .map((cond) => evaluateCondition(resolve(record, cond.field), cond, now))
        .filter((r): r is boolean => r !== undefined);
      return results.length === 0 || results.some(Boolean);
    }),
  );
}

/** Comparator for `ORDERBY`/`ORDERBYDESC` (unknown fields ignored; empty values sort first ascending). */
export function comparator<R>(query: ParsedQuery, resolve: Resolver<R>): (a: R, b: R) => number {
  return (a, b) => {
    for (const order of query.orderBy) {
      const va = resolve(a, order.field);
      const vb = resolve(b, order.field);
      if (!va || !vb) continue;
      const x = va.value.toLowerCase();
      const y = vb.value.toLowerCase();
      let c: number;
      if (x === '' || y === '') c = x === y ? 0 : x === '' ? -1 : 1;
      else c = compareValues(va.type, x, y);
      if (c !== 0) return order.desc ? -c : c;
    }
    return 0;
  };
}

/** Filter then sort (stable: records keep their original order among equals). */
export function runQuery<R>(
  records: R[],
  query: string | ParsedQuery,
  resolve: Resolver<R>,
  now = Date.now(),
): R[] {
  const parsed = typeof query === 'string' ? parseEncodedQuery(query) : query;
  const hits = records.filter((r) => matches(r, parsed, resolve, now));
  if (parsed.orderBy.length > 0) hits.sort(comparator(parsed, resolve));
  return hits;
}
