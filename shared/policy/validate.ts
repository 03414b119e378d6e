import type { Diagnostic } from '../diagnostics';
import { parseCidr } from '../net/address';
import { canonicalCidr, cidrsOverlap, ipv4MappedBlock, ipv4MappedProblem, subtractCidrs } from '../net/cidr-set';
import { hostNameProblem, isHostName } from '../inventory/host-name';
import { hasControlCharacters, quotedName } from '../text';
import { invisibleCharacterProblem } from '../invisible-characters';
import { parseLabelSelector } from './label-selector';
import { isNamespacePattern, NAMESPACE_NAME_RULE } from './namespace-name';
import type { ExcludeSelector, Policy, Selector } from './model';
import { formatService } from './services';
import { appendAll } from '../arrays';

const NAME = /^[a-z0-9]([-a-z0-9_.]{0,61}[a-z0-9])?$/;

/**
 * Checks a policy's meaning (names unique, edges between known groups, selectors parse).
 * Pure and order-independent: the same policy always yields the same diagnostics.
 */
export function validatePolicy(policy: Policy): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const groupNames = new Set<string>();

  // The name is printed into flow files; a line break there would smuggle in a flow.
  if (policy.name.length === 0 || policy.name.length > 100 || hasControlCharacters(policy.name)) {
    diagnostics.push(error('MS100', 'the policy name must be 1 to 100 characters on one line, without control characters', { path: 'metadata.name' }));
  }

  policy.groups.forEach((group, index) => {
    const at = { path: `groups.${index}`, element: { kind: 'group' as const, id: group.name } };
    if (!NAME.test(group.name)) {
      // Quoted as it stands, a name with an invisible character would seem to keep the rule.
      const message = invisibleCharacterProblem('group name', group.name) ?? `group name "${group.name}" must be lowercase letters, digits, "-", "_" or "." (at most 63)`;
      diagnostics.push(error('MS101', message, { ...at, path: `${at.path}.name` }));
    }
    if (groupNames.has(group.name)) {
      diagnostics.push(error('MS102', `group "${group.name}" is defined twice; rename one of them`, { ...at, path: `${at.path}.name` }));
    }
    groupNames.add(group.name);

    const s = group.selector;
    if (!hasWorkloadCriterion(s) && !(s.cidrs && s.cidrs.length > 0)) {
      diagnostics.push(warning('MS103', `group "${group.name}" has an empty selector and selects nothing; add labels, namespaceLabels, image, namespace, host or cidrs`, { ...at, path: `${at.path}.selector` }));
    }
    appendAll(diagnostics, criteriaBesideBlocks(group.name, s, { ...at, path: `${at.path}.selector` }));
    appendAll(diagnostics, labelSelectorErrors(s, { ...at, path: `${at.path}.selector` }));
    appendAll(diagnostics, namespaceErrors(s, { ...at, path: `${at.path}.selector` }));
    appendAll(diagnostics, hostErrors(s, { ...at, path: `${at.path}.selector` }));
    (s.exclude ?? []).forEach((entry, i) => {
      const where = { ...at, path: `${at.path}.selector.exclude.${i}` };
      if (!hasWorkloadCriterion(entry)) diagnostics.push(warning('MS108', `exclude entry ${i + 1} of group "${group.name}" is empty and removes nobody; give it labels, namespaceLabels, image, namespace or host`, where));
      appendAll(diagnostics, labelSelectorErrors(entry, where));
      appendAll(diagnostics, namespaceErrors(entry, where));
      appendAll(diagnostics, hostErrors(entry, where));
    });
    for (const field of ['cidrs', 'except'] as const) {
      (s[field] ?? []).forEach((cidr, i) => {
        const parsed = parseCidr(cidr);
        const canonical = canonicalCidr(cidr);
        const asHost = parsed && canonicalCidr(`${parsed.address}/${parsed.family === 4 ? 32 : 128}`);
        if (parsed && canonical && asHost && canonical.split('/')[0] !== asHost.split('/')[0]) {
          diagnostics.push(warning('MS107', `"${cidr}" has host bits set; it means ${canonical}`, { ...at, path: `${at.path}.selector.${field}.${i}` }));
        }
        const mapped = ipv4MappedBlock(cidr);
        if (!parsed) {
          diagnostics.push(error('MS105', `"${cidr}" is not an IPv4 or IPv6 address block such as 203.0.113.0/24`, { ...at, path: `${at.path}.selector.${field}.${i}` }));
        } else if (mapped !== null) {
          // Open vSwitch matches IPv4 packets by their IPv4 addresses: the block would hold nothing, and an edge or except of it do nothing.
          diagnostics.push(error('MS105', `${quotedName(cidr)} is the IPv4 block ${mapped} written as IPv6, which no packet carries; write ${mapped}`, { ...at, path: `${at.path}.selector.${field}.${i}` }));
        }
      });
    }
    const blocks = (s.cidrs ?? []).filter((c) => parseCidr(c));
    if ((s.except ?? []).length > 0 && (s.cidrs ?? []).length === 0) {
      diagnostics.push(warning('MS106', `group "${group.name}" lists "except" blocks but no "cidrs" to carve them from; they have no effect`, { ...at, path: `${at.path}.selector.except` }));
    } else if (blocks.length > 0) {
      (s.except ?? []).forEach((cidr, i) => {
        if (parseCidr(cidr) && !cidrsOverlap([cidr], blocks)) diagnostics.push(warning('MS106', `except block "${cidr}" of group "${group.name}" lies outside its cidrs; it removes nothing`, { ...at, path: `${at.path}.selector.except.${i}` }));
      });
      if (subtractCidrs(blocks, s.except ?? []).length === 0) {
        diagnostics.push(warning('MS118', `the except blocks of group "${group.name}" remove every address of its cidrs (${blocks.join(', ')}), so its blocks hold no address; narrow except or widen cidrs`, { ...at, path: `${at.path}.selector.except` }));
      }
    }
    for (const field of ['cidrs', 'except'] as const) appendAll(diagnostics, blocksListedTwice(group.name, s[field] ?? [], field, { ...at, path: `${at.path}.selector.${field}` }));
  });

  const edgeIds = new Set<string>();
  policy.edges.forEach((edge, index) => {
    const at = { path: `edges.${index}`, element: { kind: 'edge' as const, id: edge.id } };
    if (edgeIds.has(edge.id)) {
      diagnostics.push(error('MS111', `edge id "${edge.id}" is used twice; edge ids must be unique`, { ...at, path: `${at.path}.id` }));
    }
    edgeIds.add(edge.id);
    // Messages, traces and the CLI's text quote edge ids on one line each.
    if (hasControlCharacters(edge.id)) {
      diagnostics.push(error('MS117', `edge id ${JSON.stringify(edge.id)} holds a control character (a line break, tab or escape); write the id on one line, without them`, { ...at, path: `${at.path}.id` }));
    }
    const invisible = invisibleCharacterProblem('edge id', edge.id);
    if (invisible) diagnostics.push(error('MS117', invisible, { ...at, path: `${at.path}.id` }));
    for (const end of ['from', 'to'] as const) {
      if (!groupNames.has(edge[end])) {
        diagnostics.push(error('MS112', `edge "${edge.id}" ${end === 'from' ? 'starts at' : 'ends at'} unknown group "${edge[end]}"; create the group or fix the name`, { ...at, path: `${at.path}.${end}` }));
      }
    }
    if (edge.action === 'redirect' && !edge.redirectTo?.trim()) {
      diagnostics.push(error('MS131', `edge "${edge.id}" redirects but names no honeypot; set redirectTo to a workload's name or address`, { ...at, path: `${at.path}.redirectTo` }));
    }
    if (edge.action !== 'redirect' && edge.redirectTo) {
      diagnostics.push(warning('MS132', `edge "${edge.id}" has redirectTo but its action is ${edge.action}; redirectTo has no effect`, { ...at, path: `${at.path}.redirectTo` }));
    }
    if (edge.services.length === 0) {
      diagnostics.push(error('MS113', `edge "${edge.id}" permits no service; add one such as tcp/443, or "any"`, { ...at, path: `${at.path}.services` }));
    }
    // `tcp/80` twice (or `TCP/80` after `tcp/80`) changes no flow, but reads as if it meant something.
    const listed = new Set<string>();
    edge.services.forEach((service, i) => {
      const text = formatService(service);
      if (listed.has(text)) diagnostics.push(warning('MS116', `edge "${edge.id}" lists ${text} twice; remove this one`, { ...at, path: `${at.path}.services.${i}` }));
      listed.add(text);
    });
  });

  if (policy.defaults.betweenGroups === 'redirect' && !policy.defaults.redirectTo?.trim()) {
    diagnostics.push(error('MS131', 'the default redirects but names no honeypot; set defaults.redirectTo to a workload\'s name or address', { path: 'defaults.redirectTo' }));
  }

  (policy.infrastructure?.dnsResolvers ?? []).forEach((resolver, i) => {
    const cidr = parseCidr(resolver);
    const mapped = ipv4MappedProblem(resolver);
    if (!cidr || cidr.prefix !== (cidr.family === 4 ? 32 : 128)) {
      diagnostics.push(error('MS121', `DNS resolver "${resolver}" must be a single IPv4 or IPv6 address`, { path: `infrastructure.dnsResolvers.${i}` }));
    } else if (mapped !== undefined) {
      diagnostics.push(error('MS121', `DNS resolver ${mapped}`, { path: `infrastructure.dnsResolvers.${i}` }));
    }
  });

  return diagnostics;
}

