import type { Inventory, Workload } from '../inventory/model';
import type { Policy } from './model';
import { toBits } from './reference-addresses';

// Honeypots as the reference evaluator sees them (docs/pipeline.md "Redirects to a honeypot"):
// a redirect names a workload by name, namespace/name or address, and sends the connection to
// that workload's address of the connection's family.

/** The workload a `redirectTo` names. Throws when none or several match: such a policy does not compile. */
export function findHoneypot(inventory: Inventory, spec: string): Workload {
  const text = spec.trim();
  const point = toBits(text);
  let found = point
    ? inventory.workloads.filter((w) => w.addresses.some((a) => toBits(a)?.bits === point.bits))
    : inventory.workloads.filter((w) => {
        // The first "/" ends the namespace; the rest is the name.
        const slash = text.indexOf('/');
        return w.name === text.slice(slash + 1) && (slash < 0 || w.namespace === text.slice(0, slash));
      });
  // A bare name is also the full name of a workload in no namespace, which it then means.
  const ownName = point ? [] : found.filter((w) => w.namespace === undefined && w.name === text);
  if (found.length > 1 && ownName.length === 1) found = ownName;
  if (found.length !== 1) throw new Error(`redirectTo "${spec}" names ${found.length} workloads, not one`);
  return found[0]!;
}

/** Every workload the policy redirects to: targets of redirect edges, and of the default when it redirects. */
export function honeypotsOf(policy: Policy, inventory: Inventory): Workload[] {
  const specs = policy.edges.flatMap((e) => (e.action === 'redirect' && e.redirectTo ? [e.redirectTo] : []));
  if (policy.defaults.betweenGroups === 'redirect' && policy.defaults.redirectTo)
    specs.push(policy.defaults.redirectTo);
  return [...new Set(specs.map((s) => findHoneypot(inventory, s)))];
}

/** Where a redirect of this family sends a connection: the honeypot's first address of the family. */
export function redirectAddress(honeypot: Workload, family: 4 | 6): string | undefined {
  return honeypot.addresses.find((a) => toBits(a)?.family === family);
}
