import { quotedName, splitOutsideParentheses } from '../text';

/** One requirement of a Kubernetes-style label selector. */
export type LabelRequirement =
  | { key: string; op: 'eq' | 'neq'; value: string }
  | { key: string; op: 'in' | 'notin'; values: string[] }
  | { key: string; op: 'exists' | 'notexists' };

export type LabelSelectorParse = { ok: true; requirements: LabelRequirement[] } | { ok: false; message: string };

const KEY = /^([a-z0-9A-Z]([-a-z0-9A-Z_.]*[a-z0-9A-Z])?\/)?[a-z0-9A-Z]([-a-z0-9A-Z_.]*[a-z0-9A-Z])?$/;
const VALUE = /^([a-z0-9A-Z]([-a-z0-9A-Z_.]*[a-z0-9A-Z])?)?$/;

/** Kubernetes' lengths: a value and a key's name at most 63 characters, a key's prefix (a DNS subdomain) at most 253. */
const NAME_LENGTH = 63;
const PREFIX_LENGTH = 253;

/** Which label keys and values a selector can name, in words (the rules of KEY and VALUE and their lengths). */
export const LABEL_KEY_RULE = 'at most 63 letters, digits, "-", "_" and "." starting and ending with a letter or digit, optionally after a "prefix/" of the same (at most 253)';
export const LABEL_VALUE_RULE = 'empty, or at most 63 letters, digits, "-", "_" and "." starting and ending with a letter or digit';

/** Whether a selector can name this label key (`parseLabelSelector` takes it): what Kubernetes takes as one. */
export function isLabelKey(key: string): boolean {
  const slash = key.lastIndexOf('/');
  return KEY.test(key) && key.length - slash - 1 <= NAME_LENGTH && slash <= PREFIX_LENGTH;
}

/** Whether a selector can name this label value: what Kubernetes takes as one. */
export function isLabelValue(value: string): boolean {
  return VALUE.test(value) && value.length <= NAME_LENGTH;
}

/**
 * Parses the selector syntax kubectl accepts: `k=v`, `k==v`, `k!=v`, `k in (a,b)`,
 * `k notin (a)`, `k` (exists) and `!k` (does not exist), joined by commas. The empty value is
 * a value: `k=`, and in a set an empty item (`k in ()`, `k in (a,)`), as Kubernetes reads them.
 */
export function parseLabelSelector(text: string): LabelSelectorParse {
  const requirements: LabelRequirement[] = [];
  for (const part of splitOutsideParentheses(text)) {
    const parsed = parseRequirement(part.trim());
    if (typeof parsed === 'string') return { ok: false, message: `label selector ${quotedName(text)}: ${parsed}` };
    requirements.push(parsed);
  }
  return { ok: true, requirements };
}

/** Whether a workload's labels satisfy every requirement. */
export function matchesLabels(requirements: readonly LabelRequirement[], labels: Readonly<Record<string, string>>): boolean {
  // A loop, not `every`: a compile session asks this of a thousand groups per relabel.
  for (const r of requirements) if (!meets(r, labels[r.key])) return false;
  return true;
}

function meets(r: LabelRequirement, value: string | undefined): boolean {
  switch (r.op) {
    case 'eq':
      return value === r.value;
    case 'neq':
      return value !== r.value;
    case 'in':
      return value !== undefined && r.values.includes(value);
    case 'notin':
      return value === undefined || !r.values.includes(value);
    case 'exists':
      return value !== undefined;
    case 'notexists':
      return value === undefined;
  }
}

/**
 * Whether some set of labels satisfies every requirement: false for contradictions such as
 * `app=a,app=b`, `app=a,!app` or `app in (a),app notin (a)`. Exact: label values are unbounded,
 * so a requirement that only excludes values can always be met.
 */
export function labelsSatisfiable(requirements: readonly LabelRequirement[]): boolean {
  const keys = new Set(requirements.map((r) => r.key));
  for (const key of keys) {
    const own = requirements.filter((r) => r.key === key);
    let allowed: Set<string> | null = null;
    let mustExist = false;
    const excluded = new Set<string>();
    for (const r of own) {
      if (r.op === 'eq' || r.op === 'in') {
        const values = 'value' in r ? [r.value] : r.values;
        allowed = new Set(allowed === null ? values : values.filter((v) => allowed!.has(v)));
        mustExist = true;
      } else if (r.op === 'neq') excluded.add(r.value);
      else if (r.op === 'notin') for (const v of r.values) excluded.add(v);
      else if (r.op === 'exists') mustExist = true;
    }
    const mustNotExist = own.some((r) => r.op === 'notexists');
    if (mustExist && mustNotExist) return false;
    if (allowed !== null && ![...allowed].some((v) => !excluded.has(v))) return false;
  }
  return true;
}

function parseRequirement(part: string): LabelRequirement | string {
  if (part === '') return 'empty requirement (two commas in a row?)';
  // A CSV inventory writes labels `k=v;k2=v2`; a selector joins its requirements with commas.
  if (part.includes(';')) return `"${part}": requirements are joined by commas, not ";"; write ${part.split(';').map((p) => p.trim()).filter((p) => p !== '').join(',')}`;
  if (part.includes('(') !== part.includes(')')) return `"${part}" has an unclosed parenthesis; write key in (a,b)`;
  const setMatch = /^(\S+)\s+(in|notin)\s*\(([^)]*)\)$/.exec(part);
  if (setMatch) {
    const [, key = '', op, list = ''] = setMatch;
    // As in Kubernetes, an empty item is the empty value: `k in ()` is k="", `k in (a,)` is a or "".
    const values = [...new Set(list.split(',').map((v) => v.trim()))];
    if (values.some((v) => !isLabelValue(v))) return `values of ${quotedName(key)} must be label values (${LABEL_VALUE_RULE})`;
    return checkKey(key) ?? { key, op: op === 'in' ? 'in' : 'notin', values };
  }
  const eqMatch = /^([^!=\s]+)\s*(==|=|!=)\s*(\S*)$/.exec(part);
  // Spaces inside a value: `tier=we b` is no key, but what is wrong is the value.
  const spaced = /^([^!=\s]+)\s*(==|=|!=)\s*(.*\s.*)$/.exec(part);
  if (!eqMatch && spaced) return `${quotedName(spaced[3] ?? '')} is not a valid label value: a value holds no spaces`;
  if (eqMatch) {
    const [, key = '', op, value = ''] = eqMatch;
    if (!isLabelValue(value)) return `${quotedName(value)} is not a valid label value: ${LABEL_VALUE_RULE}`;
    return checkKey(key) ?? { key, op: op === '!=' ? 'neq' : 'eq', value };
  }
  if (part.startsWith('!')) {
    const key = part.slice(1).trim();
    return checkKey(key) ?? { key, op: 'notexists' };
  }
  return checkKey(part) ?? { key: part, op: 'exists' };
}

function checkKey(key: string): string | undefined {
  return isLabelKey(key) ? undefined : `${quotedName(key)} is not a valid label key: ${LABEL_KEY_RULE}`;
}
