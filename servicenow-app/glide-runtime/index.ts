// A small Glide runtime for Node: just the scoped Glide APIs the app's server modules (src/server/*.ts) call,
// over a table store (the stand-in's TableStore implements `GlideStore`). `@servicenow/glide` ships types and an
// empty runtime module; `installGlide()` fills its exports, and the modules, compiled to CommonJS, read
// `glide.X` at call time. The modules then run unchanged in unit tests and in the stand-in.
//
// Every call into the app runs inside `runtime.run(user, fn)` (synchronous, like a transaction on an
// instance): `gs`, `GlideRecord` & co. use the innermost run's runtime and session user, so several
// runtimes (stand-ins) can live in one process.
//
// Covered: GlideRecord (addQuery/addEncodedQuery/orderBy/orderByDesc/setLimit/query/next/hasNext/get/
// getValue/setValue/getUniqueValue/getTableName/isValid/isValidRecord/initialize/insert/update/operation/
// setAbortAction/canRead/getRowCount/setWorkflow), gs (getProperty, getUserName/DisplayName/ID, hasRole,
// addErrorMessage/addInfoMessage, info/warn/error/debug, nowDateTime, generateGUID), GlideDateTime,
// GlideTableHierarchy, CertificateEncryption.generateMac, GlideSecureRandomUtil, the scripted REST request
// and response, sn_ws_err.ServiceError; business rules get `current`/`previous` over the record being written.
import { createHmac, randomBytes } from 'node:crypto';
import type { GlideRecord } from '@servicenow/glide';
import type { RESTAPIRequest, RESTAPIResponse } from '@servicenow/glide/sn_ws_int';

export type Row = Record<string, string>;

export interface SessionUser {
  sysId: string;
  userName: string;
  name: string;
  roles: string[];
}

export interface GlideWriteOptions {
  user?: SessionUser;
  /** false = `setWorkflow(false)`: no business rules. */
  runRules?: boolean;
  /**
   * GlideRecord writes set it: the data policy applies (resolving needs close_code and close_notes), while no ACL
   * is evaluated (GlideRecord, unlike GlideRecordSecure, skips ACLs; business rules still run).
   */
  dataPolicy?: boolean;
}

/** The database under the runtime. Every value is a string, as on the wire. */
export interface GlideStore {
  hasTable(table: string): boolean;
  get(table: string, sysId: string): Row | null;
  /** Rows of the table and the tables extending it matching the encoded query (with ORDERBY terms). */
  query(table: string, encodedQuery?: string): Row[];
  /** Throws when a rule or policy refuses the write. */
  insert(table: string, values: Record<string, unknown>, opts?: GlideWriteOptions): Row;
  update(table: string, sysId: string, values: Record<string, unknown>, opts?: GlideWriteOptions): Row;
  /** Clock in ms. */
  now(): number;
  readonly schema: { ancestry(table: string): string[] };
}

export interface GlideHost {
  store: GlideStore;
  /** Row-level read ACL (`GlideRecord.canRead`); default: readable. */
  canRead?(table: string, row: Row, user: SessionUser): boolean;
  /** `gs.info/warn/error/debug`; default: dropped. */
  log?(level: 'debug' | 'info' | 'warn' | 'error', message: string): void;
}

interface Frame {
  runtime: GlideRuntime;
  user: SessionUser;
  errors: string[];
  infos: string[];
}

const frames: Frame[] = [];

function frame(): Frame {
  const f = frames[frames.length - 1];
  if (!f) throw new Error('Glide API called outside GlideRuntime.run()');
  return f;
}

const str = (v: unknown): string =>
  v === null || v === undefined ? '' : typeof v === 'boolean' ? String(v) : String(v);

/** `yyyy-MM-dd HH:mm:ss` in UTC (the internal GlideDateTime format). */
export function glideDateTime(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}

const QUERY_OPERATORS = new Set([
  '=',
  '!=',
  '>',
  '>=',
  '<',
  '<=',
  'IN',
  'NOT IN',
  'STARTSWITH',
  'ENDSWITH',
  'CONTAINS',
  'DOES NOT CONTAIN',
  'ISEMPTY',
  'ISNOTEMPTY',
  'LIKE',
]);

class GlideRecordImpl {
  private readonly conditions: string[] = [];
  private readonly orders: string[] = [];
  private limit = 0;
  private rows: Row[] = [];
  private index = -1;
  private record: Row | null = null;
  /** Values as loaded, to send only the changed columns on update. */
  private loaded: Row | null = null;
  private op: 'insert' | 'update' | 'delete' | '' = '';
  private abort = false;
  private workflow = true;

