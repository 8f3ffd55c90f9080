// Control characters at the boundaries (SECURITY.md S22). PostgreSQL refuses U+0000 in text and jsonb ("invalid
// byte sequence for encoding UTF8: 0x00") and lone UTF-16 surrogates in jsonb, so such text must never get past the
// edge: text we read from other systems (ServiceNow) is cleaned, and requests that carry it are refused.

/** C0 controls and DEL, except tab, line feed and carriage return. */
// eslint-disable-next-line no-control-regex -- matching control characters is this module's purpose
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
// eslint-disable-next-line no-control-regex -- as above
const CONTROL_ALL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;
/** Tab, line feed, carriage return (kept in multi-line text, turned into spaces in single-line text). */
const LINE_CONTROLS = /[\t\n\r]/g;
/** A high surrogate not followed by a low one, or a low one not preceded by a high one. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const LONE_SURROGATE_ALL = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * Text from another system, made safe to store and show: NUL and the other C0 controls (and DEL) removed, lone
 * surrogates replaced by U+FFFD. Single-line text (names, subjects) also has tabs and line breaks turned into spaces;
 * `multiline` text (descriptions) keeps them.
 */
export function cleanText(value: string, opts: { multiline?: boolean } = {}): string {
  let s = value.replace(CONTROL_ALL, '').replace(LONE_SURROGATE_ALL, '\ufffd');
  if (!opts.multiline) s = s.replace(LINE_CONTROLS, ' ');
  return s;
}

/** Why a string may not be accepted as input, or null: a control character other than tab/CR/LF, a lone surrogate. */
export function unacceptableText(value: string): string | null {
  const control = CONTROL.exec(value);
  if (control)
    return `a control character (U+${control[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')})`;
  if (LONE_SURROGATE.test(value)) return 'an unpaired UTF-16 surrogate';
  return null;
}

/**
 * The first string (object keys included) in a parsed input value that is not acceptable, as `path: reason`, or
 * null. Walks at most `maxDepth` levels (deeper input is left to the schema).
 */
export function findUnacceptableText(value: unknown, path = '', maxDepth = 20): string | null {
  if (typeof value === 'string') {
    const why = unacceptableText(value);
    return why ? `${path || 'value'} contains ${why}` : null;
  }
  if (maxDepth <= 0 || value === null || typeof value !== 'object') return null;
  const entries: Array<[string, unknown]> = Array.isArray(value)
    ? value.map((v, i): [string, unknown] => [String(i), v])
    : Object.entries(value as Record<string, unknown>);
  for (const [key, v] of entries) {
    const at = path ? `${path}/${key}` : key;
    const keyWhy = Array.isArray(value) ? null : unacceptableText(key);
    if (keyWhy) return `a field name in ${path || 'the input'} contains ${keyWhy}`;
    const found = findUnacceptableText(v, at, maxDepth - 1);
    if (found) return found;
  }
  return null;
}
