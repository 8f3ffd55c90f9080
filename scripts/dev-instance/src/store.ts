// The in-memory database of the stand-in and its one write path.
//
// Every write (Table API, pages, seeding, hooks themselves) goes through `write()`:
//   defaults → values → number → built-in task rules → beforeWrite hooks → data policy (API writes)
//   → journal entries split off → sys_* columns → persist → afterWrite hooks.
// `runRules: false` is the equivalent of `GlideRecord.setWorkflow(false)` (seeding uses it).
// Records are flat `Record<string, string>`: every value is a string, as on the wire.

import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { SnError, invalidTable, noRecord, operationFailed } from './errors';
import {
  formatGlideDateTime,
  parseEncodedQuery,
  runQuery,
  type Resolver,
  type TypedValue,
  type ValueType,
} from './query';
import { applyTaskRules, closeViolation, dataPolicyViolation } from './rules';
import { SYS_FIELD_NAMES, Schema, type FieldDef } from './schema';

export type Rec = Record<string, string>;

export interface User {
  sysId: string;
  userName: string;
  name: string;
  roles: string[];
}

/** Writes made by the platform itself (seeding, rules without a session). */
export const SYSTEM_USER: User = { sysId: '', userName: 'system', name: 'System', roles: ['admin'] };

export type WriteOp = 'insert' | 'update' | 'delete';

export interface WriteContext {
  /** Concrete table of the record (`incident`, even when the write came through `task`). */
  table: string;
  op: WriteOp;
  /** The record as it will be stored; before-hooks may mutate it. Journal fields hold the text being added. */
  record: Rec;
  previous: Rec | null;
  user: User;
}

export type BeforeWriteHook = (ctx: WriteContext) => void | { abort: { message: string; detail: string } };
export type AfterWriteHook = (ctx: WriteContext) => void;

export interface WriteOptions {
  /** Author of the change (sys_updated_by, journal entries, hooks). Default: the system user. */
  user?: User;
  /** Run built-in rules and hooks (default true). */
  runRules?: boolean;
  /**
   * Enforce the data policy and ACL-like platform checks (the close role) (default false; the Table API sets it).
   */
  enforcePolicies?: boolean;
  /**
   * Enforce the data policy only (default false): writes of server scripts through `GlideRecord`, which evaluates
   * no ACLs (so no close-role check) while data policies still hold (the Glide runtime sets it).
   */
  dataPolicy?: boolean;
  /**
   * How a value written to a password column is taken. `plain` (default; the Table API with
   * `sysparm_input_display_value=true`, a form): the clear text, stored as a one-way hash. `stored`: the value
   * is taken as the column's stored (already encrypted) form and kept as it is — what an instance does with a
   * Table API write without `sysparm_input_display_value=true`, so the clear text then does not sign in.
   */
  passwordInput?: 'plain' | 'stored';
}

export interface JournalEntry {
  sys_id: string;
  element: string;
  value: string;
  sys_created_by: string;
  sys_created_on: string;
}

const SYS_ID = /^[0-9a-f]{32}$/;

/** Tables whose field changes the store records in `sys_audit` (writes that run rules only, not seeding). */
export const AUDITED_TABLES: readonly string[] = ['sys_user', 'incident'];

function toStringValue(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (typeof v === 'object' && 'value' in (v as Record<string, unknown>))
    return toStringValue((v as { value: unknown }).value);
  return JSON.stringify(v);
}

function valueType(fd: FieldDef): ValueType {
  switch (fd.type) {
    case 'integer':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'glide_date_time':
      return 'datetime';
    default:
      return 'string';
  }
}

function hashPassword(password: string, salt: string): Buffer {
  return createHash('sha256').update(`${salt}:${password}`).digest();
}

/** The stored form of a password column: `sha256$<salt hex>$<hash hex>` (one-way). */
function encodePassword(password: string): string {
  const salt = randomBytes(8).toString('hex');
  return `sha256$${salt}$${hashPassword(password, salt).toString('hex')}`;
}

function passwordMatches(stored: string, password: string): boolean {
  const m = /^sha256\$([0-9a-f]{16})\$([0-9a-f]{64})$/.exec(stored);
  // Anything else (e.g. a clear text written without sysparm_input_display_value) matches no password.
  if (!m) return false;
  return timingSafeEqual(Buffer.from(m[2] as string, 'hex'), hashPassword(password, m[1] as string));
}

