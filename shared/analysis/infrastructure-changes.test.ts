import { describe, expect, it } from 'vitest';
import { infrastructureChangeLine } from './infrastructure-changes';

describe('a line for a change of infrastructure traffic', () => {
  it('names ten hosts and counts the rest, so a change on every host of a large site stays one line', () => {
    const hosts = Array.from({ length: 12 }, (_, i) => `h${String(i + 1).padStart(2, '0')}`);
    expect(infrastructureChangeLine({ traffic: 'dhcp', change: 'now passes', hosts })).toBe(
      "DHCP (UDP 67 and 68) now passes on h01, h02, h03, h04, h05, h06, h07, h08, h09, h10 and 2 more hosts ahead of the policy's rules",
    );
    expect(infrastructureChangeLine({ traffic: 'dhcp', change: 'now passes', hosts: hosts.slice(0, 11) })).toContain(
      'h10 and 1 more host ahead',
    );
  });
});