  constructor(private readonly table: string) {}

  /** `current` of a business rule: shares the record being written, so setValue changes what is stored. */
  static current(table: string, record: Row, op: 'insert' | 'update' | 'delete'): GlideRecordImpl {
    const gr = new GlideRecordImpl(table);
    gr.record = record;
    gr.loaded = { ...record };
    gr.op = op;
    return gr;
  }

  get aborted(): boolean {
    return this.abort;
  }

  private get store(): GlideStore {
    return frame().runtime.host.store;
  }

  isValid(): boolean {
    return this.store.hasTable(this.table);
  }

  getTableName(): string {
    return this.table;
  }

  addQuery(field: string, opOrValue?: unknown, value?: unknown): this {
    if (
      arguments.length >= 3 &&
      typeof opOrValue === 'string' &&
      QUERY_OPERATORS.has(opOrValue.toUpperCase())
    ) {
      const op = opOrValue.toUpperCase();
      this.conditions.push(`${field}${op === 'NOT IN' ? 'NOT IN' : op}${str(value)}`);
    } else if (arguments.length === 1) {
      this.conditions.push(field);
    } else {
      this.conditions.push(`${field}=${str(opOrValue)}`);
    }
    return this;
  }

  addEncodedQuery(query: string): void {
    if (query) this.conditions.push(query);
  }

  addActiveQuery(): void {
    this.conditions.push('active=true');
  }

  orderBy(field: string): void {
    this.orders.push(`ORDERBY${field}`);
  }

  orderByDesc(field: string): void {
    this.orders.push(`ORDERBYDESC${field}`);
  }

  setLimit(n: number): void {
    this.limit = n;
  }

  setWorkflow(on: boolean): void {
    this.workflow = on;
  }

  query(): void {
    const all = this.store.query(this.table, [...this.conditions, ...this.orders].join('^'));
    this.rows = this.limit > 0 ? all.slice(0, this.limit) : all;
    this.index = -1;
    this.record = null;
  }

  hasNext(): boolean {
    return this.index + 1 < this.rows.length;
  }

  next(): boolean {
    if (!this.hasNext()) return false;
    this.index++;
    this.load(this.rows[this.index] as Row);
    return true;
  }

  getRowCount(): number {
    return this.rows.length;
  }

  private load(row: Row | null): boolean {
    this.record = row ? { ...row } : null;
    this.loaded = row ? { ...row } : null;
    this.op = '';
    return !!row;
  }

  get(idOrField: string, value?: unknown): boolean {
    if (arguments.length >= 2) {
      const hit = this.store.query(this.table, `${idOrField}=${str(value)}`)[0] ?? null;
      return this.load(hit);
    }
    return this.load(idOrField ? this.store.get(this.table, idOrField) : null);
  }

  isValidRecord(): boolean {
    return this.record !== null;
  }

  isNewRecord(): boolean {
    return this.op === 'insert' || (this.record !== null && !this.record.sys_id);
  }

  canRead(): boolean {
    const f = frame();
    if (!this.record) return false;
    return f.runtime.host.canRead ? f.runtime.host.canRead(this.table, this.record, f.user) : true;
  }

  /** Empty values read as null, as on an instance. */
  getValue(field: string): string | null {
    const v = this.record?.[field];
    return v === undefined || v === '' ? null : v;
  }

  getDisplayValue(field?: string): string {
    return field ? (this.record?.[field] ?? '') : (this.record?.number ?? this.record?.sys_id ?? '');
  }

  setValue(field: string, value: unknown): void {
    if (!this.record) this.record = {};
    this.record[field] = str(value);
  }

  getUniqueValue(): string {
    return this.record?.sys_id ?? '';
  }

  operation(): string {
    return this.op;
  }

  initialize(): void {
    this.record = {};
    this.loaded = null;
    this.op = '';
  }

  newRecord(): void {
    this.initialize();
  }

  setAbortAction(abort: boolean): void {
    this.abort = abort;
  }

  isActionAborted(): boolean {
    return this.abort;
  }

  private get writeOptions(): GlideWriteOptions {
    return { user: frame().user, runRules: this.workflow, dataPolicy: true };
  }

  /** The new sys_id, or null when a business rule or policy refused it. */
  insert(): string | null {
    if (!this.record) this.record = {};
    try {
      const stored = this.store.insert(this.table, this.record, this.writeOptions);
      this.load(stored);
      return stored.sys_id ?? null;
    } catch (err) {
      this.refused('insert', err);
      return null;
    }
  }

