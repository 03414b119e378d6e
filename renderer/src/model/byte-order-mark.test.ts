import { describe, expect, it } from 'vitest';
import { withByteOrderMarkOf } from './byte-order-mark';

describe('withByteOrderMarkOf', () => {
  it('gives the text the mark of a file read with one, once', () => {
    expect(withByteOrderMarkOf('\uFEFFkind: Policy\n', 'kind: Policy\n')).toBe('\uFEFFkind: Policy\n');
    expect(withByteOrderMarkOf('\uFEFFkind: Policy\n', '\uFEFFkind: Policy\n')).toBe('\uFEFFkind: Policy\n');
  });

  it('leaves the text as it is for a file without one, or no file', () => {
    expect(withByteOrderMarkOf('kind: Policy\n', 'kind: Policy\n')).toBe('kind: Policy\n');
    expect(withByteOrderMarkOf(undefined, 'kind: Policy\n')).toBe('kind: Policy\n');
  });
});