export class TableStore {
  readonly schema: Schema;
  /** The store's clock (ms); tests may replace it. */
  now: () => number;
  private readonly rows = new Map<string, Map<string, Rec>>();
  private readonly classOf = new Map<string, string>();
  private readonly counters = new Map<string, number>();
  /** user sys_id → the stored form of `user_password` (never returned by any read). */
  private readonly passwords = new Map<string, string>();
  private readonly journalByElement = new Map<string, string[]>();
  private choiceCache: Map<string, Map<string, { label: string; inactive: boolean }>> | null = null;
  private readonly beforeHooks: BeforeWriteHook[] = [];
  private readonly afterHooks: AfterWriteHook[] = [];

  constructor(opts: { schema?: Schema; now?: () => number } = {}) {
    this.schema = opts.schema ?? new Schema();
    this.now = opts.now ?? Date.now;
    for (const t of this.schema.tableNames()) this.rows.set(t, new Map());
  }

  // ---- hooks -------------------------------------------------------------------------------------------

  onBeforeWrite(fn: BeforeWriteHook): void {
    this.beforeHooks.push(fn);
  }

  onAfterWrite(fn: AfterWriteHook): void {
    this.afterHooks.push(fn);
  }

  // ---- reads -------------------------------------------------------------------------------------------

  hasTable(table: string): boolean {
    return this.schema.has(table);
  }

  /** Concrete table of a record, or undefined. */
  classOfRecord(sysId: string): string | undefined {
    return this.classOf.get(sysId);
  }

  /** A copy of the record when it belongs to `table` or a table extending it. */
  get(table: string, sysId: string): Rec | null {
    const raw = this.raw(table, sysId);
    return raw ? { ...raw } : null;
  }

  private raw(table: string, sysId: string): Rec | undefined {
    const cls = this.classOf.get(sysId);
    if (!cls || !this.schema.has(table) || !this.schema.isA(cls, table)) return undefined;
    return this.rows.get(cls)?.get(sysId);
  }

  /** Records of `table` (and the tables extending it) matching the encoded query, ordered per its ORDERBY. */
  query(table: string, encodedQuery = ''): Rec[] {
    if (!this.schema.has(table)) throw invalidTable(table);
    const all: Rec[] = [];
    for (const t of this.schema.family(table)) for (const r of this.rows.get(t)?.values() ?? []) all.push(r);
    return runQuery(all, parseEncodedQuery(encodedQuery), this.resolver(table), this.now()).map((r) => ({
      ...r,
    }));
  }

  /** First match or null. */
  findOne(table: string, encodedQuery: string): Rec | null {
    return this.query(table, encodedQuery)[0] ?? null;
  }

  /**
   * Follows a (possibly dotted) field path from a record of `table`: the column definition at the end, the
   * record holding it (null when a reference on the way is empty) and the raw value. Undefined for unknown paths.
   */
  walk(
    table: string,
    record: Rec | null,
    path: string,
  ): { field: FieldDef; table: string; record: Rec | null; value: string } | undefined {
    const parts = path.split('.');
    let curTable = table;
    let cur: Rec | null = record;
    for (let i = 0; i < parts.length - 1; i++) {
      const fd = this.schema.field(curTable, parts[i] as string);
      if (!fd || fd.type !== 'reference' || !fd.reference) return undefined;
      const id = cur?.[fd.name] ?? '';
      cur = id ? (this.raw(fd.reference, id) ?? null) : null;
      curTable = fd.reference;
    }
    const last = parts[parts.length - 1] as string;
    const fd = this.schema.field(curTable, last);
    if (!fd) return undefined;
    return {
      field: fd,
      table: cur ? (this.classOf.get(cur.sys_id ?? '') ?? curTable) : curTable,
      record: cur,
      value: cur?.[last] ?? '',
    };
  }

  resolver(table: string): Resolver<Rec> {
    return (record, path): TypedValue | undefined => {
      const hit = this.walk(table, record, path);
      return hit ? { value: hit.value, type: valueType(hit.field) } : undefined;
    };
  }

