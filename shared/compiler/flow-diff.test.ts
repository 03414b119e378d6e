import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseInventoryFile } from '../inventory/static-file';
import { parsePolicyFile } from '../policy/policy-file';
import { compilePolicy } from './compile';
import { diffCompiles } from './flow-diff';

const read = (path: string): string => readFileSync(new URL(path, import.meta.url), 'utf8');
const policy = parsePolicyFile(read('../../examples/three-tier-shop/policy.yaml'), 'policy.yaml').policy!;
const inventory = parseInventoryFile(read('../../examples/three-tier-shop/inventory.yaml'), 'inventory.yaml', 'x').inventory!;

describe('diffCompiles', () => {
  const before = compilePolicy(policy, inventory);

  it('reports nothing when nothing changed', () => {
    expect(diffCompiles(before, compilePolicy(policy, inventory))).toEqual([]);
  });

  it('relabelling one workload changes only the tables that mention it, by a handful of flows', () => {
    const relabelled = { ...inventory, workloads: inventory.workloads.map((w) => (w.name === 'metrics' ? { ...w, labels: { tier: 'web' } } : w)) };
    const changes = diffCompiles(before, compilePolicy(policy, relabelled));
    const total = changes.reduce((n, c) => n + c.add.length + c.remove.length, 0);
    expect(changes.map((c) => c.host)).toEqual(['host-a', 'host-b']);
    expect(total).toBeGreaterThan(0);
    expect(total).toBeLessThan(20);
    // metrics (10.20.4.41) now opens connections to app as a web member.
    expect(changes[0]!.add.some((f) => f.match === 'ip,nw_src=10.20.4.41' && f.actions.join().includes('conjunction('))).toBe(true);
  });

  it('a workload removed from one host changes its own host, and the others only where rules name it', () => {
    const removed = { ...inventory, workloads: inventory.workloads.filter((w) => w.name !== 'db-1') };
    const changes = diffCompiles(before, compilePolicy(policy, removed));
    const hostA = changes.find((c) => c.host === 'host-a');
    expect(hostA?.remove.map((f) => f.match)).toContain('ip,nw_dst=10.20.3.31');
    expect(hostA?.add).toEqual([]);
  });
});
