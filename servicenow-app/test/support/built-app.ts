// Runs `now-sdk build --frozenKeys` and `now-sdk pack` once (about 10-20 s, offline) and reads the update-set
// XML the build wrote, so the tests inspect what an instance would install.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const APP_DIR = join(__dirname, '..', '..');
const SDK = join(APP_DIR, '..', 'node_modules', '.bin', 'now-sdk');

export interface XmlRecord {
  table: string;
  file: string;
  fields: Record<string, string>;
  /** Child records carried in the same file (e.g. sys_variable_value of an ATF step). */
  xml: string;
}

function sdk(...args: string[]): string {
  return execFileSync(SDK, args, {
    cwd: APP_DIR,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NO_COLOR: '1' },
  });
}

const unescape = (s: string) =>
  s
    .replace(/^<!\[CDATA\[([\s\S]*)\]\]>$/, '$1')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');

function fieldsOf(body: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const m of body.matchAll(/<([a-z0-9_]+)(?: [^>]*)?(?:\/>|>([\s\S]*?)<\/\1>)/g)) {
    if (!(m[1]! in fields)) fields[m[1]!] = unescape(m[2] ?? '');
  }
  return fields;
}

function parse(file: string, xml: string): XmlRecord[] {
  const table = /<record_update[^>]*table="([^"]+)"/.exec(xml)?.[1];
  if (table) {
    const body = new RegExp(`<${table}[^>]*>([\\s\\S]*?)</${table}>`).exec(xml)?.[1] ?? '';
    return [{ table, file, fields: fieldsOf(body), xml }];
  }
  // Form layouts: one sys_ui_section file per section carrying its sys_ui_element rows (and a sys_ui_form_sections
  // file per sys_ui_form with its sys_ui_form_section rows).
  if (/<record_update>\s*<sys_ui_(section|form_sections) /.test(xml)) {
    return [
      ...xml.matchAll(
        /<(sys_ui_section|sys_ui_element|sys_ui_annotation|sys_ui_form|sys_ui_form_section) action="[A-Z_]+">([\s\S]*?)<\/\1>/g,
      ),
    ].map((m) => ({
      table: m[1]!,
      file,
      fields: fieldsOf(m[2]!),
      xml: m[0],
    }));
  }
  // Choice lists: one sys_choice_v2 file per field with a sys_choice element per choice.
  return [...xml.matchAll(/<sys_choice action="INSERT_OR_UPDATE">([\s\S]*?)<\/sys_choice>/g)].map((m) => ({
    table: 'sys_choice',
    file,
    fields: fieldsOf(m[1]!),
    xml: m[0],
  }));
}

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)],
  );
}

export interface BuiltApp {
  records: XmlRecord[];
  zip: string;
  buildOutput: string;
  of(table: string): XmlRecord[];
}

export function buildApp(): BuiltApp {
  const buildOutput = sdk('build', '--frozenKeys');
  sdk('pack');
  const zipDir = join(APP_DIR, 'target');
  const zip = existsSync(zipDir)
    ? (readdirSync(zipDir)
        .filter((f) => f.endsWith('.zip'))
        .map((f) => join(zipDir, f))[0] ?? '')
    : '';
  const records = walk(join(APP_DIR, 'dist', 'app'))
    .filter((f) => f.endsWith('.xml'))
    .flatMap((f) => parse(f, readFileSync(f, 'utf8')));
  return { records, zip, buildOutput, of: (table) => records.filter((r) => r.table === table) };
}
