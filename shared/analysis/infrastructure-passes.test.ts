import { describe, expect, it } from 'vitest';
import { compilePolicy } from '../compiler/compile';
import { formatFlow } from '../compiler/flow';
import type { Inventory } from '../inventory/model';
import type { Policy } from '../policy/model';
import { parseFlowTextStrict } from '../simulator/flow-parser';
import { addressHosts, loadHostTables, simulatePath, type HostFlowTables } from '../simulator/path';
import { groupByTable } from '../simulator/simulate';
import { digestOf } from '../simulator/table-digest';
import { changeImpact, impactChangesSomething, type ChangeImpact } from './impact';
import { infrastructureChangeLine } from './infrastructure-changes';
import { unknownPassLines, withoutInfrastructurePasses } from './infrastructure-passes';
import { reachabilityMatrix } from './matrix';
import { matrixCsvChunks, matrixJson, matrixTextLines } from './matrix-format';
import { formatServices, isEmptyServiceSet } from './service-set';
import { allGroupCells } from './testing/matrix-cells';

// QA's defect: neighbour discovery passes table 0 for every IPv6 pair, so every IPv6 cell showed
// it as an opened service and only a few group pairs came out closed.

const workload = (name: string, host: string, address: string, tier: string): Inventory['workloads'][number] => ({
  id: `s/${name}`,
  name,
  host,
  addresses: [address],
  labels: { tier },
  origin: { kind: 'static', source: 's' },
});

const inventory: Inventory = {
  readAt: '2026-01-01T00:00:00Z',
  workloads: [
    workload('web-1', 'h1', 'fd00::1', 'web'),
    workload('web-2', 'h2', 'fd00::2', 'web'),
    workload('app-1', 'h2', 'fd00::3', 'app'),
    workload('db-1', 'h1', 'fd00::4', 'db'),
    workload('ops-1', 'h1', 'fd00::5', 'ops'),
  ],
};

const policy: Policy = {
  apiVersion: 'microseg.dev/v1',
  name: 'v6',
  revision: 1,
  defaults: { withinGroup: 'allow', betweenGroups: 'drop' },
  groups: ['web', 'app', 'db', 'ops'].map((tier) => ({ name: tier, selector: { labels: `tier=${tier}` } })),
  edges: [
    {
      id: 'web-app',
      from: 'web',
      to: 'app',
      services: [{ protocol: 'tcp', ports: { from: 8080, to: 8080 } }],
      action: 'allow',
    },
    { id: 'ops-db', from: 'ops', to: 'db', services: [{ protocol: 'icmp' }], action: 'allow' },
  ],
};

