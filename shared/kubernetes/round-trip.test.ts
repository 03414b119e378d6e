import { describe, expect, it } from 'vitest';
import { reachabilityMatrix, type ReachabilityMatrix } from '../analysis/matrix';
import { formatServices, isEmptyServiceSet, serviceSetsEqual } from '../analysis/service-set';
import { compilePolicy } from '../compiler/compile';
import type { Policy } from '../policy/model';
import { loadHostTables } from '../simulator/path';
import { parsePolicyFile } from '../policy/policy-file';
import { exportNetworkPolicies } from './export';
import { importNetworkPolicies } from './import';
import { parseNetworkPolicies } from './network-policy-file';
import { CLUSTER, verdicts, type Connection } from './testing/cluster';

// Export then import must keep the design's connectivity: every pair of parties (pods, a VM,
// outside addresses; at least one end a pod, since NetworkPolicy governs pods only) on a set of
// services, through the compiled tables of both designs.

const DESIGN = `apiVersion: microseg.dev/v1
kind: Policy
metadata: { name: shop }
defaults: { withinGroup: allow, betweenGroups: drop }
infrastructure: { dhcp: false, dnsResolvers: [10.96.0.10] }
groups:
  - { name: web, selector: { namespace: default, labels: app=web }, isolated: true }
  - { name: db, selector: { namespace: default, labels: app=db } }
  - { name: alice, selector: { namespaceLabels: user=alice } }
  - { name: frontends, selector: { namespace: '*', labels: role=frontend } }
  - { name: internet, selector: { cidrs: [0.0.0.0/0], except: [10.0.0.0/8, 172.17.1.0/24] } }
edges:
  - { id: alice-web, from: alice, to: web, services: [tcp/http] }
  - { id: web-db, from: web, to: db, services: [tcp/redis] }
  - { id: frontends-db, from: frontends, to: db, services: [tcp/6000-7000, sctp] }
  - { id: internet-web, from: internet, to: web, services: [tcp/80, tcp/8080] }
  - { id: db-out, from: db, to: internet, services: [udp/53, tcp/443] }
`;

const PARTIES = [...CLUSTER.workloads.map((w) => (w.namespace ? `${w.namespace}/${w.name}` : w.name)), '203.0.113.9', '172.17.1.5', '10.96.0.10'];
const SERVICES: Pick<Connection, 'protocol' | 'port'>[] = [
  { protocol: 'tcp', port: 80 },
  { protocol: 'tcp', port: 8080 },
  { protocol: 'tcp', port: 9000 },
  { protocol: 'tcp', port: 6379 },
  { protocol: 'tcp', port: 443 },
  { protocol: 'tcp', port: 22 },
  { protocol: 'udp', port: 53 },
  { protocol: 'sctp', port: 3868 },
];

/** What each workload may open to each other one, exactly, from the design's compiled tables. */
function workloadReach(policy: Policy): NonNullable<ReachabilityMatrix['workloads']> {
  const matrix = reachabilityMatrix(policy, CLUSTER, loadHostTables(compilePolicy(policy, CLUSTER).hosts));
  if (!matrix.workloads) throw new Error('the test cluster is small enough for a workload matrix');
  return matrix.workloads;
}

