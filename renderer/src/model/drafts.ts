import type { Diagnostic } from '@shared/diagnostics';
import type { Edge, EdgeAction, Group, Policy, Selector, Service } from '@shared/policy/model';
import { formatService, parseService } from '@shared/policy/services';
import { validatePolicy } from '@shared/policy/validate';
import { withGroupAdded, withGroupReplaced } from './policy-edits';

/*
 * What the group and edge forms hold while the user types, and how they become policy.
 * Checks reuse the shared validator, so the canvas and a policy file report the same words.
 */

export interface GroupDraft {
  name: string;
  labels: string;
  /** A label selector on the workload's namespace. */
  namespaceLabels: string;
  image: string;
  namespace: string;
  host: string;
  /** Comma-separated address blocks. */
  cidrs: string;
  /** Comma-separated blocks carved out of `cidrs`. */
  except: string;
  description: string;
  isolated: boolean;
}

// The selector's criteria the group form edits as text, and those it edits as comma-separated lists.
const TEXT_CRITERIA = ['labels', 'namespaceLabels', 'image', 'namespace', 'host'] as const;
const LIST_CRITERIA = ['cidrs', 'except'] as const;

export interface EdgeDraft {
  from: string;
  to: string;
  /** Comma-separated services, e.g. `tcp/8080, udp/53`. */
  services: string;
  action: EdgeAction;
  /** With `redirect`: the honeypot's workload name or address. */
  redirectTo: string;
  description: string;
}

export type FieldErrors<K extends string> = Partial<Record<K, string>>;

export function emptyGroupDraft(): GroupDraft {
  return { name: '', labels: '', namespaceLabels: '', image: '', namespace: '', host: '', cidrs: '', except: '', description: '', isolated: false };
}

export function groupDraftOf(group: Group): GroupDraft {
  const s = group.selector;
  return {
    name: group.name,
    labels: s.labels ?? '',
    namespaceLabels: s.namespaceLabels ?? '',
    image: s.image ?? '',
    namespace: s.namespace ?? '',
    host: s.host ?? '',
    cidrs: (s.cidrs ?? []).join(', '),
    except: (s.except ?? []).join(', '),
    description: group.description ?? '',
    isolated: group.isolated ?? false,
  };
}

/**
 * Builds the group a draft describes. A criterion the user left as it was keeps the value `base`
 * has, so what the form cannot show (exclusions) or shows as blank (`labels: ''`, every workload)
 * survives an edit of something else; a criterion changed to blank is left out.
 */
export function groupFromDraft(draft: GroupDraft, base?: Group): Group {
  const shown = base ? groupDraftOf(base) : emptyGroupDraft();
  const selector: Selector = { ...base?.selector };
  for (const field of TEXT_CRITERIA) {
    if (draft[field] === shown[field]) continue;
    const value = draft[field].trim();
    if (value === '') delete selector[field];
    else selector[field] = value;
  }
  for (const field of LIST_CRITERIA) {
    if (draft[field] === shown[field]) continue;
    const blocks = splitList(draft[field]);
    if (blocks.length === 0) delete selector[field];
    else selector[field] = blocks;
  }
  // The same selector object when no criterion changed, so its members are not resolved again.
  const criteriaChanged = [...TEXT_CRITERIA, ...LIST_CRITERIA].some((field) => draft[field] !== shown[field]);

  const group: Group = { name: draft.name.trim(), selector: base && !criteriaChanged ? base.selector : selector };
  if (draft.description.trim() !== '') group.description = draft.description.trim();
  if (draft.isolated) group.isolated = true;
  if (base?.position) group.position = base.position;
  return group;
}

/**
 * Field errors for a group draft, from the shared validator run on the policy as it would be.
 * `editing` names the group being changed, or is undefined for a new group.
 */
