import { describe, expect, it } from 'vitest';
import { isIPv4 } from './address';

describe('isIPv4', () => {
  it('takes four parts of one to three digits, each at most 255, without leading zeros', () => {
    for (const text of ['0.0.0.0', '10.0.0.1', '255.255.255.255', '192.168.100.9']) expect(isIPv4(text), text).toBe(true);
  });

  it('refuses everything else', () => {
    const refused = ['', '.', '1.2.3', '1.2.3.4.', '.1.2.3.4', '1..2.3', '256.1.1.1', '1.2.3.1000', '01.1.1.1', '1.2.3.00', '1.2.3.4/32', ' 1.2.3.4', '1.2.3.4\n', 'a.b.c.d', '::1', '1.2.3.-4', '١.2.3.4'];
    for (const text of refused) expect(isIPv4(text), JSON.stringify(text)).toBe(false);
  });
});