  /** The sys_id, or null when a business rule or policy refused it. */
  update(): string | null {
    if (!this.record) return null;
    if (!this.record.sys_id || !this.loaded) return this.insert();
    const changes: Row = {};
    for (const [k, v] of Object.entries(this.record)) if (this.loaded[k] !== v) changes[k] = v;
    try {
      const stored = this.store.update(this.table, this.record.sys_id, changes, this.writeOptions);
      this.load(stored);
      return stored.sys_id ?? null;
    } catch (err) {
      this.refused('update', err);
      return null;
    }
  }

  private refused(what: string, err: unknown): void {
    const e = err as { status?: number; message?: string; detail?: string | null };
    // Only refusals (a rule's abort, a policy) become a null result; anything else is a bug.
    if (typeof e?.status !== 'number' || e.status >= 500) throw err;
    const detail = e.detail ? `: ${e.detail}` : '';
    frame().runtime.host.log?.(
      'warn',
      `GlideRecord.${what}() on ${this.table} refused: ${e.message ?? ''}${detail}`,
    );
  }
}

class GlideDateTimeImpl {
  private ms: number;
  constructor(value?: string) {
    this.ms = value ? Date.parse(`${value.replace(' ', 'T')}Z`) : frame().runtime.host.store.now();
  }
  getNumericValue(): number {
    return this.ms;
  }
  getValue(): string {
    return glideDateTime(this.ms);
  }
  toString(): string {
    return this.getValue();
  }
  addSeconds(s: number): void {
    this.ms += s * 1000;
  }
}

class GlideTableHierarchyImpl {
  constructor(private readonly table: string) {}
  getTables(): string[] {
    return frame().runtime.host.store.schema.ancestry(this.table);
  }
}

function hasRole(user: SessionUser, role: string): boolean {
  // As on an instance: admin has every role.
  return user.roles.includes(role) || user.roles.includes('admin');
}

const gs = {
  getProperty(name: string, fallback?: unknown): string | undefined {
    const row = frame().runtime.host.store.query('sys_properties', `name=${name}`)[0];
    return row ? (row.value ?? '') : fallback === undefined ? undefined : str(fallback);
  },
  getUserName: () => frame().user.userName,
  getUserDisplayName: () => frame().user.name,
  getUserID: () => frame().user.sysId,
  hasRole: (role: string) => role.split(',').some((r) => hasRole(frame().user, r.trim())),
  addErrorMessage: (message: unknown) => void frame().errors.push(str(message)),
  addInfoMessage: (message: unknown) => void frame().infos.push(str(message)),
  info: (message: unknown) => frame().runtime.host.log?.('info', str(message)),
  warn: (message: unknown) => frame().runtime.host.log?.('warn', str(message)),
  error: (message: unknown) => frame().runtime.host.log?.('error', str(message)),
  debug: (message: unknown) => frame().runtime.host.log?.('debug', str(message)),
  nowDateTime: () => glideDateTime(frame().runtime.host.store.now()),
  generateGUID: () => randomBytes(16).toString('hex'),
};

const CertificateEncryption = {
  /** HMAC of the UTF-8 data with the base64 key, base64 (as the platform returns it). */
  generateMac(key: string, algorithm: string, data: string): string {
    const algorithms: Record<string, string> = {
      HmacSHA256: 'sha256',
      HmacSHA1: 'sha1',
      HmacSHA512: 'sha512',
    };
    const alg = algorithms[algorithm];
    if (!alg) throw new Error(`unsupported MAC algorithm ${algorithm}`);
    return createHmac(alg, Buffer.from(key, 'base64')).update(data, 'utf8').digest('base64');
  },
};

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const GlideSecureRandomUtil = {
  getSecureRandomString(length: number): string {
    let out = '';
    while (out.length < length) {
      for (const b of randomBytes(length)) if (b < 248 && out.length < length) out += ALPHANUMERIC[b % 62]; // no modulo bias
    }
    return out;
  },
  getSecureRandomInt: () => randomBytes(4).readInt32BE(0),
};

class ServiceError {
  status = 500;
  message = 'Internal server error';
  detail = '';
  setStatus(code: number): this {
    this.status = code;
    return this;
  }
  setMessage(message: string): this {
    this.message = message;
    return this;
  }
  setDetail(detail: string): this {
    this.detail = detail;
    return this;
  }
}

