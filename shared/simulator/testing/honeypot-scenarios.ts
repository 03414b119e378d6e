// Test support only: policies whose honeypots open connections themselves, or take connections
// from outside the inventory, for the tests that hold the simulator, the verdict engine and
// Open vSwitch to one answer on them. hp (IPv4 only) sits on h1 with web-1, tarpit (dual stack)
// on h2 with db-1; the outside reaches both hosts through their uplinks.
import type { Inventory, Workload } from '../../inventory/model';
import type { Edge, Policy } from '../../policy/model';
import type { PathEnd, PathProbe } from '../path';

export interface HoneypotScenario {
  name: string;
  policy: Policy;
  inventory: Inventory;
  /** Connections (from, to, TCP port) the policy would redirect back to the honeypot that opens them: all dropped. */
  returning: readonly (readonly [string, string, number])[];
  /** Connections (to, TCP port, IP version) from OUTSIDE that the destination's host redirects to a honeypot behind its uplink: back out there. */
  uplink: readonly (readonly [string, number, 4 | 6])[];
}

/** A party outside the inventory: no host, reached through every host's uplink. */
export interface Outsider {
  name: string;
  addresses: string[];
  mac: string;
}

export const OUTSIDE: Outsider = { name: 'outside', addresses: ['203.0.113.9', '2001:db8::9'], mac: '02:00:00:00:00:77' };

/** One new connection to a workload of a scenario, from another or from OUTSIDE. */
export interface HoneypotConnection {
  from: Workload | Outsider;
  to: Workload;
  ends: [PathEnd, PathEnd];
  probe: PathProbe;
  /** Named in the scenario's `returning`: must be dropped. */
  returning: boolean;
  /** Named in the scenario's `uplink`: redirected back out through the uplink it came in by. */
  uplink: boolean;
}

/** A static workload of the test inventories (`mac` for one that may be a honeypot). */
export const workload = (
  name: string,
  host: string,
  addresses: string[],
  labels: Record<string, string>,
  mac?: string,
): Workload => ({
  id: `static:t/${name}`,
  name,
  host,
  addresses,
  labels,
  ...(mac ? { mac } : {}),
  origin: { kind: 'static', source: 't' },
});

/** `trapLabels`: the honeypots' labels, so they are in no group or in one. */
function inventory(trapLabels: { hp: Record<string, string>; tarpit: Record<string, string> }): Inventory {
  return {
    readAt: 'x',
    workloads: [
      workload('web-1', 'h1', ['10.0.1.1', 'fd00::11'], { tier: 'web' }, '02:42:0a:00:01:01'),
      workload('hp', 'h1', ['10.0.9.9'], trapLabels.hp, '02:42:0a:00:09:09'),
      workload('db-1', 'h2', ['10.0.2.1', 'fd00::21'], { tier: 'db' }, '02:42:0a:00:02:01'),
      workload('tarpit', 'h2', ['10.0.9.8', 'fd00::98'], trapLabels.tarpit, '02:42:0a:00:09:08'),
    ],
  };
}

const telnetToHp: Edge = {
  id: 'trap-telnet',
  from: 'web',
  to: 'db',
  services: [{ protocol: 'tcp', ports: { from: 23, to: 23 } }],
  action: 'redirect',
  redirectTo: 'hp',
};

/** From outside to db's SSH: to hp, which sits behind h2's uplink. */
const outsideSshToHp: Edge = {
  id: 'trap-outside-ssh',
  from: 'outside',
  to: 'db',
  services: [{ protocol: 'tcp', ports: { from: 22, to: 22 } }],
  action: 'redirect',
  redirectTo: 'hp',
};

const policy = (defaults: Policy['defaults'], edges: Edge[] = [telnetToHp]): Policy => ({
  apiVersion: 'microseg.dev/v1',
  name: 'honeypots',
  revision: 1,
  defaults,
  groups: [
    { name: 'web', selector: { labels: 'tier=web' } },
    { name: 'db', selector: { labels: 'tier=db' } },
    { name: 'outside', selector: { cidrs: ['203.0.113.0/24', '2001:db8::/32'] } },
  ],
  edges,
});

const trapDefault = policy({ withinGroup: 'allow', betweenGroups: 'redirect', redirectTo: 'tarpit' });
const ungrouped = inventory({ hp: { role: 'trap' }, tarpit: { role: 'trap' } });
const grouped = inventory({ hp: { tier: 'web' }, tarpit: { tier: 'db' } });

export const HONEYPOT_SCENARIOS: readonly HoneypotScenario[] = [
  {
    name: "the default's honeypot and an edge's, in no group",
    policy: trapDefault,
    inventory: ungrouped,
    returning: [
      ['tarpit', 'db-1', 80],
      ['tarpit', 'web-1', 9999],
      ['tarpit', 'hp', 23],
    ],
    uplink: [
      ['web-1', 23, 4],
      ['web-1', 80, 4],
      ['web-1', 9999, 6],
    ],
  },
  {
    name: 'both honeypots in a group',
    policy: trapDefault,
    inventory: grouped,
    returning: [
      ['tarpit', 'web-1', 80],
      ['hp', 'db-1', 23],
    ],
    uplink: [
      ['web-1', 23, 6],
      ['web-1', 80, 4],
      ['web-1', 9999, 4],
    ],
  },
  {
    name: "an edge's honeypot in the edge's source group, the default dropping",
    policy: policy({ withinGroup: 'allow', betweenGroups: 'drop' }),
    inventory: grouped,
    returning: [
      ['hp', 'db-1', 23],
      ['hp', 'tarpit', 23],
    ],
    uplink: [],
  },
  {
    name: "an edge from outside to a honeypot behind the other host's uplink, the default dropping",
    policy: policy({ withinGroup: 'allow', betweenGroups: 'drop' }, [telnetToHp, outsideSshToHp]),
    inventory: grouped,
    returning: [['hp', 'db-1', 23]],
    uplink: [
      ['db-1', 22, 4],
      ['tarpit', 22, 4],
    ],
  },
];

/** Ports that meet the edges (22, 23), within-group traffic or the default (80, 9999). */
const PORTS = [22, 23, 80, 9999];

/** Every new TCP connection to a workload from another or from OUTSIDE, of each family both have, on each port. */
export function honeypotConnections(scenario: HoneypotScenario): HoneypotConnection[] {
  const workloads = scenario.inventory.workloads;
  return [...workloads, OUTSIDE].flatMap((from) =>
    workloads.flatMap((to) =>
      from === to
        ? []
        : [4, 6].flatMap((family) => {
            const src = addressOf(from, family);
            const dst = addressOf(to, family);
            if (src === undefined || dst === undefined) return [];
            const ends: [PathEnd, PathEnd] = [
              'host' in from ? { address: src, host: from.host } : { address: src },
              { address: dst, host: to.host },
            ];
            return PORTS.map((dstPort) => ({
              from,
              to,
              ends,
              probe: { protocol: 'tcp' as const, srcPort: 40000, dstPort },
              returning: scenario.returning.some(
                ([a, b, port]) => a === from.name && b === to.name && port === dstPort,
              ),
              uplink: from === OUTSIDE && scenario.uplink.some(([b, port, v]) => b === to.name && port === dstPort && v === family),
            }));
          }),
    ),
  );
}

function addressOf(w: Workload | Outsider, family: number): string | undefined {
  return w.addresses.find((a) => a.includes(':') === (family === 6));
}
