import { describe, expect, it } from 'vitest';
import { fitsHostTargetRule } from './host-target-rules';

describe('the address rule of a host target', () => {
  it.each(['switch1.example.com', 'localhost', '10.0.0.1', '::1', '[::1]', 'fd00::4', '[2001:db8::1]', '::ffff:10.0.0.1'])('takes %s', (address) => {
    expect(fitsHostTargetRule('address', address)).toBe(true);
  });

  // A port must go in the Port field: SSH would take the whole text for a name to look up.
  it.each(['127.0.0.1:2222', 'switch1.example.com:22', '[::1]:22', '[10.0.0.1]', '10.0.0.1 -oProxyCommand=x', '', 'a'.repeat(254)])('refuses %s', (address) => {
    expect(fitsHostTargetRule('address', address)).toBe(false);
  });
});
