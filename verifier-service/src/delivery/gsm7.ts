// GSM 03.38 default alphabet (3GPP TS 23.038): what fits a 7-bit SMS. A body using any other character is
// sent as UCS-2 and one segment shrinks from 160 to 70 characters, so verification SMS stay inside GSM-7.

const BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
/** Reached through the escape code: each takes two septets. */
const EXTENSION = '\f^{}\\[~]|€';

const BASIC_SET = new Set(BASIC);
const EXTENSION_SET = new Set(EXTENSION);

export const GSM7_SINGLE_SEGMENT = 160;

export function isGsm7(text: string): boolean {
  for (const ch of text) if (!BASIC_SET.has(ch) && !EXTENSION_SET.has(ch)) return false;
  return true;
}

/** Length in septets (extension characters count 2). Throws on a character outside GSM-7. */
export function gsm7Length(text: string): number {
  let n = 0;
  for (const ch of text) {
    if (BASIC_SET.has(ch)) n += 1;
    else if (EXTENSION_SET.has(ch)) n += 2;
    else
      throw new RangeError(
        `not a GSM-7 character: U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`,
      );
  }
  return n;
}

const LOOKALIKES: Record<string, string> = {
  '\u2018': "'",
  '\u2019': "'",
  '\u201A': "'",
  '\u2032': "'",
  '\u201C': '"',
  '\u201D': '"',
  '\u201E': '"',
  '\u2033': '"',
  '\u2010': '-',
  '\u2011': '-',
  '\u2012': '-',
  '\u2013': '-',
  '\u2014': '-',
  '\u2212': '-',
  '\u2026': '...',
  '\u00A0': ' ',
  '\u2007': ' ',
  '\u202F': ' ',
  '\t': ' ',
  '\u00AB': '"',
  '\u00BB': '"',
  '\u2022': '-',
  '`': "'",
  ç: 'Ç', // the GSM table's cedilla is the capital letter; phones show it either way
};

/**
 * Makes free text (a helpdesk name, a ticket number) safe for a GSM-7 SMS: common typographic characters
 * become their ASCII look-alikes, accents GSM-7 lacks are dropped (ô → o), line breaks become spaces, and
 * whatever is left outside GSM-7 is removed. The result has no control characters and single spaces.
 */
export function toGsm7(text: string): string {
  let out = '';
  for (const ch of text) {
    if (ch === '\n' || ch === '\r' || ch === '\f') {
      out += ' ';
    } else if (BASIC_SET.has(ch) || EXTENSION_SET.has(ch)) {
      out += ch;
    } else if (LOOKALIKES[ch] !== undefined) {
      out += LOOKALIKES[ch];
    } else {
      const stripped = ch.normalize('NFD').replace(/\p{M}/gu, '');
      if (stripped !== ch && isGsm7(stripped)) out += stripped;
    }
  }
  return out.replace(/\s+/g, ' ').trim();
}
