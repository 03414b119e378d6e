import { pushUnder } from '../arrays';
import type { Diagnostic } from '../diagnostics';
import { qualifiedName, workloadLocation, type Workload } from '../inventory/model';
import { takesPart } from '../inventory/participation';
import { canonicalAddress, cidrInside, cidrsOverlap } from '../net/cidr-set';
import { honeypotRoles } from './honeypots';
import { defeatedIsolation } from './lint-isolation';
import { ungroupedWorkloads, type Membership } from './membership';
import { blocks, type Edge, type Policy, type Service } from './model';
import { icmpOpensConnection } from '../net/icmp-requests';
import { formatService, narrowedIcmpCodes } from './services';
import { ungroupedOutcome } from './ungrouped-outcome';
import { hasWorkloadCriterion } from './validate';

/** More ports than this in one service is "broad": it rarely means one application. */
const BROAD_PORT_RANGE = 1024;

/**
 * Warnings about a valid policy against an inventory: things that compile but are probably
 * not what the author meant. Each names the group or edge, so the canvas can badge it.
 * Pure and deterministic (policy order).
 */
export function lintPolicy(policy: Policy, membership: ReadonlyMap<string, Membership>, workloads: readonly Workload[]): Diagnostic[] {
  return [
    ...emptyGroups(policy, membership),
    ...edgesWithoutEffect(policy, membership),
    ...repeatedEdges(policy),
    ...undeclaredNamedPorts(policy, membership),
    ...icmpThatOpensNothing(policy),
    ...defeatedIsolation(policy, membership),
    ...broadEdges(policy),
    ...overlappingBlocks(policy, membership),
    ...lonelyWorkloads(policy, membership, workloads),
    ...sharedAddresses(workloads),
    ...noHostTables(policy, workloads),
  ];
}

/**
 * A compile that gives no host a table has nothing to show, trace or deploy: say why, and what
 * to do, rather than "0 flows on 0 hosts" and no problems.
 */
function noHostTables(policy: Policy, workloads: readonly Workload[]): Diagnostic[] {
  if (workloads.some(takesPart)) return [];
  const steps = `open an inventory source with workloads (a file, Docker or Kubernetes; microseg reads one with --inventory)${policy.groups.length === 0 ? ', add groups that select them' : ''} and compile again`;
  const why =
    workloads.length === 0
      ? `the inventory has no workloads, so no host gets a flow table and there is nothing to deploy: ${steps}`
      : `none of the inventory's ${workloads.length} workload${workloads.length === 1 ? '' : 's'} has both a host and an address (MS203, MS204), so no host gets a flow table and there is nothing to deploy: compile again once they are placed on hosts${policy.groups.length === 0 ? ', after adding groups that select them' : ''}`;
  return [{ code: 'MS207', severity: 'warning', message: why }];
}

/**
 * Two workloads with one address: rules cannot tell them apart, so whichever holds it now gets
 * the other's permissions too (a recycled pod IP, a copied inventory line).
 */
function sharedAddresses(workloads: readonly Workload[]): Diagnostic[] {
  const holders = new Map<string, Workload[]>();
  for (const w of workloads) {
    for (const a of w.addresses) {
      const address = canonicalAddress(a) ?? a;
      // A workload that lists one address twice holds it once: its pushes come together, so it would be last.
      if (holders.get(address)?.at(-1) !== w) pushUnder(holders, address, w);
    }
  }
  const diagnostics: Diagnostic[] = [];
  for (const [address, list] of holders) {
    if (list.length < 2) continue;
    const names = list.map((w) => `"${qualifiedName(w)}"`);
    // Pointed at the entry written last: in one file, that is the likelier copy (by column too,
    // for entries on one line, as YAML's flow style writes them).
    const copy = list.reduce((a, b) => (writtenAfter(b, a) ? b : a));
    const field = `addresses.${copy.addresses.findIndex((x) => (canonicalAddress(x) ?? x) === address)}`;
    const message = `workloads ${names.join(' and ')} have the same address ${address}: rules cannot tell them apart, so each gets the permissions of the other`;
    diagnostics.push(workloadWarning('MS205', message, copy, field));
  }
  return diagnostics;
}

