import { parseLabelSelector } from '../policy/label-selector';
import { mustBe, mustBeOneOf } from '../text';
import type { LabelSelectorObject } from './network-policy';

// Kubernetes label selectors (matchLabels, matchExpressions) to and from the kubectl text that
// group selectors use, with the API server's checks of keys, values and operators.

/** A problem at a path under the selector, as the API server words it. */
export interface SelectorProblem {
  path: string;
  message: string;
}

const NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const NAME_RULE = 'at most 63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit';
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/**
 * The kubectl text of a selector (`''` selects everything), or the problems that make the API
 * server refuse it. Requirements keep the object's order: matchLabels, then matchExpressions.
 */
export function selectorText(selector: LabelSelectorObject | null | undefined): { text: string; problems: SelectorProblem[] } {
  const problems: SelectorProblem[] = [];
  const parts: string[] = [];
  for (const [key, value] of Object.entries(selector?.matchLabels ?? {})) {
    const bad = keyProblem(key) ?? valueProblem(value);
    if (bad) problems.push({ path: `matchLabels.${key}`, message: bad });
    else parts.push(`${key}=${value}`);
  }
  (selector?.matchExpressions ?? []).forEach((e, i) => {
    const requirement = expressionText(e, `matchExpressions.${i}`);
    if (typeof requirement === 'string') parts.push(requirement);
    else problems.push(requirement);
  });
  return { text: parts.join(','), problems };
}

/** One matchExpression as kubectl text, or why the API server refuses it. */
function expressionText(e: NonNullable<LabelSelectorObject['matchExpressions']>[number], at: string): string | SelectorProblem {
  const values = e.values ?? [];
  const bad = keyProblem(e.key) ?? values.map(valueProblem).find((p) => p !== undefined);
  if (bad) return { path: at, message: bad };
  switch (e.operator) {
    case 'In':
    case 'NotIn':
      if (values.length === 0) return { path: `${at}.values`, message: `operator ${e.operator} needs at least one value` };
      return `${e.key} ${e.operator === 'In' ? 'in' : 'notin'} (${values.join(',')})`;
    case 'Exists':
    case 'DoesNotExist':
      if (values.length > 0) return { path: `${at}.values`, message: `operator ${e.operator} takes no values` };
      return e.operator === 'Exists' ? e.key : `!${e.key}`;
    default:
      return { path: `${at}.operator`, message: mustBeOneOf('operator', ['In', 'NotIn', 'Exists', 'DoesNotExist'], e.operator) };
  }
}

/** The Kubernetes form of kubectl selector text; null when the text does not parse. */
export function selectorObject(text: string): LabelSelectorObject | null {
  const parsed = parseLabelSelector(text);
  if (!parsed.ok) return null;
  const matchLabels: Record<string, string> = {};
  const matchExpressions: NonNullable<LabelSelectorObject['matchExpressions']> = [];
  for (const r of parsed.requirements) {
    if (r.op === 'eq' && !(r.key in matchLabels)) matchLabels[r.key] = r.value;
    else if (r.op === 'eq') matchExpressions.push({ key: r.key, operator: 'In', values: [r.value] });
    else if (r.op === 'neq') matchExpressions.push({ key: r.key, operator: 'NotIn', values: [r.value] });
    else if (r.op === 'in' || r.op === 'notin') matchExpressions.push({ key: r.key, operator: r.op === 'in' ? 'In' : 'NotIn', values: r.values });
    else matchExpressions.push({ key: r.key, operator: r.op === 'exists' ? 'Exists' : 'DoesNotExist' });
  }
  return {
    ...(Object.keys(matchLabels).length > 0 ? { matchLabels } : {}),
    ...(matchExpressions.length > 0 ? { matchExpressions } : {}),
  };
}

/** Joins selectors into one that requires all of them; `''` (everything) drops out. */
export function allOf(...texts: string[]): string {
  return [...new Set(texts.filter((t) => t !== ''))].join(',');
}

function keyProblem(key: string): string | undefined {
  const slash = key.lastIndexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = key.slice(slash + 1);
  if (prefix !== undefined && (prefix.length > 253 || !DNS_SUBDOMAIN.test(prefix))) return mustBe('label key prefix', 'a DNS subdomain such as example.com', key);
  if (name.length > 63 || !NAME.test(name)) return mustBe('label key', `${NAME_RULE}, optionally after a DNS subdomain prefix and "/"`, key);
  return undefined;
}

function valueProblem(value: string): string | undefined {
  if (value === '') return undefined;
  return value.length <= 63 && NAME.test(value) ? undefined : mustBe('label value', NAME_RULE, value);
}
