/**
 * `text` with the line ends of `earlier`, the file as it was read: CRLF when it had them, else as
 * given. A browser's text box hands back every line end as LF, so saving its text as it stands
 * would rewrite every line of a CRLF file (a whole-file diff for a one-cell edit).
 */
export function withLineEndsOf(earlier: string, text: string): string {
  return earlier.includes('\r\n') ? text.replace(/\r?\n/g, '\r\n') : text;
}