/** Whether `a`'s entry comes after `b`'s in their file: a later line, or further along one line. */
function writtenAfter(a: Workload, b: Workload): boolean {
  const [x, y] = [a.origin.entry, b.origin.entry];
  const [lineA, lineB] = [x?.line ?? 0, y?.line ?? 0];
  return lineA > lineB || (lineA === lineB && (x?.column ?? 0) > (y?.column ?? 0));
}

function emptyGroups(policy: Policy, membership: ReadonlyMap<string, Membership>): Diagnostic[] {
  return policy.groups.flatMap((group, index): Diagnostic[] => {
    const m = membership.get(group.name);
    if (!m || m.workloads.length > 0 || m.cidrs.length > 0) return [];
    // Blocks all carved out by except: MS118 names that cause; "no workload" would mislead.
    if (!hasWorkloadCriterion(group.selector) && (group.selector.cidrs ?? []).length > 0) return [];
    return [warning('MS201', `group "${group.name}" selects no workload in the current inventory; its edges produce no flows`, `groups.${index}.selector`, 'group', group.name)];
  });
}

/** Edges that can never take effect: an end that holds nobody, or a blocking edge that covers them. */
function edgesWithoutEffect(policy: Policy, membership: ReadonlyMap<string, Membership>): Diagnostic[] {
  const holds = (name: string): boolean => {
    const m = membership.get(name);
    return m !== undefined && (m.workloads.length > 0 || m.cidrs.length > 0);
  };
  const blocking = policy.edges.filter((e) => blocks(e.action));
  // Member ids per group, built once: the shadow check compares many edge pairs.
  const ids = new Map<string, Set<string>>();
  const memberIds = (group: string): Set<string> => {
    let set = ids.get(group);
    if (!set) {
      const m = membership.get(group);
      ids.set(group, (set = new Set([...(m?.workloads ?? []), ...(m?.covered ?? [])].map((w) => w.id))));
    }
    return set;
  };
  // Per group, how many of each workload's addresses it holds: all of one it selects, only
  // those inside its blocks of one it covers, whose other addresses stay outside the group.
  const held = new Map<string, Map<string, number>>();
  const heldAddresses = (group: string): Map<string, number> => {
    let counts = held.get(group);
    if (!counts) {
      const m = membership.get(group);
      counts = new Map((m?.covered ?? []).map((w) => [w.id, w.addresses.length]));
      for (const w of m?.workloads ?? []) counts.set(w.id, Infinity);
      held.set(group, counts);
    }
    return counts;
  };
  const blockingFrom = blockingBySource(blocking, memberIds);
  return policy.edges.flatMap((edge, index): Diagnostic[] => {
    const at = `edges.${index}`;
    const empty = [edge.from, edge.to].find((g) => !holds(g));
    if (empty) return [warning('MS402', `edge "${edge.id}" never takes effect: group "${empty}" holds nobody in this inventory`, at, 'edge', edge.id)];
    if (edge.action === 'deny' || edge.action === 'reject') return [];
    // A blocking edge covers this one only if its sources hold all of this one's, the first
    // included: only the few that hold it need the full check.
    const first = membership.get(edge.from)?.workloads[0];
    const candidates = first ? (blockingFrom.get(first.id) ?? []) : blocking;
    const shadow = candidates.find((other) => outranks(other, edge) && covers(other, edge, membership, heldAddresses));
    if (!shadow) return [];
    const why = shadow.action === 'redirect' ? ' comes first (redirects are tried in edge-id order) and' : '';
    return [warning('MS401', `edge "${edge.id}" never takes effect: ${shadow.action} edge "${shadow.id}"${why} covers every connection it ${edge.action === 'redirect' ? 'redirects' : 'permits'}`, at, 'edge', edge.id)];
  });
}

