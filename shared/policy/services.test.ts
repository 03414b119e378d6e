import { describe, expect, it } from 'vitest';
import { formatService, parseService } from './services';

describe('parseService', () => {
  it.each([
    ['tcp/8080', { protocol: 'tcp', ports: { from: 8080, to: 8080 } }],
    ['UDP/53', { protocol: 'udp', ports: { from: 53, to: 53 } }],
    ['tcp/9000-9010', { protocol: 'tcp', ports: { from: 9000, to: 9010 } }],
    ['icmp', { protocol: 'icmp' }],
    ['any', { protocol: 'any' }],
  ])('reads %s', (text, service) => {
    expect(parseService(text)).toEqual({ ok: true, service });
  });

  it.each([
    ['tcp/70000', 'ports are whole numbers from 1 to 65535'],
    ['tcp/9010-9000', 'upside down'],
    ['icmp/8', 'icmp has no ports'],
    ['http/80', 'protocol must be one of'],
    ['tcp/1-2-3', 'low-high'],
  ])('rejects %s with a reason', (text, reason) => {
    const parsed = parseService(text);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.message).toContain(reason);
  });

  it('round-trips through formatService', () => {
    for (const text of ['tcp/8080', 'udp/1000-2000', 'sctp', 'any']) {
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