describe('NetworkPolicy round trip', () => {
  it('export then import keeps every connection between a pod and anyone, on every probed service', () => {
    const design = parsePolicyFile(DESIGN, 'design.yaml').policy!;
    const exported = exportNetworkPolicies(design, CLUSTER);
    expect(exported.warnings).toEqual([]);
    expect(exported.files.map((f) => f.namespace)).toEqual(['default', 'dev', 'prod']);

    const parsed = exported.files.map((f) => parseNetworkPolicies(f.yaml, `${f.namespace}.yaml`));
    expect(parsed.flatMap((p) => p.diagnostics)).toEqual([]);
    const back = importNetworkPolicies(parsed.flatMap((p) => p.policies), 'shop').policy;

    const isPod = (party: string): boolean => party.includes('/');
    let compared = 0;
    let permitted = 0;
    for (const from of PARTIES)
      for (const to of PARTIES) {
        if (from === to || !(isPod(from) || isPod(to))) continue;
        for (const service of SERVICES) {
          const c = { from, to, ...service };
          const before = verdicts(design, CLUSTER, c);
          const after = verdicts(back, CLUSTER, c);
          expect(before.tables, `${service.protocol} ${from} -> ${to}:${service.port} (design vs reference)`).toBe(before.reference);
          expect(after.tables, `${service.protocol} ${from} -> ${to}:${service.port} after the round trip`).toBe(before.tables);
          compared++;
          if (before.tables) permitted++;
        }
      }
    expect(compared).toBeGreaterThan(600);
    expect(permitted).toBeGreaterThan(20);

    // The exact matrix, from each design's compiled tables: every port of every protocol for
    // every pair of workloads, not only the probed services.
    const original = workloadReach(design);
    const reimported = workloadReach(back);
    expect(reimported.names).toEqual(original.names);
    const differing = original.names.flatMap((from, i) =>
      original.names.flatMap((to, j) =>
        serviceSetsEqual(original.cells[i]![j]!.always, reimported.cells[i]![j]!.always) ? [] : [`${from} -> ${to}: ${formatServices(original.cells[i]![j]!.always)} became ${formatServices(reimported.cells[i]![j]!.always)}`],
      ),
    );
    expect(differing).toEqual([]);
    expect(original.cells.flat().filter((cell) => !isEmptyServiceSet(cell.always)).length).toBeGreaterThan(5);
  });

  it('refuses to leave out a deny or redirect edge whose connections an exported allow or within-group rule permits', () => {
    const withEdges = (edges: string): Policy => parsePolicyFile(DESIGN.replace('edges:', `edges:\n${edges}`), 'design.yaml').policy!;
    // Edges outrank the within-group rule: alice's two pods may talk, except on tcp/22.
    const inside = exportNetworkPolicies(withEdges('  - { id: alice-no-ssh, from: alice, to: alice, services: [tcp/22], action: deny }'), CLUSTER);
    expect(inside.files).toEqual([]);
    expect(inside.warnings.filter((w) => w.severity === 'error').map((w) => `${w.location?.path}: ${w.message}`)).toEqual([
      expect.stringMatching(/^edges\.0: edge "alice-no-ssh" \(deny\) stops connections that the within-group rule of group "alice" permits; .* nothing is exported$/),
    ]);
    const overlapping = exportNetworkPolicies(withEdges('  - { id: trap, from: frontends, to: db, services: [sctp/3868], action: redirect, redirectTo: x }'), CLUSTER);
    expect(overlapping.warnings.filter((w) => w.severity === 'error').map((w) => w.message)).toEqual([expect.stringMatching(/^edge "trap" \(redirect\) stops connections that allow edge "frontends-db" permits/)]);
    // Another protocol, or no members in common: the default-deny stops its connections as the design does
    // (a named port counts as every port of its protocol, so tcp/23 would meet web-db's tcp/redis).
    const apart = exportNetworkPolicies(withEdges('  - { id: no-tftp, from: frontends, to: db, services: [udp/69], action: deny }'), CLUSTER);
    expect(apart.files).not.toEqual([]);
    expect(apart.warnings.filter((w) => w.severity === 'error')).toEqual([]);
    expect(exportNetworkPolicies(withEdges('  - { id: no-ssh, from: db, to: db, services: [tcp/22], action: deny }'), undefined).warnings.map((w) => w.message)).toContainEqual(
      expect.stringMatching(/edge "no-ssh" \(deny\) cannot be left to the default-deny without knowing the workloads: export with --inventory/),
    );
  });

  it('lists what NetworkPolicy cannot say, naming the edge or group', () => {
    const design = parsePolicyFile(
      DESIGN.replace('betweenGroups: drop', 'betweenGroups: monitor').replace(
        'edges:',
        `  - { name: ops, selector: { image: 'prom/*' } }
edges:
  - { id: no-ssh, from: alice, to: db, services: [tcp/22], action: deny }
  - { id: watch, from: alice, to: db, services: [tcp/5432], action: log }
  - { id: ping, from: alice, to: db, services: [icmp] }
  - { id: scrape, from: ops, to: web, services: [tcp/9100] }`,
      ),
      'design.yaml',
    ).policy!;
    const exported = exportNetworkPolicies(design, CLUSTER);
    const messages = exported.warnings.map((w) => `${w.severity} ${w.code} ${w.location?.path ?? '-'}: ${w.message}`);
    // What permits traffic and cannot be said is refused: a default-deny without those allows would cut them.
    expect(exported.files).toEqual([]);
    expect(messages).toEqual([
      expect.stringMatching(/^error MS652 defaults.betweenGroups: the default "monitor" permits every connection/),
      expect.stringMatching(/^error MS653 groups.5.selector: group "ops" selects by image, .* would cut its allow edges "scrape"/),
      expect.stringMatching(/^warning MS651 edges.0: edge "no-ssh" \(deny\) is left out: .* nothing exported permits its connections/),
      expect.stringMatching(/^warning MS651 edges.1: edge "watch" logs; exported as a plain allow/),
      expect.stringMatching(/^error MS654 edges.2.services.0: edge "ping": service icmp cannot be said/),
      expect.stringMatching(/^error MS651 edges.3: edge "scrape" cannot be exported: its group "ops"/),
    ]);
  });
});
