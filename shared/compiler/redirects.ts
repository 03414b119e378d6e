import type { Diagnostic, SourceLocation } from '../diagnostics';
import type { Workload } from '../inventory/model';
import { parseCidr } from '../net/address';
import { canonicalAddress, ipv4MappedProblem } from '../net/cidr-set';
import { honeypotNamed } from '../policy/honeypots';
import type { Policy } from '../policy/model';

/** A honeypot that connections can be redirected to, numbered for reg0 and ct_mark. */
export interface RedirectTarget {
  /** 1-based; at most 0xffff. */
  number: number;
  /** As the policy names it: a workload's name or address. */
  spec: string;
  workload: Workload;
  mac: string;
  ipv4?: string;
  ipv6?: string;
}

export interface RedirectResolution {
  /** By spec, in number order. */
  targets: Map<string, RedirectTarget>;
  diagnostics: Diagnostic[];
}

/**
 * Finds every honeypot the policy redirects to (edges and the default) in the inventory.
 * A redirect rewrites the destination's IP and MAC, so a target must be a workload with a
 * known MAC address. Numbering follows the sorted specs: deterministic.
 */
export function resolveRedirectTargets(policy: Policy, workloads: readonly Workload[]): RedirectResolution {
  // spec → where it was first named, for diagnostics: an edge's also names the edge, so Problems selects it on the canvas.
  const wanted = new Map<string, SourceLocation>();
  policy.edges.forEach((e, i) => {
    if (e.action === 'redirect' && e.redirectTo) wanted.set(e.redirectTo.trim(), wanted.get(e.redirectTo.trim()) ?? { path: `edges.${i}.redirectTo`, element: { kind: 'edge', id: e.id } });
  });
  if (policy.defaults.betweenGroups === 'redirect' && policy.defaults.redirectTo) {
    wanted.set(policy.defaults.redirectTo.trim(), wanted.get(policy.defaults.redirectTo.trim()) ?? { path: 'defaults.redirectTo' });
  }

  const targets = new Map<string, RedirectTarget>();
  const diagnostics: Diagnostic[] = [];
  for (const spec of [...wanted.keys()].sort()) {
    const location = wanted.get(spec);
    const workload = honeypotNamed(spec, workloads);
    if (!workload) {
      // IPv4 written as IPv6 names no packet's address; say what to write rather than that no one has it.
      const mapped = ipv4MappedProblem(spec);
      const message = mapped ? `honeypot ${mapped}` : `honeypot "${spec}" is no workload of the inventory; redirect to a workload's name or address`;
      diagnostics.push({ code: 'MS133', severity: 'error', message, location });
      continue;
    }
    if (!workload.mac) {
      diagnostics.push({ code: 'MS134', severity: 'error', message: `honeypot "${spec}" has no known MAC address, which a redirect needs (Docker reports it; static inventories take "mac")`, location });
      continue;
    }
    const ipv4 = workload.addresses.find((a) => parseCidr(a)?.family === 4);
    const ipv6 = workload.addresses.find((a) => parseCidr(a)?.family === 6);
    // A honeypot takes connections at its first address of each family: naming another of its addresses does not move them.
    const named = canonicalAddress(spec);
    const used = named === null ? undefined : parseCidr(named)?.family === 4 ? ipv4 : ipv6;
    if (used !== undefined && used !== named) {
      diagnostics.push({ code: 'MS136', severity: 'warning', message: `honeypot "${spec}" is an address of "${workload.name}", whose connections are redirected to its first address of that family, ${used}; write ${used} or "${workload.name}" to say where they go, or list ${named} first in the inventory`, location });
    }
    targets.set(spec, { number: targets.size + 1, spec, workload, mac: workload.mac.toLowerCase(), ...(ipv4 ? { ipv4 } : {}), ...(ipv6 ? { ipv6 } : {}) });
  }
  return { targets, diagnostics };
}
