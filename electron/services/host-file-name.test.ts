import { describe, expect, it } from 'vitest';
import { hostFileName } from './host-file-name';

describe('hostFileName', () => {
  it('keeps a name that fits, and cuts a long one short with a hash of the whole, leaving room for a temporary name', () => {
    expect(hostFileName('host-a', '.flows')).toBe('host-a.flows');
    const [long, other] = [hostFileName('a'.repeat(253), '.flows'), hostFileName(`${'a'.repeat(252)}b`, '.flows')];
    expect(long).not.toBe(other);
    for (const name of [long, other]) {
      expect(name).toMatch(/^a+\+[0-9a-f]{16}\.flows$/);
      expect(`.${name}.01234567.tmp`.length).toBeLessThanOrEqual(255);
    }
    expect(hostFileName('a'.repeat(253), '.flows')).toBe(long);
    // A host named like a cut name (a host name has '-' where the cut name has '+') keeps a file of its own.
    const named = long.slice(0, -'.flows'.length);
    expect(hostFileName(named.replace('+', '-'), '.flows')).not.toBe(long);
  });
});