  /** The display value of a record (its table's display column). */
  displayOf(table: string, sysId: string): string {
    const rec = this.raw(table, sysId);
    if (!rec) return '';
    const cls = this.classOf.get(sysId) ?? table;
    return rec[this.schema.table(cls).displayField] ?? '';
  }

  /** Label of a choice value from `sys_choice`, looked up on the table then its parents; the value itself when none. */
  choiceLabel(table: string, field: string, value: string): string {
    if (value === '') return '';
    const choices = this.choices();
    for (const t of this.schema.ancestry(table)) {
      const hit = choices.get(`${t}.${field}`)?.get(value);
      if (hit) return hit.label;
    }
    return value;
  }

  /** Choice value for a label (or value) typed by a person; undefined when unknown. */
  choiceValue(table: string, field: string, labelOrValue: string): string | undefined {
    const choices = this.choices();
    const wanted = labelOrValue.toLowerCase();
    for (const t of this.schema.ancestry(table)) {
      const set = choices.get(`${t}.${field}`);
      if (!set) continue;
      if (set.has(labelOrValue)) return labelOrValue;
      for (const [value, c] of set) if (c.label.toLowerCase() === wanted) return value;
    }
    return undefined;
  }

  private choices(): Map<string, Map<string, { label: string; inactive: boolean }>> {
    if (!this.choiceCache) {
      const cache = new Map<string, Map<string, { label: string; inactive: boolean }>>();
      const rows = [...(this.rows.get('sys_choice')?.values() ?? [])].sort(
        (a, b) => Number(a.sequence || 0) - Number(b.sequence || 0),
      );
      for (const c of rows) {
        const key = `${c.name}.${c.element}`;
        if (!cache.has(key)) cache.set(key, new Map());
        cache.get(key)?.set(c.value ?? '', { label: c.label ?? '', inactive: c.inactive === 'true' });
      }
      this.choiceCache = cache;
    }
    return this.choiceCache;
  }

  /** Journal entries of a record's field, newest first. */
  journal(sysId: string, element?: string): JournalEntry[] {
    const ids = this.journalByElement.get(sysId) ?? [];
    const out: JournalEntry[] = [];
    for (const id of ids) {
      const e = this.rows.get('sys_journal_field')?.get(id);
      if (!e || (element && e.element !== element)) continue;
      out.push({
        sys_id: e.sys_id ?? '',
        element: e.element ?? '',
        value: e.value ?? '',
        sys_created_by: e.sys_created_by ?? '',
        sys_created_on: e.sys_created_on ?? '',
      });
    }
    return out.reverse();
  }

  // ---- users -------------------------------------------------------------------------------------------

  userByName(userName: string): Rec | null {
    for (const u of this.rows.get('sys_user')?.values() ?? []) if (u.user_name === userName) return { ...u };
    return null;
  }

  rolesOf(userSysId: string): string[] {
    const roles: string[] = [];
    for (const link of this.rows.get('sys_user_has_role')?.values() ?? []) {
      if (link.user !== userSysId || (link.state && link.state !== 'active')) continue;
      const role = this.rows.get('sys_user_role')?.get(link.role ?? '');
      if (role?.name) roles.push(role.name);
    }
    return [...new Set(roles)];
  }

  toUser(rec: Rec): User {
    const sysId = rec.sys_id ?? '';
    return { sysId, userName: rec.user_name ?? '', name: rec.name ?? '', roles: this.rolesOf(sysId) };
  }

  /** Sets a user's password from its clear text (stored as a one-way hash). */
  setPassword(userSysId: string, password: string): void {
    this.passwords.set(userSysId, encodePassword(password));
  }

  /** Keeps `value` as the stored (encrypted) form of the password, as given: no clear text signs in with it. */
  setStoredPassword(userSysId: string, value: string): void {
    this.passwords.set(userSysId, value);
  }

  /** The user when the credentials are right and the account may sign in (active, not locked out). */
  authenticate(userName: string, password: string): User | null {
    const rec = this.userByName(userName);
    if (!rec?.sys_id) return null;
    const stored = this.passwords.get(rec.sys_id);
    if (!stored) return null;
    const ok = passwordMatches(stored, password);
    if (!ok || rec.active !== 'true' || rec.locked_out === 'true') return null;
    return this.toUser(rec);
  }

