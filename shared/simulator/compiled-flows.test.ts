import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compilePolicy } from '../compiler/compile';
import { CompactHostTable } from '../compiler/compact-table';
import type { Flow } from '../compiler/flow';
import { FlowList, FlowSorter } from '../compiler/flow-order';
import { FlowTexts } from '../compiler/flow-texts';
import { MatchIds } from '../compiler/match-ids';
import { formatHostTable } from '../compiler/table-text';
import type { Policy } from '../policy/model';
import { parseInventoryFile } from '../inventory/static-file';
import { parsePolicyFile } from '../policy/policy-file';
import { SIZES, syntheticEstate } from '../../scripts/bench/synthetic';
import { CompiledFlowReader } from './compiled-flows';
import { FlowTextError, parseFlowTextStrict } from './flow-parser';
import type { SimFlow } from './flow-model';

/** What parsing the host's preview text gives: the reader's shortcut must give the same, line numbers included. */
function fromText(flows: readonly Flow[], policy: Policy = NAMED): unknown {
  return parseFlowTextStrict(formatHostTable('h', policy, flows), 'h.flows');
}

const NAMED = { name: 'p', revision: 1 } as Policy;

/** Read flows as plain objects, their line printed (the reader prints it when asked), to compare with what the text parse gives. */
function plain(flows: readonly SimFlow[]): SimFlow[] {
  return flows.map((f) => ({ ...f, text: f.text }));
}

/** The flows as a compile keeps a table (CompactHostTable), in canonical order; equal action lists given as one array share a number. */
function compact(flows: readonly Flow[]): CompactHostTable {
  const texts = new FlowTexts(new MatchIds());
  const list = new FlowList(texts);
  const numbers = new Map<readonly string[], number>();
  for (const f of flows) {
    let actions = numbers.get(f.actions);
    if (actions === undefined) numbers.set(f.actions, (actions = texts.actions(f.actions)));
    list.add(f.table, f.priority, texts.cookie(f.cookie), texts.matches.id(f.match), actions);
  }
  return new CompactHostTable('h', 1, new FlowSorter().sorted(list, texts.matches.ranks()), texts);
}

const fixtures = join(__dirname, '..', 'compiler', 'fixtures');
const shop = join(__dirname, '..', '..', 'examples', 'three-tier-shop');
const cases = [
  ...['features', 'kubernetes', 'redirect'].map((name) => [join(fixtures, `${name}.policy.yaml`), join(fixtures, `${name}.inventory.yaml`)]),
  [join(shop, 'policy.yaml'), join(shop, 'inventory.yaml')],
];

