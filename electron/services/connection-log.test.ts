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

  it('says a line lacks fields the header names, where those are needed; a line without its count is read', async () => {
    const text = 'from,to,protocol,port,count\nnonsense line\nweb-1,app-1,tcp\nweb-1,app-1,tcp,80\n';
    const { diagnostics, connections } = await parseConnectionLog(text, 'log.csv');
    expect(diagnostics.map((d) => [d.location?.line, d.message])).toEqual([
      [2, 'the line has 1 field and the header row names 5 (from,to,protocol,port,count); the line is left out'],
      [3, 'the line has 3 fields and the header row names 5 (from,to,protocol,port,count); the line is left out'],
    ]);
    expect(connections.map((c) => [c.line, c.count])).toEqual([[4, 1]]);
  });

  it('counts a line with several stray quotes as one line left out, said once', async () => {
    const text = 'from,to,protocol,port\na"b"c"d,10.0.0.1,tcp,80\nweb-1,app-1,tcp,80\n';
    const { diagnostics, linesLeftOut, connections } = await parseConnectionLog(text, 'log.csv');
    expect(linesLeftOut).toBe(1);
    expect(diagnostics).toEqual([
      expect.objectContaining({
        code: 'MS701',
        location: { file: 'log.csv', line: 2 },
        message: expect.stringContaining('write the cell in quotes with each of its quotes doubled'),
      }),
    ]);
    expect(connections.map((c) => c.line)).toEqual([3]);
  });

  it('counts a quote closed too early once, with the lines the parser then took into the cell', async () => {
    // `"w1"x` ends its quote before the cell ends; the parser then reads on to the end as one cell.
    const text = 'from,to,protocol,port\n"w1"x,10.0.0.1,tcp,80\nweb-1,app-1,tcp,80\nweb-1,app-1,tcp,81\n';
    const { linesLeftOut, connections } = await parseConnectionLog(text, 'log.csv');
    expect(linesLeftOut).toBe(3);
    expect(connections).toEqual([]);
  });
});
