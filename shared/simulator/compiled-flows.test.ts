import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compilePolicy } from '../compiler/compile';
import type { Flow } from '../compiler/flow';
import { formatHostTable } from '../compiler/table-text';
import type { Policy } from '../policy/model';
import { parseInventoryFile } from '../inventory/static-file';
import { parsePolicyFile } from '../policy/policy-file';
import { SIZES, syntheticEstate } from '../../scripts/bench/synthetic';
import { CompiledFlowReader } from './compiled-flows';
import { parseFlowTextStrict } from './flow-parser';

/** What parsing the host's preview text gives: the reader's shortcut must give the same, line numbers included. */
function fromText(flows: readonly Flow[], policy: Policy = NAMED): unknown {
  return parseFlowTextStrict(formatHostTable('h', policy, flows), 'h.flows');
}

const NAMED = { name: 'p', revision: 1 } as Policy;

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
    for (const { hosts } of compiles) for (const h of hosts) expect(reader.read(h.flows, 'h.flows')).toEqual(fromText(h.flows));
    // A trace's "matched line N" is line N of the preview.
    const [first] = compiles[0]!.hosts;
    const preview = formatHostTable(first!.host, NAMED, first!.flows).split('\n');
    for (const flow of reader.read(first!.flows, 'h.flows')) expect(preview[flow.line - 1]).toBe(flow.text);
  });

  it('leaves to the text parse what it cannot vouch for: repeated identities, fields in a match, flows that do not parse', () => {
    const flow = (match: string, actions: string[], priority = 10): Flow => ({ table: 20, priority, cookie: '0x1', match, actions });
    const repeated = [flow('ip,nw_src=10.0.0.1', ['drop']), flow('ip,nw_src=10.0.0.1', ['goto_table:30'])];
    expect(new CompiledFlowReader().read(repeated, 'h.flows')).toEqual(fromText(repeated));
    const blanks = [flow('', ['NORMAL '])];
    expect(new CompiledFlowReader().read(blanks, 'h.flows')).toEqual(fromText(blanks));
    const fields = [flow('ip,priority=7', ['drop'])];
    expect(new CompiledFlowReader().read(fields, 'h.flows')).toEqual(fromText(fields));
    expect(() => new CompiledFlowReader().read([flow('ip,nw_src=10.0.0.300', ['drop'])], 'h.flows')).toThrow(/h\.flows does not parse/);
    expect(() => new CompiledFlowReader().read([flow('arp', ['ct(commit)'])], 'h.flows')).toThrow(/does not parse/);
    // One action list shared by an IP flow and one without IP: only the IP flow may conntrack.
    const conntrack = ['ct(table=10)'];
    expect(() => new CompiledFlowReader().read([flow('ip', conntrack), flow('arp', conntrack, 11)], 'h.flows')).toThrow(/ct\(\) needs ip or ipv6/);
  });
});
