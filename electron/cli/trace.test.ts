import { describe, expect, it } from 'vitest';
import type { Inventory } from '@shared/inventory/model';
import { probeFrom, resolveEnds, sentByFlag } from './trace';

describe('probeFrom', () => {
  it('takes decimal ports and ICMP types, and protocol names in any case', () => {
    expect(probeFrom({ proto: 'TCP', port: '80' }, '10.0.0.1')).toEqual({ protocol: 'tcp', srcPort: 49152, dstPort: 80 });
    expect(probeFrom({ proto: 'Udp', port: '65535' }, '10.0.0.1')).toMatchObject({ protocol: 'udp', dstPort: 65535 });
    expect(probeFrom({ proto: 'ICMP', icmpType: '0' }, '10.0.0.1')).toEqual({ protocol: 'icmp', icmpType: 0 });
    expect(probeFrom({ proto: 'icmp' }, 'fd00::1')).toEqual({ protocol: 'icmp', icmpType: 128 });
  });

  it('takes an ICMP code, decimal and in range, for ICMP only', () => {
    expect(probeFrom({ proto: 'icmp', icmpType: '3', icmpCode: '4' }, '10.0.0.1')).toEqual({ protocol: 'icmp', icmpType: 3, icmpCode: 4 });
    expect(() => probeFrom({ proto: 'icmp', icmpType: '3', icmpCode: '256' }, '10.0.0.1')).toThrow('--icmp-code must be a decimal number from 0 to 255, not "256"');
    expect(() => probeFrom({ proto: 'tcp', port: '80', icmpCode: '1' }, '10.0.0.1')).toThrow('--icmp-code applies to --proto icmp only, not tcp');
  });

  it('takes the source port a DHCP exchange needs, and refuses it where it means nothing', () => {
    expect(probeFrom({ proto: 'udp', port: '67', srcPort: '68' }, '10.0.0.1')).toEqual({ protocol: 'udp', srcPort: 68, dstPort: 67 });
    expect(() => probeFrom({ proto: 'udp', port: '67', srcPort: '0' }, '10.0.0.1')).toThrow('--src-port must be a decimal number from 1 to 65535, not "0"');
    expect(() => probeFrom({ proto: 'icmp', srcPort: '68' }, '10.0.0.1')).toThrow('--src-port does not apply to --proto icmp');
  });

  it('refuses a port or type that is not a decimal number in range, saying which', () => {
    for (const port of ['0x50', '1e3', '80.0', ' 80', '', '0', '65536', '-1']) {
      expect(() => probeFrom({ proto: 'tcp', port }, '10.0.0.1'), port).toThrow(`--port must be a decimal number from 1 to 65535, not "${port}"`);
    }
    expect(() => probeFrom({ proto: 'icmp', icmpType: '0x8' }, '10.0.0.1')).toThrow('--icmp-type must be a decimal number from 0 to 255, not "0x8"');
    expect(() => probeFrom({ proto: 'icmp', icmpType: '256' }, '10.0.0.1')).toThrow('--icmp-type must be a decimal number from 0 to 255');
  });

  it('refuses a flag the protocol has no use for instead of ignoring it', () => {
    expect(() => probeFrom({ proto: 'icmp', port: '80' }, '10.0.0.1')).toThrow('--port does not apply to --proto icmp');
    expect(() => probeFrom({ proto: 'udp', port: '53', icmpType: '8' }, '10.0.0.1')).toThrow('--icmp-type applies to --proto icmp only, not udp');
    expect(() => probeFrom({ proto: 'tcp' }, '10.0.0.1')).toThrow('--proto tcp needs --port 1-65535');
    expect(() => probeFrom({ proto: 'gre', port: '1' }, '10.0.0.1')).toThrow('--proto must be tcp, udp, sctp or icmp, not "gre"');
  });
});

describe('resolveEnds and sentByFlag', () => {
  const inventory: Inventory = { readAt: 'x', workloads: [{ id: 't/web', name: 'web', host: 'h1', addresses: ['10.0.0.1'], labels: {}, origin: { kind: 'static', source: 't' } }] };
  const long = 'A'.repeat(100_000);
  const head = 'A'.repeat(60);

  it('name a flag of 100,000 characters by its first 60 and its length, not whole', () => {
    expect(() => resolveEnds(inventory, long, 'web')).toThrow(`--from ${head}… (100,000 characters): "${head}…" (100,000 characters) is no workload`);
    const from = { address: '10.0.0.1', host: 'h1', label: 'web (10.0.0.1)' };
    expect(() => sentByFlag(inventory, from, long)).toThrow(`--sent-by ${head}… (100,000 characters): "${head}…" (100,000 characters) is no workload`);
  });

  it('head the output with a workload of 100,000 characters by its first 60 and its length, not whole', () => {
    const longNamed: Inventory = { ...inventory, workloads: [...inventory.workloads, { ...inventory.workloads[0]!, id: 't/long', name: long, addresses: ['10.0.0.2'] }] };
    const ends = resolveEnds(longNamed, long, 'web');
    expect(ends.from.label).toBe(`${head}… (100,000 characters) (10.0.0.2)`);
    expect(sentByFlag(longNamed, ends.to, long).from.label).toBe(`web (10.0.0.1), sent by ${head}… (100,000 characters)`);
  });
});
