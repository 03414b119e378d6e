const BYTE_ORDER_MARK = '\uFEFF';

/**
 * `text` beginning with a UTF-8 byte-order mark when `earlier` (a file as it was read) began with
 * one, else as given. The policy is printed without one, so saving it back would silently drop
 * the mark of a file that had it (some Windows tools write and expect it).
 */
export function withByteOrderMarkOf(earlier: string | undefined, text: string): string {
  return earlier?.startsWith(BYTE_ORDER_MARK) && !text.startsWith(BYTE_ORDER_MARK) ? BYTE_ORDER_MARK + text : text;
}
