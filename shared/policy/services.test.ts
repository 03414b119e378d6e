import { describe, expect, it } from 'vitest';
import type { Service } from './model';
import { formatService, intersectServices, parseService, parsePort } from './services';

describe('parseService', () => {
  it.each([
    ['tcp/8080', { protocol: 'tcp', ports: { from: 8080, to: 8080 } }],
    ['UDP/53', { protocol: 'udp', ports: { from: 53, to: 53 } }],
    ['tcp/9000-9010', { protocol: 'tcp', ports: { from: 9000, to: 9010 } }],
    ['icmp', { protocol: 'icmp' }],
    ['any', { protocol: 'any' }],
    ['tcp/http', { protocol: 'tcp', portName: 'http' }],
    ['sctp/metrics-2', { protocol: 'sctp', portName: 'metrics-2' }],
    ['tcp/http@8000-8100', { protocol: 'tcp', portName: 'http', ports: { from: 8000, to: 8100 } }],
    // ICMP types: 0 is a type (echo reply), as no port is.
    ['icmp/8', { protocol: 'icmp', ports: { from: 8, to: 8 } }],
    ['icmp/0-8', { protocol: 'icmp', ports: { from: 0, to: 8 } }],
    ['ICMP/255', { protocol: 'icmp', ports: { from: 255, to: 255 } }],
    // Codes of one type: 3/4 is IPv4's "fragmentation needed", which path MTU discovery needs.
    ['icmp/3/4', { protocol: 'icmp', ports: { from: 3, to: 3 }, icmpCodes: { from: 4, to: 4 } }],
    ['icmp/3/0-4', { protocol: 'icmp', ports: { from: 3, to: 3 }, icmpCodes: { from: 0, to: 4 } }],
  ])('reads %s', (text, service) => {
    expect(parseService(text)).toEqual({ ok: true, service });
  });

  it.each([
    ['tcp/70000', 'port must be a whole number from 1 to 65535, or a port name such as http (found "70000")'],
    ['tcp/80-70000', 'port must be a whole number from 1 to 65535, or a port name such as http (found "70000")'],
    ['tcp/9010-9000', 'upside down'],
    ['icmp/256', 'ICMP type must be a whole number from 0 to 255 (8 is an echo request, 128 an IPv6 one) (found "256")'],
    ['icmp/8-3', 'upside down'],
    ['icmp/8-', 'an ICMP type range needs both ends, as in 0-8 (found "8-")'],
    ['any/8', 'any has no ports'],
    ['http/80', 'protocol must be one of tcp, udp, sctp, icmp, any (found "http")'],
    ['tcp/1-2-3', 'low-high'],
    // Half a range, or a minus sign: one end is missing, not a port "" of the wrong kind.
    ['tcp/80-', 'a port range needs both ends, as in 9000-9010 (found "80-")'],
    ['udp/-1', 'a port range needs both ends, as in 9000-9010 (found "-1")'],
    ['tcp/web--api', 'is not a port name'],
    ['tcp/a-very-long-port-name', 'is not a port name'],
    ['tcp/8080@80', '"@" follows a port name'],
    ['tcp/http@9-1', 'upside down'],
    ['icmp/echo', 'ICMP type must be a whole number from 0 to 255'],
    ['icmp/3/256', 'ICMP code must be a whole number from 0 to 255 (icmp/3/4: type 3, code 4) (found "256")'],
    ['icmp/3/4-1', 'upside down'],
    ['icmp/0-8/0', 'a code belongs to one ICMP type: name the type, as in icmp/3/4, or leave the code out (icmp/0-8)'],
    ['icmp/3/', 'write a code after the type (icmp/3/0), or just "icmp/3" for every code'],
    ['icmp/', 'write a type after the slash (icmp/8), or just "icmp" for every type'],
    ['icmp/3/4/5', 'use one slash'],
    ['tcp/80/1', 'use one slash, as in tcp/8080 (two only for an ICMP type and code, icmp/3/4)'],
    ['8080', 'a service names its protocol: write tcp/8080 or udp/8080'],
    ['9000-9010', 'a service names its protocol: write tcp/9000-9010 or udp/9000-9010'],
  ])('rejects %s with a reason', (text, reason) => {
    const parsed = parseService(text);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.message).toContain(reason);
  });

  it('round-trips through formatService', () => {
    for (const text of ['tcp/8080', 'udp/1000-2000', 'sctp', 'any', 'tcp/http', 'udp/dns@53', 'icmp/8', 'icmp/0-8', 'icmp/3/4', 'icmp/3/0-4']) {
      const parsed = parseService(text);
      expect(parsed.ok && formatService(parsed.service)).toBe(text);
    }
  });
});

describe('a forgotten port', () => {
  it('"tcp/" is an error, never "every TCP port"', () => {
    for (const text of ['tcp/', 'tcp/ ', 'udp/']) {
      const parsed = parseService(text);
      expect(parsed.ok, text).toBe(false);
      if (!parsed.ok) expect(parsed.message).toContain('write a port after the slash');
    }
  });
});

describe('intersectServices', () => {
  const services = (...texts: string[]): Service[] => texts.map((t) => {
    const parsed = parseService(t);
    if (!parsed.ok) throw new Error(parsed.message);
    return parsed.service;
  });
  it.each([
    [['tcp/1-1000'], ['tcp/443-8443'], ['tcp/443-1000']],
    [['any'], ['udp/53', 'tcp/http'], ['udp/53', 'tcp/http']],
    [['tcp'], ['tcp/http'], ['tcp/http']],
    [['tcp/http'], ['tcp/8000-8100'], ['tcp/http@8000-8100']],
    [['tcp/http'], ['tcp/web'], []],
    [['tcp/80'], ['udp/80'], []],
    [['tcp/80', 'sctp'], ['tcp/80-81', 'sctp/9'], ['tcp/80', 'sctp/9']],
    [['icmp/0-8'], ['icmp/3/4'], ['icmp/3/4']],
    [['icmp/3/0-4'], ['icmp/3/4-9'], ['icmp/3/4']],
    [['icmp/3/0-3'], ['icmp/3/4'], []],
    [['icmp/8/0'], ['icmp/3/0'], []],
  ])('%j and %j permit %j together', (a, b, both) => {
    expect(intersectServices(services(...a), services(...b)).map(formatService)).toEqual(both);
  });
});

describe('parsePort', () => {
  it('takes 1 to 65535 in decimal digits only, as the host and trace forms read a port', () => {
    expect([parsePort('22'), parsePort('65535'), parsePort('08080')]).toEqual([22, 65535, 8080]);
    for (const text of ['0', '65536', '0x8AE', '2e3', ' 80', '80.0', '', '-1', '1_000']) expect(parsePort(text), text).toBeNull();
  });
});
