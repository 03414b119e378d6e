import { describe, expect, it } from 'vitest';
import { sameSwitch } from './switch-identity';

const at = (address: string, port = 22, bridge = 'br0'): { address: string; port: number; bridge: string } => ({ address, port, bridge });

describe('sameSwitch', () => {
  it.each([
    ['localhost', '127.0.0.1'],
    ['localhost', '::1'],
    ['127.0.0.1', '[::1]'],
    ['127.0.0.1', '127.0.0.2'],
    ['LOCALHOST.', '127.1'],
    ['[::ffff:127.0.0.1]', 'localhost'],
    ['0.0.0.0', 'localhost'],
    ['127.0.0.1:22', '127.0.0.1'],
    ['[::1]:22', 'localhost'],
    ['Switch1.Example.COM.', 'switch1.example.com'],
    ['switch1.example.com:22', 'switch1.example.com'],
    ['10.0.0.1', '0x0a.0.0.1'],
    ['10.0.0.1', '[::ffff:10.0.0.1]'],
    ['2001:DB8:0:0:0:0:0:1', '[2001:db8::1]:22'],
    // A previous session's finding: zoned addresses were compared as text.
    ['fe80::0001%eth0', 'fe80::1%eth0'],
    ['FE80:0:0:0:0:0:0:1%eth0', '[fe80::1%eth0]:22'],
  ])('takes %s and %s for one switch', (a, b) => {
    expect(sameSwitch(at(a), at(b))).toBe(true);
  });

  it.each([
    ['another port, which may be another SSH server and Open vSwitch', at('localhost', 22), at('127.0.0.1', 2222)],
    ['a port written into the address that differs', at('127.0.0.1:2222', 22), at('127.0.0.1', 22)],
    ['another bridge', at('localhost', 22, 'br0'), at('localhost', 22, 'br1')],
    ['a bridge in other case, as Linux names interfaces case-sensitively', at('localhost', 22, 'br0'), at('localhost', 22, 'BR0')],
    ['another address', at('10.0.0.1'), at('10.0.0.2')],
    ['one link-local address on another interface', at('fe80::1%eth0'), at('fe80::1%eth1')],
    ['a zone in other case, as Linux names interfaces case-sensitively', at('fe80::1%eth0'), at('fe80::1%ETH0')],
    ['a link-local address with a zone and one without', at('fe80::1%eth0'), at('fe80::1')],
    ['a name and an address, which only DNS could join', at('switch1.example.com'), at('10.0.0.1')],
    ['a name under localhost, which not every resolver takes for loopback', at('switch1.localhost'), at('localhost')],
  ])('keeps apart %s', (_, a, b) => {
    expect(sameSwitch(a, b)).toBe(false);
  });
});
