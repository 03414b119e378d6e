import { describe, expect, it } from 'vitest';
import { tracedPacket, type TraceServiceFields } from './trace-packet';

const icmp = (icmpType: string, icmpCode: string): TraceServiceFields => ({ protocol: 'icmp', port: '80', icmpType, icmpCode });

describe('the packet the Trace form asks about', () => {
  it('is an echo request of the destination family, code 0, when the type and code are left empty', () => {
    expect(tracedPacket(icmp('', ''), '10.0.0.2')).toEqual({ ok: true, packet: { protocol: 'icmp', icmpType: 8 }, service: 'icmp/8' });
    expect(tracedPacket(icmp(' ', ''), 'fd00::2')).toEqual({ ok: true, packet: { protocol: 'icmp', icmpType: 128 }, service: 'icmp/128' });
  });

  it('carries the ICMP type and code typed, and names the service as a policy writes it', () => {
    expect(tracedPacket(icmp('3', '4'), '10.0.0.2')).toEqual({ ok: true, packet: { protocol: 'icmp', icmpType: 3, icmpCode: 4 }, service: 'icmp/3/4' });
    expect(tracedPacket(icmp(' 0 ', ''), '10.0.0.2')).toEqual({ ok: true, packet: { protocol: 'icmp', icmpType: 0 }, service: 'icmp/0' });
    // A code given is said, even 0: the question named it.
    expect(tracedPacket(icmp('', '0'), 'fd00::2')).toEqual({ ok: true, packet: { protocol: 'icmp', icmpType: 128, icmpCode: 0 }, service: 'icmp/128/0' });
    expect(tracedPacket(icmp('255', '255'), '10.0.0.2')).toMatchObject({ ok: true, packet: { icmpType: 255, icmpCode: 255 } });
  });

  it('refuses a type or code that is not a decimal number from 0 to 255, naming the field', () => {
    expect(tracedPacket(icmp('256', ''), '10.0.0.2')).toEqual({ ok: false, error: 'ICMP type: a decimal number from 0 to 255, not "256"; leave it empty for an echo request' });
    expect(tracedPacket(icmp('0x8', ''), '10.0.0.2')).toMatchObject({ ok: false, error: expect.stringMatching(/^ICMP type: .*not "0x8"/) });
    expect(tracedPacket(icmp('-1', ''), '10.0.0.2')).toMatchObject({ ok: false, error: expect.stringMatching(/^ICMP type: /) });
    expect(tracedPacket(icmp('3', '4.0'), '10.0.0.2')).toEqual({ ok: false, error: 'ICMP code: a decimal number from 0 to 255, not "4.0"; leave it empty for code 0' });
    expect(tracedPacket(icmp('3', '1e2'), '10.0.0.2')).toMatchObject({ ok: false, error: expect.stringMatching(/^ICMP code: /) });
  });

  it('reads the port for TCP, UDP and SCTP, and leaves the ICMP fields alone', () => {
    expect(tracedPacket({ protocol: 'udp', port: '53', icmpType: 'x', icmpCode: 'y' }, '10.0.0.2')).toEqual({ ok: true, packet: { protocol: 'udp', dstPort: 53 }, service: 'udp/53' });
    expect(tracedPacket({ protocol: 'tcp', port: '0x50', icmpType: '', icmpCode: '' }, '10.0.0.2')).toEqual({ ok: false, error: 'Port: a number from 1 to 65535' });
    // The port left in the form while ICMP is chosen is not read.
    expect(tracedPacket({ protocol: 'icmp', port: 'junk', icmpType: '', icmpCode: '' }, '10.0.0.2').ok).toBe(true);
  });
});
