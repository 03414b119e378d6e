import { describe, expect, it } from 'vitest';
import { withLineEndsOf } from './line-ends';

describe('withLineEndsOf', () => {
  it('gives an edit of a CRLF file CRLF line ends again, whether the text box handed back LF or kept some CR', () => {
    const read = '\uFEFFname,host\r\nweb-1,host-a\r\n';
    expect(withLineEndsOf(read, '\uFEFFname,host\nweb-1,host-a\nweb-2,host-b\n')).toBe('\uFEFFname,host\r\nweb-1,host-a\r\nweb-2,host-b\r\n');
    expect(withLineEndsOf(read, 'name,host\r\nweb-2,host-b\n')).toBe('name,host\r\nweb-2,host-b\r\n');
  });

  it('leaves an edit of an LF file, or of an empty one, as it is', () => {
    expect(withLineEndsOf('name,host\nweb-1,host-a\n', 'name,host\nweb-2,host-b\n')).toBe('name,host\nweb-2,host-b\n');
    expect(withLineEndsOf('', 'name,host\n')).toBe('name,host\n');
  });
});
