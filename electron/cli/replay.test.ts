import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { microseg, ROOT } from './testing/run-microseg';

// `microseg replay` on the bundled example, through the real command line.

const example = join(ROOT, 'examples', 'three-tier-shop');
const policy = join(example, 'policy.yaml');
const inventory = join(example, 'inventory.yaml');
const dir = mkdtempSync(join(tmpdir(), 'microseg-replay-'));

function log(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe('microseg replay', () => {
  it('sums what the policy would drop, by group pair and service, and exits 1', () => {
    const result = microseg('replay', policy, '--inventory', inventory, '--connections', join(example, 'connections.csv'));
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('23,745 connections, 8,680 permitted, 15,065 dropped, 0 redirected');
    expect(result.stdout).toContain('  web → db tcp/5432: 3 connections (e.g. line 8: web-1 → db-1)');
    expect(result.stdout).toContain('  (no group) metrics → app tcp/9100: 60 connections');
    expect(result.stdout).toContain('  (outside) → web tcp/443: 15,000 connections');
  });

  it('exits 0 when every connection goes through, and answers in JSON', () => {
    const fine = log('fine.csv', 'from,to,protocol,port\nweb-1,app-2,tcp,8080\n10.20.2.22,db-1,tcp,5432\nweb-1,web-2,icmp,8\n');
    const result = microseg('replay', policy, '--inventory', inventory, '--connections', fine, '--json');
    expect(result.code).toBe(0);
    const replay = JSON.parse(result.stdout) as { connections: number; permitted: number; entries: unknown[]; diagnostics: unknown[] };
    expect([replay.connections, replay.permitted, replay.entries, replay.diagnostics]).toEqual([3, 3, [], []]);
  });

  // QA's defect: `db-2,db-2,tcp,5432` counted as dropped and the replay exited 1, though no
  // switch sees a workload's connection to itself (trace refuses it).
  it('counts apart the connections within one end, in the text and the JSON, never as dropped', () => {
    const own = log('own.csv', 'from,to,protocol,port,count\ndb-1,db-1,tcp,5432,3\nweb-1,app-2,tcp,8080,1\n');
    const text = microseg('replay', policy, '--inventory', inventory, '--connections', own);
    expect(text.code).toBe(0);
    expect(text.stdout).toBe(
      `${own} against ${policy}: 1 connection, 1 permitted, 0 dropped, 0 redirected to a honeypot\n3 connections within one end (a workload to its own address, or to a workload sharing it), which no switch sees: neither permitted nor dropped.\n`,
    );
    const json = microseg('replay', policy, '--inventory', inventory, '--connections', own, '--json');
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ connections: 1, permitted: 1, dropped: 0, withinOneEnd: 3 });
  });

  it('keeps the run time out of stdout, so the same log prints the same JSON', () => {
    const connections = join(example, 'connections.csv');
    const json = microseg('replay', policy, '--inventory', inventory, '--connections', connections, '--json');
    expect(Object.keys(JSON.parse(json.stdout) as object)).not.toContain('ms');
    expect(json.stderr).toMatch(/^replay took \d+ ms$/m);
    expect(json.stdout).toBe(microseg('replay', policy, '--inventory', inventory, '--connections', connections, '--json').stdout);
  });

  it('exits 2 for a policy with errors, since 1 says connections would be dropped', () => {
    const broken = log('broken.yaml', readFileSync(policy, 'utf8').replace('to: db', 'to: nowhere'));
    const result = microseg('replay', broken, '--inventory', inventory, '--connections', join(example, 'connections.csv'));
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('error MS112');
  });

  it('names each bad line by its line and column name, replays the rest, and exits 2', () => {
    const mixed = log('mixed.csv', 'from,to,protocol,port,count\nweb-1,app-1,tcp,8080,2\nweb-1,app-1,gre,1,1\nweb-1,app-1,tcp,70000,1\nweb-1,nobody,tcp,80,1\nweb-1,app-1,tcp,8080,-3\nweb-1,db-1,tcp,5432,1\n');
    const result = microseg('replay', policy, '--inventory', inventory, '--connections', mixed);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`${mixed}:3: error MS702: protocol: "gre" is not tcp, udp, sctp or icmp`);
    expect(result.stderr).toContain(`${mixed}:4: error MS702: port: "70000" is not a port 1-65535`);
    expect(result.stderr).toContain(`${mixed}:5: error MS703: to: "nobody" is no workload of the inventory`);
    expect(result.stderr).toContain(`${mixed}:6: error MS702: count: "-3"`);
    expect(result.stdout).toContain('3 connections, 2 permitted, 1 dropped');
  });

  it('places a line where it starts, past quoted line breaks, with LF or CRLF', () => {
    for (const eol of ['\n', '\r\n']) {
      const text = ['from,to,protocol,port', '"web-1', '",app-1,tcp,8080', '# a comment', '', 'web-1,"app-1', '",gre,1'].join(eol) + eol;
      const result = microseg('replay', policy, '--inventory', inventory, '--connections', log(`breaks-${eol.length}.csv`, text));
      expect(result.stderr, JSON.stringify(eol)).toMatch(/breaks-\d\.csv:6: error MS702: protocol: "gre"/);
    }
  });

  it('reads past a line with too many or too few fields, and refuses a log with no connection in it', () => {
    const ragged = log('ragged.csv', 'from,to,protocol,port\nweb-1,app-1,tcp,8080,extra,fields\nweb-1,app-1,tcp\nweb-1,db-1,tcp,5432\n');
    const result = microseg('replay', policy, '--inventory', inventory, '--connections', ragged);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`${ragged}:2: error MS701: the line has 6 fields and the header row names 4 (from,to,protocol,port); the line is left out`);
    expect(result.stderr).toContain(`${ragged}:3: error MS701: the line has 3 fields and the header row names 4 (from,to,protocol,port); the line is left out`);
    expect(result.stdout).toContain('1 connection, 0 permitted, 1 dropped');
    for (const text of ['', 'from,to,protocol,port\n', '# nothing yet\n']) {
      const empty = log('empty.csv', text);
      const result = microseg('replay', policy, '--inventory', inventory, '--connections', empty);
      expect(result.code).toBe(2);
      // Said with the file's role and what to give instead, not only that it "holds no connection".
      expect(result.stderr).toContain(`microseg: The connection log ${empty} holds no connection (it is empty, or holds only a header row or comments): give a log with the header row from,to,protocol,port and a line per connection\n`);
    }
    expect(microseg('replay', policy, '--inventory', inventory, '--connections', log('typo.csv', 'from,to,protocol,port\nweb-1,app-1,tcp,0x1f90\n')).stderr).toContain('port: "0x1f90" is not a port');
  });

  it('leaves out a line with more fields than the header, rather than drop its count unseen', () => {
    const uncounted = log('uncounted.csv', 'from,to,protocol,port\nweb-1,app-1,tcp,8080,5000\nweb-1,app-1,tcp,8080\n');
    const result = microseg('replay', policy, '--inventory', inventory, '--connections', uncounted);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`${uncounted}:2: error MS701: the line has 5 fields and the header row names 4 (from,to,protocol,port); the line is left out`);
    expect(result.stdout).toContain('1 connection, 1 permitted, 0 dropped');
  });

  it('escapes the control characters of an end, a quoted line break too, in what it prints', () => {
    const forged = log('forged.yaml', readFileSync(inventory, 'utf8').replace('name: db-1', 'name: "db-1\\nweb → db tcp 5432: 0 connections"'));
    const sneaky = log('sneaky.csv', 'from,to,protocol,port\n"web-1\u001b[2J",app-1,tcp,8080\n"db-1\nweb → db tcp 5432: 0 connections",web-1,tcp,8080\n');
    const result = microseg('replay', policy, '--inventory', forged, '--connections', sneaky);
    expect(result.stderr).toContain(`${sneaky}:2: error MS703: from: "web-1\\u001b[2J" is no workload of the inventory`);
    expect(result.stdout).toContain('(e.g. line 3: db-1\\nweb → db tcp 5432: 0 connections → web-1)');
    expect([...(result.stdout + result.stderr)].filter((ch) => ch < ' ' && ch !== '\n')).toEqual([]);
  });

  it('quotes an end of 100,000 characters by its first 60 and its length, not whole', () => {
    const flood = log('flood.csv', `from,to,protocol,port\n${'A'.repeat(100_000)},app-1,tcp,8080\n`);
    const result = microseg('replay', policy, '--inventory', inventory, '--connections', flood);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`${flood}:2: error MS703: from: "${'A'.repeat(60)}…" (100,000 characters) is no workload of the inventory`);
    expect(result.stderr.length).toBeLessThan(1_000);
  });

  it('names the line where a quote never closed opens, and counts every line it took in as left out', () => {
    const unclosed = log('unclosed.csv', 'from,to,protocol,port\nweb-1,app-1,tcp,8080\n"web-1,db-1,tcp,5432\n# seen twice\nweb-2,db-1,tcp,5432\n\nweb-2,app-1,tcp,8080\n');
    const result = microseg('replay', policy, '--inventory', inventory, '--connections', unclosed);
    expect(result.stderr).toContain(`${unclosed}:3: error MS701: CSV: a quote opened on this line is never closed, so the rest of the log is one cell; this line and the 2 after it are left out`);
    const json = JSON.parse(microseg('replay', policy, '--inventory', inventory, '--connections', unclosed, '--json').stdout) as { linesLeftOut: number };
    expect(json.linesLeftOut).toBe(3);
  });

  it('names at most 50 bad lines, then how many more there are', () => {
    const lines = Array.from({ length: 60 }, (_, i) => (i % 2 === 0 ? 'web-1,app-1,tcp,0' : `ghost${i},app-1,tcp,80`));
    const bad = log('bad.csv', ['from,to,protocol,port', 'web-1,app-1,tcp,8080', ...lines].join('\n'));
    const result = microseg('replay', policy, '--inventory', inventory, '--connections', bad);
    expect(result.code).toBe(2);
    const shown = result.stderr.split('\n').filter((l) => l.startsWith(bad));
    expect(shown).toHaveLength(51);
    expect(shown[49]).toContain(`${bad}:52: error MS703`);
    expect(shown[50]).toBe(`${bad}: error MS702: and 10 more errors in this file not shown (the first 50 are); fix these and read it again`);
    const json = JSON.parse(microseg('replay', policy, '--inventory', inventory, '--connections', bad, '--json').stdout) as { linesLeftOut: number; diagnostics: unknown[] };
    expect([json.linesLeftOut, json.diagnostics.length]).toEqual([60, 51]);
  });

  it('keeps its totals exact: a log whose counts would add up past 2^53 - 1 is cut at the line named, and exits 2', () => {
    // 9,007 lines of 999,999,999,999 make 9,006,999,999,990,993; line 9,009 would pass 9,007,199,254,740,991.
    const lines = Array.from({ length: 9_010 }, () => 'web-1,app-2,tcp,8080,999999999999');
    const huge = log('huge.csv', ['from,to,protocol,port,count', ...lines].join('\n') + '\n');
    const text = microseg('replay', policy, '--inventory', inventory, '--connections', huge);
    expect(text.code).toBe(2);
    expect(text.stderr).toContain(`${huge}:9009: error MS704: count: with this line the connections would add up past 9,007,199,254,740,991`);
    expect(text.stdout).toContain('9,006,999,999,990,993 connections, 9,006,999,999,990,993 permitted');
    const json = microseg('replay', policy, '--inventory', inventory, '--connections', huge, '--json');
    expect(json.stdout).toContain('"connections": 9006999999990993,');
    expect(json.stdout).toContain('"linesLeftOut": 3');
  });

  it('refuses a log without the columns it needs, or without --connections', () => {
    const wrong = log('wrong.csv', 'src,dst,proto,dport\nweb-1,app-1,tcp,8080\n');
    const result = microseg('replay', policy, '--inventory', inventory, '--connections', wrong);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('MS701: the header row lacks from, to, protocol, port');
    expect(microseg('replay', policy, '--inventory', inventory).stderr).toContain('replay needs --connections');
  });
});
