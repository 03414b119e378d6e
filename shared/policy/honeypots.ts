import { workloadsNamed, type Workload } from '../inventory/model';
import { takesPart } from '../inventory/participation';
import { parseCidr } from '../net/address';
import { canonicalAddress } from '../net/cidr-set';
import type { Policy } from './model';

/** What a workload is to the policy's redirects: the default's honeypot, or a redirect edge's. */
export type HoneypotRole = 'default' | 'edge';

/**
 * The workload a `redirectTo` names: by address, `namespace/name` or name (then only when one
 * workload has it). The compiler's lookup (compiler/redirects.ts), so the two never disagree.
 */
export function honeypotNamed(spec: string, workloads: readonly Workload[]): Workload | undefined {
  const cidr = parseCidr(spec);
  if (cidr) {
    // Inventories keep one spelling per address (fd00::9); the policy may write another (FD00:0::9).
    const canonical = canonicalAddress(cidr.address)!;
    return workloads.find((w) => w.addresses.includes(canonical) || w.addresses.includes(cidr.address));
  }
  const found = workloadsNamed(workloads, spec);
  return found.length === 1 ? found[0] : undefined;
}

/**
 * Workload id → its honeypot role, among the workloads that take part (as the compiler finds
 * them); the default's honeypot counts only while the default redirects. Deterministic.
 */
export function honeypotRoles(policy: Pick<Policy, 'edges' | 'defaults'>, workloads: readonly Workload[]): Map<string, HoneypotRole> {
  const participants = workloads.filter(takesPart);
  const roles = new Map<string, HoneypotRole>();
  for (const edge of policy.edges) {
    const honeypot = edge.action === 'redirect' && edge.redirectTo ? honeypotNamed(edge.redirectTo.trim(), participants) : undefined;
    if (honeypot) roles.set(honeypot.id, 'edge');
  }
  const { betweenGroups, redirectTo } = policy.defaults;
  const byDefault = betweenGroups === 'redirect' && redirectTo ? honeypotNamed(redirectTo.trim(), participants) : undefined;
  if (byDefault) roles.set(byDefault.id, 'default');
  return roles;
}