const DOES: Record<Exclude<Edge['action'], 'redirect'>, string> = { allow: 'permits', log: 'permits and logs', deny: 'denies', reject: 'rejects' };

/**
 * Edges that another edge between the same two groups, with the same action, makes redundant:
 * it lists every service they do (Add edge pressed twice; the copies' labels sit on one spot).
 * Of two that list the same, the later is named. Redirects are MS401's: the first by id decides.
 */
function repeatedEdges(policy: Policy): Diagnostic[] {
  const endsOf = (edge: Edge): string => JSON.stringify([edge.from, edge.to, edge.action]);
  const byEnds = new Map<string, { edge: Edge; index: number }[]>();
  policy.edges.forEach((edge, index) => pushUnder(byEnds, endsOf(edge), { edge, index }));
  const coveredBy = (inner: Edge, outer: Edge): boolean => inner.services.every((s) => outer.services.some((o) => serviceCovers(o, s)));
  return policy.edges.flatMap((edge, index): Diagnostic[] => {
    if (edge.action === 'redirect') return [];
    const other = byEnds.get(endsOf(edge))!.find((o) => o.edge !== edge && coveredBy(edge, o.edge) && (o.index < index || !coveredBy(o.edge, edge)));
    if (!other) return [];
    const message = `edge "${edge.id}" adds nothing: edge "${other.edge.id}" from "${edge.from}" to "${edge.to}" already ${DOES[edge.action]} every service it lists; delete one of them`;
    return [warning('MS407', message, `edges.${index}`, 'edge', edge.id)];
  });
}

/**
 * Named ports that no workload of the edge's destination declares (`tcp/htp`, or `tcp/0x50`,
 * which reads as a name): the service resolves nowhere, so the edge matches nothing by it. An
 * empty destination is MS402's.
 */
function undeclaredNamedPorts(policy: Policy, membership: ReadonlyMap<string, Membership>): Diagnostic[] {
  return policy.edges.flatMap((edge, index) => {
    const to = membership.get(edge.to);
    if (!edge.services.some((s) => s.portName !== undefined) || !to || (to.workloads.length === 0 && to.cidrs.length === 0)) return [];
    const destinations = [...to.workloads, ...to.covered];
    return edge.services.flatMap((service, j): Diagnostic[] => {
      if (service.portName === undefined || destinations.some((w) => declares(w, service))) return [];
      const numbered = service.ports ? ` numbered ${service.ports.from}-${service.ports.to}` : '';
      const message = `edge "${edge.id}" lists ${formatService(service)}, but no workload of group "${edge.to}" declares a ${service.protocol} port named "${service.portName}"${numbered}, so it matches no connection; check the name, or write the port number`;
      return [warning('MS408', message, `edges.${index}.services.${j}`, 'edge', edge.id)];
    });
  });
}

/** Whether a workload declares the named port, inside the service's filter if it has one (as the compiler resolves it). */
function declares(workload: Workload, service: Service): boolean {
  return (workload.ports ?? []).some((p) => p.name === service.portName && p.protocol === service.protocol && rangeInside({ from: p.port, to: p.port }, service.ports));
}

/**
 * Whether `other` decides a connection both edges match before `edge` can (docs/pipeline.md,
 * Precedence): deny and reject before redirect, redirects by edge id (code-unit order, as the
 * compiler numbers them), any of them before allow and log. The default, monitor included,
 * comes after every edge, so it never changes which edge decides.
 */
function outranks(other: Edge, edge: Edge): boolean {
  if (!blocks(other.action) || other === edge) return false;
  if (edge.action === 'allow' || edge.action === 'log') return true;
  return edge.action === 'redirect' && (other.action !== 'redirect' || other.id < edge.id);
}

