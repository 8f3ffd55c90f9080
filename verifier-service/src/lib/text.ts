// Text that goes into a single line somewhere another program parses: a work note in the ticket's journal, an
// email header (subject, from name), an SMS. One helper, so every such value is cleaned the same way.

/**
 * One line of plain text: control characters (C0, DEL, C1: CR, LF, NEL, tabs, escapes…), Unicode line and paragraph
 * separators and bidirectional overrides become a space, runs of white space one space, and the ends are trimmed.
 * A value can then neither start a new line ("Bcc: …", a forged journal entry) nor reorder how the line reads.
 */
export function oneLine(value: string): string {
  return value
    .replace(/[\p{Cc}\p{Zl}\p{Zp}\u202A-\u202E\u2066-\u2069]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}