function tablesOf(p: Policy): HostFlowTables {
  const compiled = compilePolicy(p, inventory);
  expect(compiled.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return loadHostTables(compiled.hosts);
}

describe('the matrix and infrastructure traffic', () => {
  const tables = tablesOf(policy);
  const matrix = reachabilityMatrix(policy, inventory, tables);
  const cells = allGroupCells(matrix);
  const cell = (from: string, to: string) => cells[matrix.groups.indexOf(from)]![matrix.groups.indexOf(to)]!;

  it('shows closed the IPv6 group pairs that only neighbour discovery passes, though the switch does pass it', () => {
    for (const [from, to] of [
      ['db', 'web'],
      ['web', 'db'],
      ['app', 'web'],
      ['web', 'ops'],
    ]) {
      expect(isEmptyServiceSet(cell(from!, to!).always), `${from} → ${to}`).toBe(true);
      expect(isEmptyServiceSet(cell(from!, to!).sometimes), `${from} → ${to}`).toBe(true);
    }
    // Only web → web (app, db and ops have one member each: no pairs), web → app and ops → db are open.
    expect([...matrixTextLines(matrix)]).toContain('4 groups; 13 of 16 ordered pairs permit nothing.');
    expect(matrixJson(matrix)).toMatchObject({ closedPairs: 13 });
    // The switch really lets it through: the cells leave it out, they do not deny it.
    const db = { address: 'fd00::4', host: 'h1' };
    const web = { address: 'fd00::2', host: 'h2' };
    const solicitation = simulatePath(tables, db, web, { protocol: 'icmp', icmpType: 135, icmpCode: 0 }, 'new', {
      hostOf: addressHosts(inventory.workloads),
    });
    expect(solicitation.verdict).toBe('permitted');
  });

  it('still shows ICMPv6 where an edge permits it, every type, and only what the edge permits elsewhere', () => {
    expect(formatServices(cell('ops', 'db').always)).toBe('icmp');
    expect(formatServices(cell('web', 'app').always)).toBe('tcp/8080');
    expect(formatServices(cell('web', 'web').always)).toBe('any');
  });

  it('says what it leaves out, in the text, the CSV (on its own, see the CLI) and the JSON', () => {
    expect(matrix.leftOut).toEqual(['neighbour-discovery']);
    const note =
      'IPv6 neighbour discovery (ICMPv6 types 133-136) passes between every pair whatever the policy, and is not shown.';
    expect([...matrixTextLines(matrix)].at(-1)).toBe(note);
    expect([...matrixCsvChunks(matrix)].join('\n')).not.toContain('icmp/133-136');
    expect(matrixJson(matrix)).toMatchObject({
      infrastructureNotShown: ['IPv6 neighbour discovery (ICMPv6 types 133-136)'],
    });
  });

  it('names DHCP too when the policy lets it through, and nothing on an IPv4 inventory without it', () => {
    const withDhcp = { ...policy, infrastructure: { dhcp: true, dnsResolvers: [] } };
    // With IPv6 addresses, DHCPv6 passes too: its client asks from a link-local address.
    expect(withoutInfrastructurePasses(tablesOf(withDhcp))).toMatchObject({ leftOut: ['dhcp', 'dhcpv6', 'neighbour-discovery'], unknownPasses: [] });
    const v4: Inventory = {
      ...inventory,
      workloads: inventory.workloads.map((w, i) => ({ ...w, addresses: [`10.0.0.${i + 1}`] })),
    };
    const v4Tables = loadHostTables(compilePolicy(policy, v4).hosts);
    expect(reachabilityMatrix(policy, v4, v4Tables).leftOut).toEqual([]);
    expect([...matrixTextLines(reachabilityMatrix(policy, v4, v4Tables))].at(-1)).toBe(
      '4 groups; 13 of 16 ordered pairs permit nothing.',
    );
  });

  it('keeps DNS to the named resolvers in the cells: a rule of the policy, towards some destinations only', () => {
    const withDns = { ...policy, infrastructure: { dhcp: false, dnsResolvers: ['fd00::4'] } };
    const dns = reachabilityMatrix(withDns, inventory, tablesOf(withDns));
    const dnsCells = allGroupCells(dns);
    expect(formatServices(dnsCells[dns.groups.indexOf('web')]![dns.groups.indexOf('db')]!.always)).toBe(
      'tcp/53, udp/53',
    );
    expect(isEmptyServiceSet(dnsCells[dns.groups.indexOf('db')]![dns.groups.indexOf('web')]!.always)).toBe(true);
  });
});

// The same defect in the impact: a change that brings IPv6 in (here the workloads gain IPv6
// addresses, as against what the hosts run) listed neighbour discovery as newly permitted
// between every group pair, and `microseg impact` exited 1 for it.
describe('the impact and infrastructure traffic', () => {
  const v4: Inventory = { ...inventory, workloads: inventory.workloads.map((w, i) => ({ ...w, addresses: [`10.0.0.${i + 1}`] })) };
  const dualStack: Inventory = { ...v4, workloads: v4.workloads.map((w, i) => ({ ...w, addresses: [...w.addresses, `fd00::${i + 1}`] })) };
  const side = (p: Policy, on: Inventory) => ({ policy: p, tables: loadHostTables(compilePolicy(p, on).hosts) });
  const listed = (impact: ChangeImpact): string[] =>
    impact.entries.map((e) => `${e.from} → ${e.to}: +${formatServices(e.newlyPermitted)} -${formatServices(e.newlyBlocked)}`);

  for (const scope of ['changed-flows', 'every-pair'] as const)
    it(`lists only what the policy's rules newly permit over IPv6, an ICMP edge's every type included (${scope})`, () => {
      const impact = changeImpact(side(policy, v4), side(policy, dualStack), dualStack, { scope });
      expect(impact.stats.scope).toBe(scope);
      expect(listed(impact)).toEqual(['ops → db: +icmp -none', 'web → app: +tcp/8080 -none', 'web → web: +any -none']);
      expect(impact.leftOut).toEqual(['neighbour-discovery']);
    });

  it('keeps the digests of tables loaded from compiles, so the comparison still skips the hosts a change left alone', () => {
    const once = tablesOf(policy);
    const twice = tablesOf(policy);
    const [a, b] = [withoutInfrastructurePasses(once).tables.get('h1')!, withoutInfrastructurePasses(twice).tables.get('h1')!];
    expect(a).not.toBe(once.get('h1'));
    expect(digestOf(a)).toBeDefined();
    expect(digestOf(a)).toBe(digestOf(b));
    expect(digestOf(a)).not.toBe(digestOf(once.get('h1')!));
    expect(digestOf(a.get(0)!)).toBe(digestOf(b.get(0)!));
  });

  it('lists no connection when only IPv6 and DHCP come in, says what it left out, and names where those passes came in', () => {
    const withDhcp = { ...policy, infrastructure: { dhcp: true, dnsResolvers: [] } };
    const onlyOps: Inventory = { ...v4, workloads: v4.workloads.map((w) => (w.name === 'ops-1' ? { ...w, addresses: [...w.addresses, 'fd00::5'] } : w)) };
    const impact = changeImpact(side(policy, v4), side(withDhcp, onlyOps), onlyOps);
    expect(listed(impact)).toEqual([]);
    expect(impact.leftOut).toEqual(['dhcp', 'dhcpv6', 'neighbour-discovery']);
    // All come in on every host; neighbour discovery is said not to be the policy's doing.
    expect(impact.infrastructureChanges.map(infrastructureChangeLine)).toEqual([
      "DHCP (UDP 67 and 68) now passes on h1, h2 ahead of the policy's rules",
      "DHCPv6 (UDP 546 and 547) now passes on h1, h2 ahead of the policy's rules",
      'IPv6 neighbour discovery (ICMPv6 types 133-136) now passes on h1, h2: it comes with the first IPv6 address and is not a change of what the policy permits',
    ]);
    expect(impactChangesSomething(impact)).toBe(true);
    const same = changeImpact(side(policy, v4), side(policy, v4), v4);
    expect([same.leftOut, same.infrastructureChanges, impactChangesSomething(same)]).toEqual([[], [], false]);
  });

  // QA's defect: DHCP turned off was no change at all (exit 0), though every host's switch
  // stopped passing it: both sides are read without it, so no entry could show it.
  it('names DHCP turned off as a change of its own, host by host', () => {
    const on = { ...policy, infrastructure: { dhcp: true, dnsResolvers: [] } };
    const off = { ...policy, infrastructure: { dhcp: false, dnsResolvers: [] } };
    const impact = changeImpact(side(on, v4), side(off, v4), v4);
    expect(listed(impact)).toEqual([]);
    expect(impact.infrastructureChanges).toEqual([{ traffic: 'dhcp', change: 'no longer passes', hosts: ['h1', 'h2'] }]);
    expect(infrastructureChangeLine(impact.infrastructureChanges[0]!)).toBe("DHCP (UDP 67 and 68) no longer passes on h1, h2 ahead of the policy's rules");
    expect(impactChangesSomething(impact)).toBe(true);
  });

  it('says neighbour discovery goes with the last IPv6 address', () => {
    expect(changeImpact(side(policy, dualStack), side(policy, v4), v4).infrastructureChanges.map(infrastructureChangeLine)).toEqual([
      'IPv6 neighbour discovery (ICMPv6 types 133-136) no longer passes on h1, h2: it goes with the last IPv6 address',
    ]);
  });
});

// Support's defect: the impact against what the hosts run threw when a switch held a flow under
// the pipeline's cookie, made by hand, that passes IP traffic in table 0: the analysis had no
// name for it. Deploying removes that flow (a deploy replaces every flow under our cookie), so
// the user has to hear of it, and what it passes has to count.
describe('the impact against deployed flows the pipeline never writes', () => {
  const v4: Inventory = { ...inventory, workloads: inventory.workloads.map((w, i) => ({ ...w, addresses: [`10.0.0.${i + 1}`] })) };
  const compiled = compilePolicy(policy, v4);
  /** Each host's flows as `ovs-ofctl dump-flows` gives them back, with these lines added to h2's. */
  const deployed = (h2: string[]): HostFlowTables =>
    new Map(compiled.hosts.map((h) => [h.host, groupByTable(parseFlowTextStrict([...h.flows.map(formatFlow), ...(h.host === 'h2' ? h2 : [])].join('\n'), h.host))]));
  const listed = (impact: ChangeImpact): string[] => impact.entries.map((e) => `${e.from} → ${e.to}: +${formatServices(e.newlyPermitted)} -${formatServices(e.newlyBlocked)}`);
  const ssh = 'cookie=0x4d53000000000000, table=0, priority=150,tcp,tp_dst=22 actions=NORMAL';

  for (const scope of ['changed-flows', 'every-pair'] as const)
    it(`counts what such a pass lets through, and names it with its host, table, priority and match (${scope})`, () => {
      const impact = changeImpact({ policy, tables: deployed([ssh]) }, { policy, tables: loadHostTables(compiled.hosts) }, v4, { scope });
      // web-2 and app-1 are on h2, whose switch passes SSH before any policy: between them, and
      // between them and outside addresses (no switch of ours on the way). Deploying ends that.
      expect(listed(impact)).toEqual([
        '(outside) → app: +none -tcp/22',
        '(outside) → web: +none -tcp/22',
        'app → (outside): +none -tcp/22',
        'app → web: +none -tcp/22',
        'web → (outside): +none -tcp/22',
        'web → app: +none -tcp/22',
      ]);
      expect(impact.unknownPasses).toEqual([{ host: 'h2', table: 0, priority: 150, match: 'tcp,tp_dst=22', cookie: '0x4d53000000000000' }]);
      expect(impact.leftOut).toEqual([]);
    });

  it("takes a flow under the pipeline's or DHCP's cookie for their traffic only when it passes that traffic alone", () => {
    // Before, all of ICMPv6 went as neighbour discovery and all of UDP as DHCP, unsaid.
    const allIcmp6 = 'cookie=0x4d53000000000000, table=0, priority=150,icmp6 actions=NORMAL';
    const allUdp = 'cookie=0x4d53050000000000, table=0, priority=150,udp actions=NORMAL';
    const impact = changeImpact({ policy, tables: deployed([allIcmp6, allUdp]) }, { policy, tables: loadHostTables(compiled.hosts) }, v4);
    expect(impact.unknownPasses.map((p) => `${p.cookie} ${p.match}`)).toEqual(['0x4d53000000000000 icmp6', '0x4d53050000000000 udp']);
    expect(impact.leftOut).toEqual([]);
    expect(listed(impact)).toContain('app → web: +none -udp');
  });

  it('says where each is, in a sentence for the list, the deploy question and the command line', () => {
    const impact = changeImpact({ policy, tables: deployed([ssh]) }, { policy, tables: loadHostTables(compiled.hosts) }, v4);
    expect(unknownPassLines(impact.unknownPasses)).toEqual([
      "A flow under Microseg's cookie that this policy did not write passes IP traffic before any policy; the comparison counts what it passes, and a deploy removes it:",
      'h2, table 0, priority 150: tcp,tp_dst=22',
    ]);
    const everything = 'cookie=0x4d53000000000000, table=0, priority=140 actions=NORMAL';
    const two = changeImpact({ policy, tables: deployed([ssh, everything]) }, { policy, tables: loadHostTables(compiled.hosts) }, v4);
    expect(unknownPassLines(two.unknownPasses)).toEqual([
      "2 flows under Microseg's cookie that this policy did not write pass IP traffic before any policy; the comparison counts what they pass, and a deploy removes them:",
      'h2, table 0, priority 150: tcp,tp_dst=22',
      'h2, table 0, priority 140: every packet',
    ]);
    expect(unknownPassLines([])).toEqual([]);
  });
});