describe('CompiledFlowReader', () => {
  it('reads the compiler fixtures, the shop example and the small synthetic estate exactly as parsing their printed text does', () => {
    const compiles = cases.map(([policyFile, inventoryFile]) => {
      const policy = parsePolicyFile(readFileSync(policyFile!, 'utf8'), policyFile!).policy!;
      const inventory = parseInventoryFile(readFileSync(inventoryFile!, 'utf8'), inventoryFile!, 'x').inventory!;
      return compilePolicy(policy, inventory);
    });
    const small = syntheticEstate(SIZES.find((s) => s.name === 'small')!);
    compiles.push(compilePolicy(small.policy, small.inventory));
    const reader = new CompiledFlowReader();
    expect(compiles.every((c) => c.hosts.length > 0)).toBe(true);
    for (const { hosts } of compiles) {
      for (const h of hosts) {
        // By number, as a compile keeps its tables, and from Flow objects, as a compile session's.
        expect(h).toBeInstanceOf(CompactHostTable);
        expect(plain(reader.readTable(h, 'h.flows'))).toEqual(fromText(h.flows));
        expect(plain(reader.read(h.flows, 'h.flows'))).toEqual(fromText(h.flows));
      }
    }
    expect(reader.textParsed).toBe(0);
    // What the verdict engine keys action lists by, without printing lines: the line's own part.
    for (const flow of compiles.flatMap(({ hosts }) => hosts.flatMap((h) => reader.readTable(h, 'h.flows')))) expect(flow.actionsText).toBe(flow.text.slice(flow.text.indexOf('actions=')));
    // A trace's "matched line N" is line N of the preview.
    const [first] = compiles[0]!.hosts;
    const preview = formatHostTable(first!.host, NAMED, first!.flows).split('\n');
    for (const flow of reader.readTable(first!, 'h.flows')) expect(preview[flow.line - 1]).toBe(flow.text);
  });

  it('gives tables that print alike one digest, and tables that differ in any field, or in order, another', () => {
    const flow = (match: string, actions: string[], priority = 10, cookie = '0x1', table = 20): Flow => ({ table, priority, cookie, match, actions });
    const base = [flow('ip,nw_src=10.0.0.1', ['drop']), flow('tcp,tp_dst=80', ['conjunction(1,2/2)'], 10, '0x2'), flow('', ['goto_table:30'], 0)];
    const variants = [
      [flow('ip,nw_src=10.0.0.2', ['drop']), base[1]!, base[2]!],
      [flow('ip,nw_src=10.0.0.1', ['drop'], 11), base[1]!, base[2]!],
      [flow('ip,nw_src=10.0.0.1', ['drop'], 10, '0x3'), base[1]!, base[2]!],
      [flow('ip,nw_src=10.0.0.1', ['drop'], 10, '0x1', 30), base[1]!, base[2]!],
      [base[0]!, flow('tcp,tp_dst=80', ['conjunction(1,1/2)'], 10, '0x2'), base[2]!],
      [base[1]!, base[0]!, base[2]!],
      base.slice(0, 2),
    ];
    const reader = new CompiledFlowReader();
    const digest = (flows: readonly Flow[]): string | undefined => reader.digestOf(reader.read(flows, 'h.flows'));
    const digests = [digest(base), ...variants.map(digest)];
    expect(digests.every((d) => d !== undefined)).toBe(true);
    expect(new Set(digests).size).toBe(digests.length);
    // The same flows as other objects, and read by number as a compile keeps them, print alike.
    expect(digest(base.map((f) => ({ ...f, actions: [...f.actions] })))).toBe(digests[0]);
    const other = new CompiledFlowReader();
    const sorted = compact(base);
    expect(other.digestOf(other.readTable(sorted, 'h.flows'))).toBe(digest(sorted.flows));
    // A table read through the text parse has none.
    const repeated = [flow('ip', ['drop']), flow('ip', ['NORMAL'])];
    expect(reader.digestOf(reader.read(repeated, 'h.flows'))).toBeUndefined();
  });

  it('gives each table its own digest: a change to one table leaves the others', () => {
    const flow = (match: string, actions: string[], table: number): Flow => ({ table, priority: 10, cookie: '0x1', match, actions });
    const base = [flow('ip,nw_src=10.0.0.1', ['drop'], 20), flow('tcp,tp_dst=80', ['drop'], 30), flow('', ['goto_table:30'], 20)];
    const changed = [base[0]!, flow('tcp,tp_dst=81', ['drop'], 30), base[2]!];
    const reader = new CompiledFlowReader();
    const digests = (flows: readonly Flow[]): ReadonlyMap<number, string> => reader.tableDigestsOf(reader.read(flows, 'h.flows'))!;
    const [before, after] = [digests(base), digests(changed)];
    expect([...before.keys()]).toEqual([20, 30]);
    expect(after.get(20)).toBe(before.get(20));
    expect(after.get(30)).not.toBe(before.get(30));
    // A host's digest is of its grouped tables: flows of two tables interleaved otherwise give the same one.
    expect(reader.digestOf(reader.read([base[0]!, base[2]!, base[1]!], 'h.flows'))).toBe(reader.digestOf(reader.read(base, 'h.flows')));
  });

  it('leaves to the text parse what it cannot vouch for: repeated identities, fields in a match, flows that do not parse', () => {
    const flow = (match: string, actions: string[], priority = 10): Flow => ({ table: 20, priority, cookie: '0x1', match, actions });
    // Each case read from Flow objects and by number, as a compile keeps them.
    const read = (flows: readonly Flow[], textParsed: number): SimFlow[][] => {
      const [fromObjects, byNumber] = [new CompiledFlowReader(), new CompiledFlowReader()];
      const both = [fromObjects.read(flows, 'h.flows'), byNumber.readTable(compact(flows), 'h.flows')].map(plain);
      expect([fromObjects.textParsed, byNumber.textParsed]).toEqual([textParsed, textParsed]);
      return both;
    };
    const repeated = [flow('ip,nw_src=10.0.0.1', ['drop']), flow('ip,nw_src=10.0.0.1', ['goto_table:30'])];
    expect(read(repeated, 1)).toEqual([fromText(repeated), fromText(repeated)]);
    const blanks = [flow('', ['NORMAL '])];
    expect(read(blanks, 0)).toEqual([fromText(blanks), fromText(blanks)]);
    const fields = [flow('ip,priority=7', ['drop'])];
    expect(read(fields, 1)).toEqual([fromText(fields), fromText(fields)]);
    for (const [flows, error] of [
      // Its errors name the preview's line (two header lines, a blank and the table's comment first).
      [[flow('ip,nw_src=10.0.0.300', ['drop'])], /h\.flows does not parse:\n {2}MS\d+ line 5: /],
      [[flow('arp', ['ct(commit)'])], /does not parse/],
      // One action list shared by an IP flow and one without IP: only the IP flow may conntrack.
      [[flow('ip', ['ct(table=10)']), flow('arp', ['ct(table=10)'], 11)], /ct\(\) needs ip or ipv6/],
    ] as const) {
      expect(() => new CompiledFlowReader().read(flows, 'h.flows')).toThrow(error);
      expect(() => new CompiledFlowReader().readTable(compact(flows), 'h.flows')).toThrow(error);
      expect(() => new CompiledFlowReader().read(flows, 'h.flows')).toThrow(FlowTextError);
    }
  });
});