  // ---- writes ------------------------------------------------------------------------------------------

  insert(table: string, values: Record<string, unknown>, opts: WriteOptions = {}): Rec {
    return this.write('insert', table, null, values, opts) as Rec;
  }

  update(table: string, sysId: string, values: Record<string, unknown>, opts: WriteOptions = {}): Rec {
    return this.write('update', table, sysId, values, opts) as Rec;
  }

  delete(table: string, sysId: string, opts: WriteOptions = {}): void {
    this.write('delete', table, sysId, {}, opts);
  }

  private nextNumber(table: string): string {
    const prefixTable = this.schema.ancestry(table).find((t) => this.schema.table(t).numberPrefix);
    if (!prefixTable) return '';
    const prefix = this.schema.table(prefixTable).numberPrefix as string;
    const n = (this.counters.get(prefix) ?? 10000) + 1;
    this.counters.set(prefix, n);
    return `${prefix}${String(n).padStart(7, '0')}`;
  }

  private newSysId(): string {
    let id: string;
    do id = randomBytes(16).toString('hex');
    while (this.classOf.has(id));
    return id;
  }

  private write(
    op: WriteOp,
    requested: string,
    sysId: string | null,
    values: Record<string, unknown>,
    opts: WriteOptions,
  ): Rec | null {
    if (!this.schema.has(requested)) throw invalidTable(requested);
    const user = opts.user ?? SYSTEM_USER;
    const runRules = opts.runRules ?? true;
    const now = this.now();
    const stamp = formatGlideDateTime(now);

    let table = requested;
    let previous: Rec | null = null;
    if (op !== 'insert') {
      const existing = this.raw(requested, sysId ?? '');
      if (!existing) throw noRecord();
      table = this.classOf.get(existing.sys_id ?? '') ?? requested;
      previous = { ...existing };
    }
    const fields = this.schema.fields(table);

    if (op === 'delete') {
      const ctx: WriteContext = { table, op, record: { ...(previous as Rec) }, previous, user };
      if (runRules) this.runBefore(ctx);
      this.rows.get(table)?.delete(sysId as string);
      this.classOf.delete(sysId as string);
      if (table === 'sys_choice') this.choiceCache = null;
      if (runRules) this.runAfter(ctx);
      return null;
    }

    const record: Rec = {};
    if (previous) Object.assign(record, previous);
    else for (const fd of fields.values()) record[fd.name] = fd.default ?? '';

    for (const [key, raw] of Object.entries(values)) {
      if (!fields.has(key) || (SYS_FIELD_NAMES.has(key) && !(key === 'sys_id' && op === 'insert'))) continue;
      if (key === 'sys_class_name' || (key === 'number' && previous)) continue;
      record[key] = toStringValue(raw);
    }

    if (op === 'insert') {
      const wanted = record.sys_id ?? '';
      if (wanted && (!SYS_ID.test(wanted) || this.classOf.has(wanted))) {
        throw new SnError(
          400,
          'Invalid sys_id',
          `sys_id ${wanted} is not a free 32-character lowercase hex id`,
        );
      }
      record.sys_id = wanted || this.newSysId();
      if (fields.has('sys_class_name')) record.sys_class_name = table;
      if (fields.has('number') && !record.number) record.number = this.nextNumber(table);
    }

    const ctx: WriteContext = { table, op, record, previous, user };
    if (runRules) {
      applyTaskRules(this.schema, table, record, previous, user, now);
      this.runBefore(ctx);
    }
    if (opts.enforcePolicies || opts.dataPolicy) {
      const policy = dataPolicyViolation(this.schema, table, ctx.record);
      if (policy) throw operationFailed(policy);
    }
    if (opts.enforcePolicies) {
      const close = closeViolation(this.schema, table, ctx.record, previous, user);
      if (close) throw operationFailed(close);
    }

    // Journal text becomes sys_journal_field rows; the column itself always stores "".
    const journalText: Array<[string, string]> = [];
    let newPassword: { field: string; value: string } | null = null;
    for (const fd of fields.values()) {
      const v = ctx.record[fd.name] ?? '';
      if (fd.type === 'journal') {
        if (v.trim()) journalText.push([fd.name, v]);
        ctx.record[fd.name] = '';
      } else if (fd.type === 'password') {
        if (v) newPassword = { field: fd.name, value: v };
        ctx.record[fd.name] = '';
      }
    }

    const changed =
      !previous ||
      journalText.length > 0 ||
      newPassword !== null ||
      [...fields.keys()].some((k) => !SYS_FIELD_NAMES.has(k) && (previous as Rec)[k] !== ctx.record[k]);

    if (changed) {
      if (!previous) {
        ctx.record.sys_created_on = stamp;
        ctx.record.sys_created_by = user.userName;
        ctx.record.sys_mod_count = '0';
        for (const k of ['sys_created_on', 'sys_created_by'] as const) {
          // seeding may backdate records
          const given = values[k];
          if (!runRules && typeof given === 'string' && given) ctx.record[k] = given;
        }
      } else {
        ctx.record.sys_mod_count = String(Number(previous.sys_mod_count || 0) + 1);
      }
      ctx.record.sys_updated_on =
        !runRules && typeof values.sys_updated_on === 'string' ? values.sys_updated_on : stamp;
      ctx.record.sys_updated_by = user.userName;

      const id = ctx.record.sys_id as string;
      this.rows.get(table)?.set(id, ctx.record);
      this.classOf.set(id, table);
      if (table === 'sys_choice') this.choiceCache = null;
      if (table === 'sys_journal_field' && ctx.record.element_id) {
        const list = this.journalByElement.get(ctx.record.element_id) ?? [];
        if (!list.includes(id)) list.push(id);
        this.journalByElement.set(ctx.record.element_id, list);
      }
      for (const [element, text] of journalText) {
        this.insert(
          'sys_journal_field',
          { element_id: id, element, name: table, value: text },
          { user, runRules: false },
        );
      }
      if (newPassword !== null && this.schema.isA(table, 'sys_user')) {
        if (opts.passwordInput === 'stored') this.setStoredPassword(id, newPassword.value);
        else this.setPassword(id, newPassword.value);
      }
      if (runRules && AUDITED_TABLES.some((t) => this.schema.isA(table, t))) {
        this.audit(table, previous, ctx.record, user, stamp, newPassword?.field ?? null);
      }
    }

    const stored = { ...ctx.record };
    if (changed && runRules) {
      const after = { ...stored };
      for (const [element, text] of journalText) after[element] = text;
      this.runAfter({ table, op, record: after, previous, user });
    }
    return stored;
  }

