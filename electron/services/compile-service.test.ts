import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CompileOutcome, SimulatedPacket } from '@shared/api/contract';
import { compilePolicy } from '@shared/compiler/compile';
import { loadHostTablesSteps } from '@shared/analysis/steps';
import { CompiledFlowReader } from '@shared/simulator/compiled-flows';
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

/** What a full compile and print give, each host with its printed table: the patched outcome must be the same. */
function fresh(p: Policy, inv: Inventory): unknown {
  const result = compilePolicy(p, inv);
  return { ...result, hosts: result.hosts.map((h) => ({ host: h.host, flowCount: h.flows.length, workloadCount: h.workloadCount, text: formatHostTable(h.host, p, h.flows) })) };
}

/**
 * The outcome with each host's table as the service prints it on request, without what differs
 * between two ways of getting it: times, the compile's number, and whether it was patched.
 */
function withoutTimes(service: CompileService, outcome: CompileOutcome): unknown {
  const rest: Partial<CompileOutcome> = { ...outcome, hosts: outcome.hosts.map((h) => ({ ...h, text: service.hostTable(outcome.compileId, h.host).text })) };
  delete rest.durationMs;
  delete rest.compileId;
  delete rest.patchedWorkloads;
  delete rest.unchanged;
  return rest;
}