/**
 * The workload criteria a selector gives (all must hold), as membership counts them: a label
 * selector even when empty (`''` holds for every workload), a pattern or name only when not.
 */
function workloadCriteria(s: ExcludeSelector): (keyof ExcludeSelector)[] {
  const given = { labels: s.labels !== undefined, namespaceLabels: s.namespaceLabels !== undefined, image: Boolean(s.image), namespace: Boolean(s.namespace), host: Boolean(s.host) } satisfies Record<keyof ExcludeSelector, boolean>;
  return (Object.keys(given) as (keyof ExcludeSelector)[]).filter((field) => given[field]);
}

/** Whether a selector names a workload criterion; `exclude` alone selects nobody to exclude from. */
export function hasWorkloadCriterion(s: ExcludeSelector): boolean {
  return workloadCriteria(s).length > 0;
}

/**
 * MS110 for a selector with workload criteria and address blocks: it holds both, side by side,
 * which reads easily as "these workloads inside these blocks" and then permits far more.
 */
function criteriaBesideBlocks(name: string, s: Selector, at: NonNullable<Where>): Diagnostic[] {
  const criteria = workloadCriteria(s);
  if (criteria.length === 0 || (s.cidrs ?? []).length === 0) return [];
  const by = criteria.join(', ');
  const message = `group "${name}" holds the workloads its ${by} select and, besides them, every address in its cidrs (${s.cidrs!.join(', ')}): the two add up, the blocks do not narrow the workloads. To mean only some workloads, narrow the ${by} (or use exclude) and drop cidrs; to reach the blocks too, put them in a group of their own`;
  return [warning('MS110', message, at)];
}