  /**
   * One `sys_audit` row per column whose value changed (inserts: per column set to a non-empty value), as an
   * instance auditing the table writes them. Journal columns are not audited this way (their entries live in
   * sys_journal_field). A password write is recorded by the column's name only, with empty old and new values:
   * that it changed, when and by whom — never the value, in clear or hashed.
   */
  private audit(
    table: string,
    previous: Rec | null,
    record: Rec,
    user: User,
    stamp: string,
    passwordField: string | null,
  ): void {
    for (const fd of this.schema.fields(table).values()) {
      if (SYS_FIELD_NAMES.has(fd.name) || fd.type === 'journal') continue;
      if (fd.name === 'sys_class_name') continue;
      if (fd.type === 'password' && fd.name !== passwordField) continue;
      const oldValue = fd.type === 'password' ? '' : previous ? (previous[fd.name] ?? '') : '';
      const newValue = fd.type === 'password' ? '' : (record[fd.name] ?? '');
      if (oldValue === newValue && fd.type !== 'password') continue;
      this.insert(
        'sys_audit',
        {
          tablename: table,
          documentkey: record.sys_id,
          fieldname: fd.name,
          oldvalue: oldValue,
          newvalue: newValue,
          user: user.userName,
          reason: '',
          record_checkpoint: record.sys_mod_count ?? '0',
          sys_created_on: stamp,
        },
        { user, runRules: false },
      );
    }
  }

  private runBefore(ctx: WriteContext): void {
    for (const hook of this.beforeHooks) {
      const result = hook(ctx);
      if (result && 'abort' in result) {
        throw new SnError(403, result.abort.message || 'Operation Failed', result.abort.detail ?? null);
      }
    }
  }

  private runAfter(ctx: WriteContext): void {
    for (const hook of this.afterHooks) hook(ctx);
  }
}
