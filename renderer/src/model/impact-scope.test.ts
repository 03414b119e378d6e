import { describe, expect, it } from 'vitest';
import { impactListNote } from './impact-scope';

describe('what the impact list says about the hosts it covers', () => {
  it('says plainly that nothing was compared when no host was read, not that nothing changes', () => {
    expect(impactListNote(0, { asked: 3, unread: 3 })).toBe('Nothing could be compared, because no host was read.');
    expect(impactListNote(0, { asked: 1, unread: 1 })).toBe('Nothing could be compared, because no host was read.');
  });

  it('names the hosts read when some went unread, above the list or in its place', () => {
    expect(impactListNote(2, { asked: 3, unread: 1 })).toBe('On the 2 hosts read:');
    expect(impactListNote(0, { asked: 3, unread: 2 })).toBe('On the one host read, no connection is newly permitted, blocked or redirected.');
  });

  it('says nothing more than the entries, or that nothing changes, when every host asked was read', () => {
    expect(impactListNote(4, { asked: 3, unread: 0 })).toBeNull();
    expect(impactListNote(0, { asked: 3, unread: 0 })).toBe('No connection is newly permitted, blocked or redirected.');
    // Against a saved version no host is read.
    expect(impactListNote(0)).toBe('No connection is newly permitted, blocked or redirected.');
    expect(impactListNote(1)).toBeNull();
  });
});
