import { describe, expect, it } from 'vitest';
import { fitsHostTargetRule, sshDestination } from './host-target-rules';

describe('the address rule of a host target', () => {
  it.each(['switch1.example.com', 'localhost', '10.0.0.1', '::1', '[::1]', 'fd00::4', '[2001:db8::1]', '::ffff:10.0.0.1'])('takes %s', (address) => {
    expect(fitsHostTargetRule('address', address)).toBe(true);
  });

  // A new user's defect: a link-local address was refused with the zone that says which interface it is on.
  it.each(['[fe80::1%eth0]', 'fe80::1%eth0', 'fe80::1%2', '[fe80::a:b%br-lab.10]', 'fe80::1%enp0s31f6_x.1'])('takes IPv6 with its zone, %s', (address) => {
    expect(fitsHostTargetRule('address', address)).toBe(true);
  });

  // A zone is an interface's name or index, after IPv6 only; the port still goes in the Port field.
  it.each(['[fe80::1%eth0]:22', 'fe80::1%', '[fe80::1]%eth0', '10.0.0.1%eth0', 'switch1%eth0', 'fe80::1%eth0 -oProxyCommand=x', 'fe80::1%eth/0', 'fe80::1%a%b', 'fe80::1%interface-name-16'])(
    'refuses a zone that is no interface, or one after no IPv6 address: %s',
    (address) => {
      expect(fitsHostTargetRule('address', address)).toBe(false);
    },
  );

  // A port must go in the Port field: SSH would take the whole text for a name to look up.
  it.each(['127.0.0.1:2222', 'switch1.example.com:22', '[::1]:22', '[10.0.0.1]', '10.0.0.1 -oProxyCommand=x', '', 'a'.repeat(254)])('refuses %s', (address) => {
    expect(fitsHostTargetRule('address', address)).toBe(false);
  });
});

describe('sshDestination', () => {
  it('puts a bare IPv6 address in brackets, so the port after it cannot be read as part of it', () => {
    expect(sshDestination({ user: 'root', address: '::1', port: 22 })).toBe('root@[::1]:22');
    expect(sshDestination({ user: 'root', address: '[fd00::1]', port: 2222 })).toBe('root@[fd00::1]:2222');
    expect(sshDestination({ user: 'ops', address: '10.0.0.1', port: 22 })).toBe('ops@10.0.0.1:22');
  });
});
