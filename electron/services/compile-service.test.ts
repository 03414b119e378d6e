import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CompileOutcome } from '@shared/api/contract';
import { compilePolicy } from '@shared/compiler/compile';
import { formatHostTable } from '@shared/compiler/table-text';
import { parseInventoryFile } from '@shared/inventory/static-file';
import type { Inventory } from '@shared/inventory/model';
import { parsePolicyFile } from '@shared/policy/policy-file';
import type { Policy } from '@shared/policy/model';
import { describe, expect, it } from 'vitest';
import { CompileService } from './compile-service';
import { createLogger } from './logger';

const example = join(__dirname, '..', '..', 'examples', 'three-tier-shop');
const policy = parsePolicyFile(readFileSync(join(example, 'policy.yaml'), 'utf8'), 'policy.yaml').policy!;
const inventory = parseInventoryFile(readFileSync(join(example, 'inventory.yaml'), 'utf8'), 'inventory.yaml', 'x').inventory!;

/** What a full compile and print give: the patched outcome must be the same. */
function fresh(p: Policy, inv: Inventory): unknown {
  const result = compilePolicy(p, inv);
  return { ...result, hosts: result.hosts.map((h) => ({ ...h, text: formatHostTable(h.host, p, h.flows) })) };
}

/** The outcome without what differs between two ways of getting it: times, and whether it was patched. */
function withoutTimes(outcome: CompileOutcome): unknown {
  const rest: Partial<CompileOutcome> = { ...outcome };
  delete rest.durationMs;
  delete rest.formatMs;
  delete rest.patchedWorkloads;
  return rest;
}

describe('CompileService', () => {
  const log = createLogger({ level: 'error' });

  it('patches the last compile when a live inventory changes a few workloads, with the same result as compiling anew', () => {
    const service = new CompileService(log);
    expect(service.compile(policy, inventory).patchedWorkloads).toBeUndefined();
    const relabelled: Inventory = { ...inventory, workloads: inventory.workloads.map((w) => (w.name === 'app-2' ? { ...w, labels: { ...w.labels, tier: 'web' } } : w)) };
    const patched = service.compile(policy, relabelled);
    expect(patched.patchedWorkloads).toBe(1);
    expect(withoutTimes(patched)).toEqual(fresh(policy, relabelled));
    const removed: Inventory = { ...relabelled, workloads: relabelled.workloads.filter((w) => w.name !== 'web-2') };
    const again = service.compile(policy, removed);
    expect(again.patchedWorkloads).toBe(1);
    expect(withoutTimes(again)).toEqual(fresh(policy, removed));
  });

  it('compiles anew when two workloads share an id, as a session cannot tell them apart', () => {
    const service = new CompileService(log);
    service.compile(policy, inventory);
    const twin: Inventory = { ...inventory, workloads: [...inventory.workloads, { ...inventory.workloads[0]!, name: 'twin', addresses: ['10.20.1.99'] }] };
    const outcome = service.compile(policy, twin);
    expect(outcome.patchedWorkloads).toBeUndefined();
    expect(withoutTimes(outcome)).toEqual(fresh(policy, twin));
    expect(withoutTimes(service.compile(policy, twin))).toEqual(fresh(policy, twin));
  });

  it('compiles anew when the policy changes', () => {
    const service = new CompileService(log);
    service.compile(policy, inventory);
    const edited: Policy = { ...policy, edges: policy.edges.slice(1) };
    const outcome = service.compile(edited, inventory);
    expect(outcome.patchedWorkloads).toBeUndefined();
    expect(withoutTimes(outcome)).toEqual(fresh(edited, inventory));
  });
});