export function checkGroupDraft(
  policy: Policy,
  draft: GroupDraft,
  editing?: string,
): { errors: FieldErrors<keyof GroupDraft>; warnings: string[] } {
  const group = groupFromDraft(draft, policy.groups.find((g) => g.name === editing));
  const errors: FieldErrors<keyof GroupDraft> = {};
  if (group.name === '') errors.name = 'give the group a name, e.g. web';
  else if (group.name !== editing && policy.groups.some((g) => g.name === group.name)) {
    errors.name = `a group named "${group.name}" exists already`;
  }

  const candidate = editing === undefined ? withGroupAdded(policy, group) : withGroupReplaced(policy, editing, group);
  const index = editing === undefined ? candidate.groups.length - 1 : candidate.groups.findIndex((g) => g.name === group.name);
  const prefix = `groups.${index}`;
  const warnings: string[] = [];
  for (const d of validatePolicy(candidate).filter((d) => isAt(d, prefix))) {
    const field = fieldOf(d.location?.path ?? '', prefix);
    if (d.severity !== 'error') warnings.push(d.message);
    else if (field && errors[field] === undefined) errors[field] = d.message;
  }
  return { errors, warnings };
}

export type ServiceListParse = { ok: true; services: Service[] } | { ok: false; message: string };

/** Parses `tcp/8080, udp/53, tcp/9000-9010`; reports every bad entry, not just the first. */
export function parseServiceList(text: string): ServiceListParse {
  const parts = splitList(text);
  if (parts.length === 0) return { ok: false, message: 'list at least one service, e.g. tcp/8080 or any' };
  const services: Service[] = [];
  const problems: string[] = [];
  for (const part of parts) {
    const parsed = parseService(part);
    if (parsed.ok) services.push(parsed.service);
    else problems.push(parsed.message);
  }
  return problems.length > 0 ? { ok: false, message: problems.join('; ') } : { ok: true, services };
}

export function formatServiceList(services: readonly Service[]): string {
  return services.map(formatService).join(', ');
}

export function edgeDraftOf(edge: Edge): EdgeDraft {
  return { from: edge.from, to: edge.to, services: formatServiceList(edge.services), action: edge.action, redirectTo: edge.redirectTo ?? '', description: edge.description ?? '' };
}

export function checkEdgeDraft(policy: Policy, draft: EdgeDraft): FieldErrors<keyof EdgeDraft> {
  const errors: FieldErrors<keyof EdgeDraft> = {};
  const names = new Set(policy.groups.map((g) => g.name));
  if (!names.has(draft.from)) errors.from = 'choose the group that opens connections';
  if (!names.has(draft.to)) errors.to = 'choose the group that accepts them';
  const services = parseServiceList(draft.services);
  if (!services.ok) errors.services = services.message;
  if (draft.action === 'redirect' && draft.redirectTo.trim() === '') errors.redirectTo = 'the honeypot: a workload name or address';
  return errors;
}

/** The edge a valid draft describes, keeping the id of the edge it edits. */
export function edgeFromDraft(draft: EdgeDraft, id: string): Edge | null {
  const services = parseServiceList(draft.services);
  if (!services.ok) return null;
  const edge: Edge = { id, from: draft.from, to: draft.to, services: services.services, action: draft.action };
  if (draft.action === 'redirect') edge.redirectTo = draft.redirectTo.trim();
  if (draft.description.trim() !== '') edge.description = draft.description.trim();
  return edge;
}

function splitList(text: string): string[] {
  return text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

function isAt(d: Diagnostic, prefix: string): boolean {
  const path = d.location?.path ?? '';
  return path === prefix || path.startsWith(`${prefix}.`);
}

/** Maps `groups.3.selector.cidrs.1` to the form field that holds it. */
function fieldOf(path: string, prefix: string): keyof GroupDraft | undefined {
  const rest = path.slice(prefix.length + 1);
  if (rest === 'name') return 'name';
  if (rest === 'selector') return 'labels';
  if (rest.startsWith('selector.')) {
    const key = rest.split('.')[1];
    if (key === 'labels' || key === 'namespaceLabels' || key === 'image' || key === 'namespace' || key === 'host' || key === 'cidrs' || key === 'except') return key;
  }
  return undefined;
}