describe('CompileService', () => {
  const log = createLogger({ level: 'error' });

  it('patches the last compile when a live inventory changes a few workloads, with the same result as compiling anew', () => {
    const service = new CompileService(log);
    expect(service.compile(policy, inventory).patchedWorkloads).toBeUndefined();
    // The same input again keeps the result, and says so rather than "compiled in 0 ms".
    expect(service.compile(policy, inventory)).toMatchObject({ unchanged: true });
    const relabelled: Inventory = { ...inventory, workloads: inventory.workloads.map((w) => (w.name === 'app-2' ? { ...w, labels: { ...w.labels, tier: 'web' } } : w)) };
    const patched = service.compile(policy, relabelled);
    expect(patched.patchedWorkloads).toBe(1);
    expect(withoutTimes(service, patched)).toEqual(fresh(policy, relabelled));
    const removed: Inventory = { ...relabelled, workloads: relabelled.workloads.filter((w) => w.name !== 'web-2') };
    const again = service.compile(policy, removed);
    expect(again.patchedWorkloads).toBe(1);
    expect(withoutTimes(service, again)).toEqual(fresh(policy, removed));
  });

  it('compiles anew when two workloads share an id, as a session cannot tell them apart', () => {
    const service = new CompileService(log);
    service.compile(policy, inventory);
    const twin: Inventory = { ...inventory, workloads: [...inventory.workloads, { ...inventory.workloads[0]!, name: 'twin', addresses: ['10.20.1.99'] }] };
    const outcome = service.compile(policy, twin);
    expect(outcome.patchedWorkloads).toBeUndefined();
    expect(withoutTimes(service, outcome)).toEqual(fresh(policy, twin));
    const twice = service.compile(policy, twin);
    expect(withoutTimes(service, twice)).toEqual(fresh(policy, twin));
  });

  it('says a change it had to compile anew was not patched: a workload given a switch port changes its host\'s spoof guard', () => {
    const service = new CompileService(log);
    service.compile(policy, inventory);
    const guarded: Inventory = { ...inventory, workloads: inventory.workloads.map((w) => (w.name === 'web-1' ? { ...w, switchPort: 'veth-web1' } : w)) };
    const outcome = service.compile(policy, guarded);
    expect(outcome.patchedWorkloads).toBeUndefined();
    expect(withoutTimes(service, outcome)).toEqual(fresh(policy, guarded));
    expect(service.hostTable(outcome.compileId, 'host-a').text).toContain('in_port=veth-web1');
  });

  it('compiles anew when the policy changes', () => {
    const service = new CompileService(log);
    service.compile(policy, inventory);
    const edited: Policy = { ...policy, edges: policy.edges.slice(1) };
    const outcome = service.compile(edited, inventory);
    expect(outcome.patchedWorkloads).toBeUndefined();
    expect(withoutTimes(service, outcome)).toEqual(fresh(edited, inventory));
  });

  it('prints a host table and traces only for the latest compile, and says what to do about an older one', () => {
    const service = new CompileService(log);
    const first = service.compile(policy, inventory);
    const host = first.hosts[0]!.host;
    const web = inventory.workloads.find((w) => w.name === 'web-1')!;
    const app = inventory.workloads.find((w) => w.name === 'app-1')!;
    const from = { address: web.addresses[0]!, host: web.host };
    const to = { address: app.addresses[0]!, host: app.host };
    expect(service.trace(first.compileId, from, to, { protocol: 'tcp', dstPort: 8080 }, 'new').verdict).toBe('permitted');
    expect(service.trace(first.compileId, from, to, { protocol: 'tcp', dstPort: 22 }, 'new').verdict).toBe('dropped');
    expect(() => service.hostTable(first.compileId, 'no-such-host')).toThrow(/made no table for host "no-such-host"/);

    const second = service.compile(policy, inventory);
    expect(second.compileId).not.toBe(first.compileId);
    expect(() => service.hostTable(first.compileId, host)).toThrow(/no longer the latest .*: compile again/);
    expect(() => service.trace(first.compileId, from, to, { protocol: 'tcp', dstPort: 8080 }, 'new')).toThrow(/no longer the latest/);
    expect(service.hostTable(second.compileId, host).text).toContain('table=20');
  });

  it('traces the ICMP type and code asked, code 0 when none is', () => {
    const service = new CompileService(log);
    // A timestamp request of code 1 (no code but 0 is defined: the edge is about the code alone).
    const timestamp: Policy = { ...policy, edges: [...policy.edges, { id: 'web-to-app-time', from: 'web', to: 'app', services: [{ protocol: 'icmp', ports: { from: 13, to: 13 }, icmpCodes: { from: 1, to: 1 } }], action: 'allow' }] };
    const { compileId } = service.compile(timestamp, inventory);
    const web = { address: '10.20.1.11', host: 'host-a' };
    const app = { address: '10.20.2.21', host: 'host-a' };
    const verdict = (packet: SimulatedPacket): string => service.trace(compileId, web, app, packet, 'new').verdict;
    expect(verdict({ protocol: 'icmp', icmpType: 13, icmpCode: 1 })).toBe('permitted');
    expect(verdict({ protocol: 'icmp', icmpType: 13, icmpCode: 2 })).toBe('dropped');
    expect(verdict({ protocol: 'icmp', icmpType: 13 })).toBe('dropped');
    expect(verdict({ protocol: 'icmp' })).toBe('dropped');
  });

  it('lends the latest compile\'s loaded tables to an analysis of exactly what it compiled', async () => {
    const noProgress = (): void => undefined;
    const service = new CompileService(log);
    expect(await service.loadedTables(policy, inventory, noProgress)).toBeNull();
    service.compile(policy, inventory);
    const loaded = (await service.loadedTables(policy, inventory, noProgress))!;
    expect([...loaded.tables.keys()]).toEqual(['host-a', 'host-b']);
    // A trace then reads the tables the analysis loaded.
    const { compileId } = service.compile(policy, inventory);
    const web = { address: '10.20.1.11', host: 'host-a' };
    const app = { address: '10.20.2.21', host: 'host-a' };
    expect(service.trace(compileId, web, app, { protocol: 'tcp', dstPort: 8080 }, 'new').verdict).toBe('permitted');
    expect(service.trace(compileId, web, app, { protocol: 'tcp', dstPort: 22 }, 'new').verdict).toBe('dropped');
    expect(await service.loadedTables(policy, { ...inventory, workloads: [...inventory.workloads].reverse() }, noProgress)).toBe(loaded);
    expect(await service.loadedTables({ ...policy, edges: policy.edges.slice(1) }, inventory, noProgress)).toBeNull();
    // Compiling the same input again keeps what was loaded.
    service.compile(policy, inventory);
    expect(await service.loadedTables(policy, inventory, noProgress)).toBe(loaded);
    const relabelled: Inventory = { ...inventory, workloads: inventory.workloads.map((w) => (w.name === 'app-2' ? { ...w, labels: { ...w.labels, tier: 'web' } } : w)) };
    expect(await service.loadedTables(policy, relabelled, noProgress)).toBeNull();
    service.compile(policy, relabelled);
    expect(await service.loadedTables(policy, relabelled, noProgress)).not.toBe(loaded);
    expect(await service.loadedTables(policy, inventory, noProgress)).toBeNull();
  });

  it('loads the tables once for analyses that ask at the same time, a host per step', async () => {
    const service = new CompileService(log);
    const { hosts } = compilePolicy(policy, inventory);
    const steps = loadHostTablesSteps(hosts, new CompiledFlowReader());
    expect([steps.next().value, steps.next().value]).toEqual([
      { done: 1, total: 2, unit: 'host tables read' },
      { done: 2, total: 2, unit: 'host tables read' },
    ]);
    service.compile(policy, inventory);
    const [first, second] = await Promise.all([service.loadedTables(policy, inventory, () => undefined), service.loadedTables(policy, inventory, () => undefined)]);
    expect(first).not.toBeNull();
    expect(second).toBe(first);
  });

  it('tells every window which compile is the latest, so one holding another knows before it asks', () => {
    const events: unknown[] = [];
    const service = new CompileService(log, (event, payload) => events.push([event, payload]));
    const first = service.compile(policy, inventory).compileId;
    const second = service.compile(policy, inventory).compileId;
    expect(events).toEqual([
      ['compile:replaced', { latestCompileId: first }],
      ['compile:replaced', { latestCompileId: second }],
    ]);
  });

  it('refuses to trace a compile with errors, and says what to do', () => {
    const service = new CompileService(log);
    const broken: Policy = { ...policy, edges: [{ ...policy.edges[0]!, to: 'nope' }, ...policy.edges.slice(1)] };
    const { compileId } = service.compile(broken, inventory);
    expect(() => service.trace(compileId, { address: '10.20.1.11', host: 'host-a' }, { address: '10.20.2.21', host: 'host-a' }, { protocol: 'tcp', dstPort: 8080 }, 'new')).toThrow(
      /last compile has errors.*fix what Problems lists/,
    );
  });

  it('turns a packet the simulator refuses into an error naming the connection', () => {
    const service = new CompileService(log);
    const { compileId } = service.compile(policy, inventory);
    expect(() => service.trace(compileId, { address: '10.0.0.1' }, { address: 'fd00::1' }, { protocol: 'tcp', dstPort: 80 }, 'new')).toThrow(/Cannot trace 10.0.0.1 → fd00::1: /);
  });
});