/** Fills the exports of `@servicenow/glide` (and `sn_ws_err`) with this runtime. Idempotent. */
export function installGlide(): void {
  const glide = require('@servicenow/glide') as Record<string, unknown>;
  Object.assign(glide, {
    GlideRecord: GlideRecordImpl,
    GlideDateTime: GlideDateTimeImpl,
    GlideTableHierarchy: GlideTableHierarchyImpl,
    gs,
    CertificateEncryption,
    GlideCertificateEncryption: CertificateEncryption,
    GlideSecureRandomUtil,
  });
  Object.assign(require('@servicenow/glide/sn_ws_err') as Record<string, unknown>, { ServiceError });
}

export interface WriteEvent {
  /** Concrete table. */
  table: string;
  op: 'insert' | 'update' | 'delete';
  /** The record about to be stored; the rule may change it. */
  record: Row;
  previous: Row | null;
  user: SessionUser;
}

export type BusinessRuleScript = (current: GlideRecord, previous: GlideRecord | null) => void;

export interface RuleResult {
  aborted: boolean;
  /** `gs.addErrorMessage` texts. */
  errors: string[];
  infos: string[];
}

export interface RestCall {
  method: string;
  url: string;
  queryParams?: Record<string, string | string[] | undefined>;
  pathParams?: Record<string, string>;
  headers?: Record<string, string | string[] | undefined>;
  /** Parsed JSON body (`request.body.data`). */
  body?: unknown;
}

export interface RestResult {
  status: number;
  headers: Record<string, string>;
  /** The JSON the instance sends: `setBody(x)` → `{"result": x}`, `setError(e)` → the error envelope; undefined = none. */
  body: unknown;
}

export class GlideRuntime {
  constructor(readonly host: GlideHost) {
    installGlide();
  }

  /** Runs app code as `user` (a session on the instance). */
  run<T>(user: SessionUser, fn: () => T): T {
    return this.runFrame({ runtime: this, user, errors: [], infos: [] }, fn);
  }

  private runFrame<T>(f: Frame, fn: () => T): T {
    frames.push(f);
    try {
      return fn();
    } finally {
      frames.pop();
    }
  }

  /** Runs a before business rule on a write: `current` is the record being stored (changes stick). */
  businessRule(event: WriteEvent, script: BusinessRuleScript): RuleResult {
    const f: Frame = { runtime: this, user: event.user, errors: [], infos: [] };
    const current = GlideRecordImpl.current(event.table, event.record, event.op);
    const previous = event.previous
      ? GlideRecordImpl.current(event.table, { ...event.previous }, event.op)
      : null;
    this.runFrame(f, () =>
      script(current as unknown as GlideRecord, previous as unknown as GlideRecord | null),
    );
    return { aborted: current.aborted, errors: f.errors, infos: f.infos };
  }

  /** Runs a scripted REST resource script for `user`. */
  rest(
    user: SessionUser,
    call: RestCall,
    script: (request: RESTAPIRequest, response: RESTAPIResponse) => void,
  ): RestResult {
    const result: RestResult = { status: 200, headers: {}, body: undefined };
    const queryParams: Record<string, string[]> = {};
    for (const [k, v] of Object.entries(call.queryParams ?? {}))
      if (v !== undefined) queryParams[k] = Array.isArray(v) ? v : [v];
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(call.headers ?? {}))
      if (v !== undefined) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
    const request = {
      body: {
        data: call.body,
        dataString: call.body === undefined ? '' : JSON.stringify(call.body),
        hasNext: () => false,
      },
      queryParams,
      pathParams: call.pathParams ?? {},
      headers,
      queryString: call.url.includes('?') ? call.url.slice(call.url.indexOf('?') + 1) : '',
      url: call.url,
      uri: call.url.split('?')[0],
      getHeader: (name: string) => headers[name.toLowerCase()] ?? '',
    };
    const response = {
      setStatus: (code: number) => void (result.status = code),
      setHeader: (name: string, value: string) => void (result.headers[name] = value),
      setContentType: (type: string) => void (result.headers['Content-Type'] = type),
      setBody: (body: unknown) => void (result.body = { result: body }),
      setError: (error: ServiceError) => {
        result.status = error.status;
        result.body = { error: { message: error.message, detail: error.detail || null }, status: 'failure' };
      },
    };
    this.run(user, () =>
      script(request as unknown as RESTAPIRequest, response as unknown as RESTAPIResponse),
    );
    return result;
  }
}
