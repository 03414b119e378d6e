import { parseArgs } from 'node:util';
import { seededRandom } from '../../shared/testing/seeded-random';
import type { Inventory, Workload } from '../../shared/inventory/model';
import type { Edge, Group, Policy, Service } from '../../shared/policy/model';
import { POLICY_API_VERSION } from '../../shared/policy/model';

export interface BenchSize {
  name: string;
  workloads: number;
  groups: number;
  edges: number;
  hosts: number;
}

export const SIZES: BenchSize[] = [
  { name: 'small', workloads: 1_000, groups: 100, edges: 300, hosts: 10 },
  { name: 'large', workloads: 10_000, groups: 1_000, edges: 5_000, hosts: 100 },
  { name: 'huge', workloads: 50_000, groups: 5_000, edges: 20_000, hosts: 500 },
];

const TIERS = ['web', 'api', 'worker', 'db', 'cache'];
const ENVS = ['prod', 'stage', 'dev'];

/**
 * A realistic synthetic estate: applications of uneven size (a few large, many small), each
 * with tiers and environments, spread over hosts. Groups overlap (per app, per app tier, per
 * app environment, per team tier), so most workloads are in two to four groups; an average
 * group holds about workloads/groups members, as the per-pair figures imply. Edges
 * mostly link groups of related apps and mix single ports, lists, ranges, UDP and ICMP;
 * one in ten edges denies or rejects.
 */
export function syntheticEstate(size: BenchSize, seed = 42): { policy: Policy; inventory: Inventory } {
  const rnd = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rnd() * items.length)]!;
  const apps = Math.max(1, Math.floor(size.groups / 2));
  const teams = Math.max(1, Math.floor(apps / 4));

  const workloads: Workload[] = [];
  for (let i = 0; i < size.workloads; i++) {
    // Skewed app sizes: a few big applications, many small ones.
    const app = Math.floor(apps * rnd() ** 1.3);
    const name = `w${i}`;
    workloads.push({
      id: `static:bench/${name}`,
      name,
      host: `host-${i % size.hosts}`,
      addresses: [`10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`],
      labels: { app: `app${app}`, tier: pick(TIERS), env: pick(ENVS), team: `team${app % teams}` },
      origin: { kind: 'static', source: 'bench' },
    });
  }

  const groups: Group[] = [];
  for (let g = 0; g < size.groups; g++) {
    const app = Math.floor(g / 2) % apps;
    const kind = g % 4;
    const labels =
      kind === 0 ? `app=app${app}`
      : kind === 1 ? `app=app${app},tier in (${pick(TIERS)},${pick(TIERS)})`
      : kind === 2 ? `team=team${app % teams},tier=${pick(TIERS)},env=${pick(ENVS)}`
      : `env=${pick(ENVS)},app=app${app}`;
    groups.push({ name: `g${g}`, selector: { labels }, isolated: rnd() < 0.1 });
  }

  const edges: Edge[] = [];
  for (let e = 0; e < size.edges; e++) {
    const from = Math.floor(rnd() * size.groups);
    // Most edges stay near their app's own groups, as real dependency graphs do.
    const to = rnd() < 0.7 ? (from + 1 + Math.floor(rnd() * 8)) % size.groups : Math.floor(rnd() * size.groups);
    const action = rnd() < 0.9 ? 'allow' : rnd() < 0.5 ? 'deny' : 'reject';
    edges.push({ id: `e${e}`, from: `g${from}`, to: `g${to}`, services: randomServices(rnd), action });
  }

  return {
    policy: { apiVersion: POLICY_API_VERSION, name: `bench-${size.name}`, revision: 1, defaults: { withinGroup: 'allow', betweenGroups: 'drop' }, groups, edges },
    inventory: { workloads, readAt: '2026-01-01T00:00:00Z' },
  };
}

function randomServices(rnd: () => number): Service[] {
  const count = 1 + Math.floor(rnd() * 3);
  const services: Service[] = [];
  for (let i = 0; i < count; i++) {
    const r = rnd();
    if (r < 0.6) {
      const port = [80, 443, 5432, 6379, 8080, 8443, 9090, 3306][Math.floor(rnd() * 8)]!;
      services.push({ protocol: 'tcp', ports: { from: port, to: port } });
    } else if (r < 0.8) {
      const from = 8000 + Math.floor(rnd() * 100);
      services.push({ protocol: 'tcp', ports: { from, to: from + Math.floor(rnd() * 60) } });
    } else if (r < 0.95) {
      services.push({ protocol: 'udp', ports: { from: 53, to: 53 } });
    } else {
      services.push({ protocol: 'icmp' });
    }
  }
  return services;
}

/** The one --size given, or exit 2 with what to give (a stack trace would say nothing more). */
export function sizeAsked(): BenchSize {
  const names = SIZES.map((s) => s.name).join(', ');
  try {
    const { values } = parseArgs({ options: { size: { type: 'string', multiple: true } } });
    const found = values.size?.length === 1 ? SIZES.find((s) => s.name === values.size![0]) : undefined;
    if (found) return found;
  } catch {
    // An unknown option or a missing value: answered below like a wrong size.
  }
  console.error(`usage: ${process.argv[1]} --size SIZE, SIZE one of ${names}`);
  process.exit(2);
}
