import type { Diagnostic } from '../diagnostics';
import { hasErrors } from '../diagnostics';
import type { Inventory, Workload } from '../inventory/model';
import { takesPart } from '../inventory/participation';
import { lintPolicy } from '../policy/lint';
import { resolveMembership, type Membership } from '../policy/membership';
import type { Policy } from '../policy/model';
import { validatePolicy } from '../policy/validate';
import type { Flow } from './flow';
import { AddressMatchCache, buildClauses } from './clauses';
import { CompactHostTable } from './compact-table';
import { FlowTexts } from './flow-texts';
import { FlowList, FlowSorter } from './flow-order';
import { buildHostFlows, indexClauses, type HostTableOptions } from './host-table';
import { MatchIds } from './match-ids';
import { guardedPorts } from './port-guard';
import { RULE_BAND_WIDTH } from './pipeline';
import { resolveRedirectTargets } from './redirects';
import { resolveRules, type ResolvedRule } from './rules';
import { appendAll, pushUnder } from '../arrays';

/** The flow table one enforcement point gets. */
export interface HostTable {
  host: string;
  /** In canonical order (compareFlows). */
  readonly flows: readonly Flow[];
  flowCount: number;
  workloadCount: number;
}

/** What a cookie in a flow table stands for on the canvas. */
export interface RuleSummary {
  number: number;
  cookie: string;
  kind: ResolvedRule['kind'];
  ref: ResolvedRule['ref'];
}

export interface CompileResult {
  hosts: HostTable[];
  rules: RuleSummary[];
  diagnostics: Diagnostic[];
  flowCount: number;
}

/**
 * Compiles a policy against an inventory into one flow table per host (structured flows;
 * `formatHostTable` prints them). Deterministic: the
 * same policy and inventory always give the same text, whatever order groups, edges and
 * workloads come in. Returns no tables when the policy has errors. A workload without a host
 * or an address takes no part (see `takesPart`): no table, no group, only a warning.
 */
export function compilePolicy(policy: Policy, inventory: Inventory): CompileResult {
  return compileInDetail(policy, inventory).result;
}

/** What a compile resolved on its way, which a compile session (compile-session.ts) keeps to patch the result. */
export interface CompileDetail {
  result: CompileResult;
  /** The workloads taking part (by id), group membership, the rules and the host tables' settings. Absent when the compile found errors. */
  resolved?: { workloads: Workload[]; membership: Map<string, Membership>; rules: ResolvedRule[]; options: HostTableOptions };
}

/** `compilePolicy`, keeping the rules and settings it resolved. */
export function compileInDetail(policy: Policy, inventory: Inventory): CompileDetail {
  const diagnostics = validatePolicy(policy);
  if (hasErrors(diagnostics)) return { result: { hosts: [], rules: [], diagnostics, flowCount: 0 } };

  const listed = [...inventory.workloads].sort((a, b) => a.id.localeCompare(b.id));
  // Workloads without a host or an address (pending pods) are only linted: they would make a
  // table for no switch, and no flow could match them.
  const workloads = listed.filter(takesPart);
  const membership = resolveMembership(policy, workloads);
  appendAll(diagnostics, lintPolicy(policy, membership, listed));

  const redirects = resolveRedirectTargets(policy, workloads);
  const redirectEdges = policy.edges.filter((e) => e.action === 'redirect').length;
  if (redirectEdges > RULE_BAND_WIDTH) {
    redirects.diagnostics.push({ code: 'MS135', severity: 'error', message: `${redirectEdges} redirect edges; at most ${RULE_BAND_WIDTH} fit, each needs a priority level of its own`, location: { path: 'edges' } });
  }
  if (hasErrors(redirects.diagnostics)) return { result: { hosts: [], rules: [], diagnostics: [...diagnostics, ...redirects.diagnostics], flowCount: 0 } };
  appendAll(diagnostics, redirects.diagnostics);
  const rules = resolveRules(policy, membership, workloads, redirects.targets);
  const ids = new MatchIds();
  // Every address is parsed once, here, for the IPv6 question and the matches alike.
  const addressMatches = new AddressMatchCache(ids);
  const withIPv6 = [...workloads.flatMap((w) => w.addresses), ...policy.groups.flatMap((g) => g.selector.cidrs ?? []), ...(policy.infrastructure?.dnsResolvers ?? [])].some(
    (a) => addressMatches.family(a) === 6,
  );
  const flowTexts = new FlowTexts(ids);
  const clauses = indexClauses(buildClauses(rules, withIPv6, addressMatches), flowTexts);
  const options: HostTableOptions = {
    withIPv6,
    defaultAction: policy.defaults.betweenGroups,
    dhcp: policy.infrastructure?.dhcp ?? false,
    redirects: [...redirects.targets.values()],
    defaultRedirect: redirects.targets.get(policy.defaults.redirectTo?.trim() ?? '')?.number,
  };
  const byHost = new Map<string, Inventory['workloads']>();
  for (const w of workloads) pushUnder(byHost, w.host, w);
  // One list and one sorter serve every host in turn: only each sorted table is kept.
  const scratch = new FlowList(flowTexts);
  const sorter = new FlowSorter();
  const hosts = [...byHost.keys()].sort().map((host) => {
    const local = byHost.get(host)!;
    buildHostFlows(scratch.clear(), host, clauses, { addresses: local.flatMap((w) => w.addresses), ports: guardedPorts(local) }, options, addressMatches);
    // The first host numbers the pipeline's own matches; ranks are then worked out again only for a new one (a honeypot's).
    return new CompactHostTable(host, local.length, sorter.sorted(scratch, ids.ranks()), flowTexts);
  });

  const result = {
    hosts,
    rules: rules.map(({ number, cookie, kind, ref }) => ({ number, cookie, kind, ref })),
    diagnostics,
    flowCount: hosts.reduce((sum, h) => sum + h.flowCount, 0),
  };
  return { result, resolved: { workloads, membership, rules, options } };
}