/** Workload id → the blocking edges whose source group holds it (as a member or inside its blocks), in policy order. */
function blockingBySource(blocking: readonly Edge[], memberIds: (group: string) => Set<string>): Map<string, Edge[]> {
  const bySource = new Map<string, Edge[]>();
  for (const edge of blocking) {
    for (const id of memberIds(edge.from)) pushUnder(bySource, id, edge);
  }
  return bySource;
}

/** Whether every connection `inner` matches is matched by `outer` (same or wider ends and services). */
function covers(outer: Edge, inner: Edge, membership: ReadonlyMap<string, Membership>, heldAddresses: (group: string) => ReadonlyMap<string, number>): boolean {
  // Services first: the cheap test rules out most pairs.
  if (!inner.services.every((s) => outer.services.some((o) => serviceCovers(o, s)))) return false;
  return holdsAll(outer.from, inner.from, membership, heldAddresses) && holdsAll(outer.to, inner.to, membership, heldAddresses);
}

/** Whether the outer group holds every address the inner one does: all of each workload it selects, and its blocks. */
function holdsAll(outerGroup: string, innerGroup: string, membership: ReadonlyMap<string, Membership>, heldAddresses: (group: string) => ReadonlyMap<string, number>): boolean {
  if (outerGroup === innerGroup) return true;
  const outer = membership.get(outerGroup);
  const inner = membership.get(innerGroup);
  if (!outer || !inner) return false;
  const held = heldAddresses(outerGroup);
  return inner.workloads.every((w) => (held.get(w.id) ?? 0) >= w.addresses.length) && inner.cidrs.every((c) => cidrInside(c, outer.cidrs));
}

function serviceCovers(outer: Service, inner: Service): boolean {
  if (outer.protocol === 'any') return true;
  if (outer.protocol !== inner.protocol) return false;
  if (!outer.ports && !outer.portName) return true;
  if (outer.portName !== undefined) return inner.portName === outer.portName && rangeInside(inner.ports, outer.ports);
  // A range covers a named port only through the port's filter: the name may resolve to any number.
  return rangeInside(inner.ports, outer.ports) && inner.ports !== undefined && rangeInside(narrowedIcmpCodes(inner), narrowedIcmpCodes(outer));
}

/** Whether `inner` lies inside `outer`; no range is every port (every code). */
function rangeInside(inner: Service['ports'], outer: Service['ports']): boolean {
  if (!outer) return true;
  return inner !== undefined && inner.from >= outer.from && inner.to <= outer.to;
}

/**
 * ICMP services that name only replies and errors: those open no connection, so the switch
 * passes one that belongs to a connection the policy permits and drops the rest, whatever an
 * edge says of them (see ICMP_REQUESTS).
 */
function icmpThatOpensNothing(policy: Policy): Diagnostic[] {
  return policy.edges.flatMap((edge, index) =>
    edge.services.flatMap((service, j): Diagnostic[] => {
      const types = service.protocol === 'icmp' ? service.ports : undefined;
      if (!types) return [];
      for (let type = types.from; type <= types.to; type++) if (icmpOpensConnection(4, type) || icmpOpensConnection(6, type)) return [];
      const message =
        `edge "${edge.id}" lists ${formatService(service)}, which names only ICMP replies and errors: they open no connection, ` +
        'so the switch passes one that belongs to a connection the policy permits and drops the rest whatever this edge says; ' +
        'name a request (icmp/8 echo, icmp/13 timestamp, icmp/15 information, icmp/128 IPv6 echo) or remove the service';
      return [warning('MS409', message, `edges.${index}.services.${j}`, 'edge', edge.id)];
    }),
  );
}

