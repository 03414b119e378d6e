import { describe, expect, it } from 'vitest';
import { addressBits } from './address-bits';
import { checkPacket, packetFields, type Packet } from './packet';

const ns: Packet = { ethType: 'ipv6', src: 'fe80::1', dst: 'fd00::2', protocol: 'icmp', icmpType: 135 };

describe('checkPacket', () => {
  it.each<[Partial<Packet>, string]>([
    [{ ethType: 'ipv4' }, 'source "fe80::1" is not an IPv4 address'],
    [{ dst: '10.0.0.1' }, 'destination "10.0.0.1" is not an IPv6 address'],
    [{ icmpType: 256 }, 'icmpType must be a whole number from 0 to 255'],
    [{ ndTarget: '10.0.0.1' }, 'neighbour discovery target "10.0.0.1" is not an IPv6 address'],
    [{ icmpType: 128, ndTarget: 'fd00::2' }, 'ndTarget is only for an ICMPv6 neighbour solicitation or advertisement'],
    [{ protocol: 'udp', ndTarget: 'fd00::2' }, 'ndTarget is only for'],
  ])('refuses %j', (change, problem) => {
    expect(checkPacket({ ...ns, ...change })).toContain(problem);
  });

  it('takes a solicitation or an advertisement with a target', () => {
    expect(checkPacket({ ...ns, ndTarget: 'fd00::2' })).toBeNull();
    expect(checkPacket({ ...ns, icmpType: 136, ndTarget: 'fd00::1' })).toBeNull();
  });
});

describe('packetFields: the neighbour discovery target', () => {
  const target = (packet: Packet) => packetFields(packet).ndTarget;

  it('is the one named, else what a solicitation asks about or an advertisement claims', () => {
    expect(target({ ...ns, ndTarget: 'fd00::9' })).toEqual(addressBits('fd00::9'));
    expect(target(ns)).toEqual(addressBits('fd00::2'));
    expect(target({ ...ns, icmpType: 136 })).toEqual(addressBits('fe80::1'));
  });

  it('is absent where Open vSwitch reads none: another code, another message', () => {
    expect(target({ ...ns, icmpCode: 1 })).toBeUndefined();
    expect(target({ ...ns, icmpType: 128 })).toBeUndefined();
  });
});
