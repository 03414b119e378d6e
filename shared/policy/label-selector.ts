import { splitOutsideParentheses } from '../text';

/** One requirement of a Kubernetes-style label selector. */
export type LabelRequirement =
  | { key: string; op: 'eq' | 'neq'; value: string }
  | { key: string; op: 'in' | 'notin'; values: string[] }
  | { key: string; op: 'exists' | 'notexists' };

export type LabelSelectorParse = { ok: true; requirements: LabelRequirement[] } | { ok: false; message: string };

const KEY = /^([a-z0-9A-Z]([-a-z0-9A-Z_.]*[a-z0-9A-Z])?\/)?[a-z0-9A-Z]([-a-z0-9A-Z_.]*[a-z0-9A-Z])?$/;
const VALUE = /^([a-z0-9A-Z]([-a-z0-9A-Z_.]*[a-z0-9A-Z])?)?$/;

/**
 * Parses the selector syntax kubectl accepts: `k=v`, `k==v`, `k!=v`, `k in (a,b)`,
 * `k notin (a)`, `k` (exists) and `!k` (does not exist), joined by commas.
 */
export function parseLabelSelector(text: string): LabelSelectorParse {
  const requirements: LabelRequirement[] = [];
  for (const part of splitOutsideParentheses(text)) {
    const parsed = parseRequirement(part.trim());
    if (typeof parsed === 'string') return { ok: false, message: `label selector "${text}": ${parsed}` };
    requirements.push(parsed);
  }
  return { ok: true, requirements };
}

/** Whether a workload's labels satisfy every requirement. */
export function matchesLabels(requirements: readonly LabelRequirement[], labels: Readonly<Record<string, string>>): boolean {
  return requirements.every((r) => {
    const value = labels[r.key];
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
  });
}

function parseRequirement(part: string): LabelRequirement | string {
  if (part === '') return 'empty requirement (two commas in a row?)';
  if (part.includes('(') !== part.includes(')')) return `"${part}" has an unclosed parenthesis; write key in (a,b)`;
  const setMatch = /^(\S+)\s+(in|notin)\s*\(([^)]*)\)$/.exec(part);
  if (setMatch) {
    const [, key = '', op, list = ''] = setMatch;
    const values = list.split(',').map((v) => v.trim());
    if (values.every((v) => v === '')) return `"${key} ${op} ()" lists no value; write at least one, as in ${key} ${op} (a,b)`;
    if (values.some((v) => !VALUE.test(v) || v === '')) return `values of "${key}" must be label values`;
    return checkKey(key) ?? { key, op: op === 'in' ? 'in' : 'notin', values };
  }
  const eqMatch = /^([^!=\s]+)\s*(==|=|!=)\s*(\S*)$/.exec(part);
  if (eqMatch) {
    const [, key = '', op, value = ''] = eqMatch;
    if (!VALUE.test(value)) return `"${value}" is not a valid label value`;
    return checkKey(key) ?? { key, op: op === '!=' ? 'neq' : 'eq', value };
  }
  if (part.startsWith('!')) {
    const key = part.slice(1).trim();
    return checkKey(key) ?? { key, op: 'notexists' };
  }
  return checkKey(part) ?? { key: part, op: 'exists' };
}

function checkKey(key: string): string | undefined {
  return KEY.test(key) ? undefined : `"${key}" is not a valid label key`;
}