/**
 * MS119 for an address block a list gives twice (`10.0.0.0/8`, or `10.0.0.1/8` beside it): the
 * second changes nothing, but reads as if it meant something. Said at the second, as MS116 is.
 */
function blocksListedTwice(name: string, list: readonly string[], field: 'cidrs' | 'except', at: NonNullable<Where>): Diagnostic[] {
  const listed = new Set<string>();
  return list.flatMap((cidr, i) => {
    const canonical = canonicalCidr(cidr);
    if (canonical === null) return [];
    if (!listed.has(canonical)) {
      listed.add(canonical);
      return [];
    }
    const written = cidr === canonical ? '' : ` (here written "${cidr}")`;
    return [warning('MS119', `group "${name}" lists ${canonical} twice in ${field}${written}; remove this one`, { ...at, path: `${at.path}.${i}` })];
  });
}

/** MS104 for a pod or namespace label selector that does not parse. */
function labelSelectorErrors(s: ExcludeSelector, at: NonNullable<Where>): Diagnostic[] {
  return (['labels', 'namespaceLabels'] as const).flatMap((field) => {
    const text = s[field];
    const parsed = text === undefined ? null : parseLabelSelector(text);
    return parsed && !parsed.ok ? [error('MS104', parsed.message, { ...at, path: `${at.path}.${field}` })] : [];
  });
}

/** MS109 for a namespace (or the literal parts of a pattern) that no Kubernetes namespace could be named. */
function namespaceErrors(s: ExcludeSelector, at: NonNullable<Where>): Diagnostic[] {
  if (s.namespace === undefined || isNamespacePattern(s.namespace)) return [];
  const what = s.namespace.includes('*') ? `namespace pattern "${s.namespace}" can match no namespace: outside "*", it must read as` : `namespace "${s.namespace}" must be`;
  return [error('MS109', `${what} ${NAMESPACE_NAME_RULE}`, { ...at, path: `${at.path}.namespace` })];
}

/**
 * MS115 for a host criterion that no host could be named: it would select nobody, silently.
 * Host takes one exact name; unlike image and namespace, no pattern, because a workload's host
 * is where it runs, not what it is, and two matchers (membership and the reference evaluator)
 * would have to learn patterns for a selection labels already make.
 */
function hostErrors(s: ExcludeSelector, at: NonNullable<Where>): Diagnostic[] {
  if (!s.host || isHostName(s.host)) return [];
  const what = s.host.includes('*')
    ? `host "${s.host}" is a pattern, but host takes one exact host name: "*" matches nothing there`
    : `${hostNameProblem(s.host)!}, so it matches no workload`;
  return [error('MS115', `${what}; write the name of one host, or select the workloads by labels, image or namespace instead`, { ...at, path: `${at.path}.host` })];
}

type Where = Diagnostic['location'];

function error(code: string, message: string, location: Where): Diagnostic {
  return { code, severity: 'error', message, location };
}

function warning(code: string, message: string, location: Where): Diagnostic {
  return { code, severity: 'warning', message, location };
}