/** Edges that permit far more than one application needs. */
function broadEdges(policy: Policy): Diagnostic[] {
  const everywhere = new Set(policy.groups.filter((g) => (g.selector.cidrs ?? []).some((c) => c.endsWith('/0'))).map((g) => g.name));
  return policy.edges.flatMap((edge, index): Diagnostic[] => {
    if (blocks(edge.action)) return [];
    const at = `edges.${index}.services`;
    const wide = edge.services.find((s) => s.protocol === 'any' || ((s.protocol === 'tcp' || s.protocol === 'udp' || s.protocol === 'sctp') && !s.portName && (!s.ports || s.ports.to - s.ports.from + 1 > BROAD_PORT_RANGE)));
    const out: Diagnostic[] = [];
    if (wide) out.push(warning('MS403', `edge "${edge.id}" permits ${wide.protocol === 'any' ? 'every protocol' : `${wide.protocol} on ${wide.ports ? `${wide.ports.to - wide.ports.from + 1} ports` : 'every port'}`}; name the ports the application uses`, at, 'edge', edge.id));
    if (everywhere.has(edge.to)) out.push(info('MS404', `edge "${edge.id}" lets "${edge.from}" open connections to the whole internet ("${edge.to}")`, `edges.${index}.to`, 'edge', edge.id));
    return out;
  });
}

/** Groups whose address blocks overlap: one address then belongs to both, which is easy to miss. */
function overlappingBlocks(policy: Policy, membership: ReadonlyMap<string, Membership>): Diagnostic[] {
  const withBlocks = policy.groups.map((g, index) => ({ g, index, cidrs: membership.get(g.name)?.cidrs ?? [] })).filter((x) => x.cidrs.length > 0);
  const out: Diagnostic[] = [];
  withBlocks.forEach((a, i) => {
    for (const b of withBlocks.slice(i + 1)) {
      if (cidrsOverlap(a.cidrs, b.cidrs)) out.push(info('MS405', `the address blocks of groups "${a.g.name}" and "${b.g.name}" overlap; addresses in both count for the edges of each`, `groups.${b.index}.selector.cidrs`, 'group', b.g.name));
    }
  });
  return out;
}

function lonelyWorkloads(policy: Policy, membership: ReadonlyMap<string, Membership>, workloads: readonly Workload[]): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const honeypots = honeypotRoles(policy, workloads);
  for (const w of ungroupedWorkloads(new Map(membership), workloads.filter(takesPart))) {
    const outcome = ungroupedOutcome(policy.defaults.betweenGroups, honeypots.get(w.id));
    diagnostics.push(workloadWarning('MS202', `workload "${qualifiedName(w)}" on ${w.host} is in no group: ${outcome}`, w));
  }
  for (const w of workloads.filter((x) => x.addresses.length === 0)) {
    diagnostics.push(workloadWarning('MS203', `workload "${qualifiedName(w)}" has no IP address (pending, stopped, or host networking?); it takes no part until it has one`, w, 'addresses'));
  }
  for (const w of workloads.filter((x) => x.addresses.length > 0 && !takesPart(x))) {
    diagnostics.push(workloadWarning('MS204', `workload "${qualifiedName(w)}" has no host (not scheduled on a node yet?); it takes no part until it has one, and its addresses count as outside ones`, w, 'host'));
  }
  return diagnostics;
}

/** A warning about a workload: at its entry (and `field`) in a static file; a live one has no file, and the message names it. */
/** A warning about a workload: at its entry of an inventory file when it has one, and always naming the workload, so the app can show it. */
function workloadWarning(code: string, message: string, workload: Workload, field?: string): Diagnostic {
  return { code, severity: 'warning', message, location: { ...workloadLocation(workload, field), workload: workload.id } };
}

function warning(code: string, message: string, path: string, kind: 'group' | 'edge', id: string): Diagnostic {
  return { code, severity: 'warning', message, location: { path, element: { kind, id } } };
}

function info(code: string, message: string, path: string, kind: 'group' | 'edge', id: string): Diagnostic {
  return { code, severity: 'info', message, location: { path, element: { kind, id } } };
}
