import type { CompileResult } from './compile';
import { compareFlows, flowIdentity, type Flow } from './flow';

/** What one host's table must lose and gain to go from one compile to the next. */
export interface HostTableChange {
  host: string;
  add: Flow[];
  remove: Flow[];
}

/**
 * The flows each host must add and delete to go from `before` to `after`; hosts whose table
 * is unchanged are left out. A flow whose actions or cookie changed counts as one delete
 * and one add. Deterministic: hosts by name, flows in table order.
 */
export function diffCompiles(before: Pick<CompileResult, 'hosts'>, after: Pick<CompileResult, 'hosts'>): HostTableChange[] {
  const old = new Map(before.hosts.map((h) => [h.host, h.flows]));
  const next = new Map(after.hosts.map((h) => [h.host, h.flows]));
  const hosts = [...new Set([...old.keys(), ...next.keys()])].sort();
  const changes: HostTableChange[] = [];
  for (const host of hosts) {
    const change = diffFlows(old.get(host) ?? [], next.get(host) ?? []);
    if (change.add.length > 0 || change.remove.length > 0) changes.push({ host, ...change });
  }
  return changes;
}

function diffFlows(before: readonly Flow[], after: readonly Flow[]): { add: Flow[]; remove: Flow[] } {
  const beforeByKey = new Map(before.map((f) => [flowIdentity(f), f]));
  const afterByKey = new Map(after.map((f) => [flowIdentity(f), f]));
  const add = after.filter((f) => !sameFlow(beforeByKey.get(flowIdentity(f)), f));
  const remove = before.filter((f) => !sameFlow(afterByKey.get(flowIdentity(f)), f));
  return { add: add.sort(compareFlows), remove: remove.sort(compareFlows) };
}

/** Same cookie and actions; the identity is assumed equal. */
export function sameFlow(a: Flow | undefined, b: Flow): boolean {
  return a !== undefined && a.cookie === b.cookie && a.actions.length === b.actions.length && a.actions.every((x, i) => x === b.actions[i]);
}
