import { describe, expect, it } from 'vitest';
import { parseConnectionLog } from './connection-log';

describe('parseConnectionLog', () => {
  it('quotes a bad value of 100,000 characters by its first 60 and its length, not whole', async () => {
    const long = '9'.repeat(100_000);
    const text = `from,to,protocol,port,count\nweb-1,app-1,${'x'.repeat(100_000)},80\nweb-1,app-1,tcp,${long}\nweb-1,app-1,tcp,80,${long}\n`;
    const { diagnostics } = await parseConnectionLog(text, 'log.csv');
    expect(diagnostics.map((d) => d.message)).toEqual([
      `protocol: "${'x'.repeat(60)}…" (100,000 characters) is not tcp, udp, sctp or icmp; the line is left out`,
      `port: "${'9'.repeat(60)}…" (100,000 characters) is not a port 1-65535; the line is left out`,
      `count: "${'9'.repeat(60)}…" (100,000 characters) is not a whole number from 1 to 1000000000000; the line is left out`,
    ]);
  });
});
