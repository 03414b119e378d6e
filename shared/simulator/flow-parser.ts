import type { Diagnostic } from '../diagnostics';
import { parseActions } from './action-parser';
import { DEFAULT_PRIORITY, formatMatch, type FlowMatch, type SimFlow } from './flow-model';
import { addMatchToken, checkPrerequisites, parseNumber, type TokenProblem } from './match-parser';

/** The flows a text yields, plus what is wrong with the lines that yield none. */
export interface FlowTextParse {
  flows: SimFlow[];
  diagnostics: Diagnostic[];
}

/** Flow properties that `dump-flows` prints (or `add-flows` takes) and that do not affect matching. */
const PROPERTIES = new Set([
  'duration',
  'n_packets',
  'n_bytes',
  'idle_age',
  'hard_age',
  'idle_timeout',
  'hard_timeout',
  'importance',
  'reset_counts',
  'send_flow_rem',
  'check_overlap',
  'no_packet_counts',
  'no_byte_counts',
]);

const HEADER = /^(NXST|OFPST)_FLOW reply\b/;

/**
 * Parses flow text as the compiler emits it (`cookie=…,table=…,priority=…,MATCH actions=…`,
 * `#` comments and blank lines ignored, an optional `add ` prefix as in deploy bundles) or as
 * `ovs-ofctl dump-flows` prints it (`cookie=0x…, table=0, n_packets=…, priority=100,arp actions=NORMAL`).
 * A bad line yields an error diagnostic naming its line and is left out; a later flow with the
 * same table, priority and match replaces an earlier one, as `add-flows` does. Pure, deterministic.
 */
export function parseFlowText(text: string, file?: string): FlowTextParse {
  const byKey = new Map<string, SimFlow>();
  const diagnostics: Diagnostic[] = [];

  text.split(/\r?\n/).forEach((raw, index) => {
    const line = index + 1;
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#') || HEADER.test(trimmed)) return;

    const parsed = parseFlowLine(trimmed.replace(/^add\s+/, ''), line);
    if ('code' in parsed) {
      const column = Math.max(raw.indexOf(parsed.token), 0) + 1;
      diagnostics.push({
        code: parsed.code,
        severity: 'error',
        message: `line ${line}: ${parsed.message}`,
        location: { file, line, column },
      });
      return;
    }

    const key = `${parsed.table}|${parsed.priority}|${formatMatch(parsed.match)}`;
    const earlier = byKey.get(key);
    if (earlier) {
      diagnostics.push({
        code: 'MS507',
        severity: 'warning',
        message: `line ${line} has the same table, priority and match as line ${earlier.line}; Open vSwitch keeps only the later flow, so line ${earlier.line} has no effect`,
        location: { file, line, column: 1 },
      });
      byKey.delete(key);
    }
    byKey.set(key, parsed);
  });

  const flows = [...byKey.values()].sort((a, b) => a.line - b.line);
  return { flows, diagnostics };
}

/** Parses text that must be valid (the compiler's own output); throws listing every problem otherwise. */
export function parseFlowTextStrict(text: string, file?: string): SimFlow[] {
  const { flows, diagnostics } = parseFlowText(text, file);
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0)
    throw new FlowTextError(
      `flow text${file ? ` ${file}` : ''} does not parse:\n${errors.map((d) => `  ${d.code} ${d.message}`).join('\n')}`,
    );
  return flows;
}

/**
 * A parsed flow's match as its line writes it (`tcp,tp_dst=22`), without cookie, table,
 * priority, the properties dump-flows adds, and actions; empty for a flow that matches anything.
 */
export function matchAsWritten(flow: SimFlow): string {
  const at = /(^|[\s,])actions=/.exec(flow.text);
  const head = at ? flow.text.slice(0, at.index) : flow.text;
  const isMatch = (token: string): boolean => {
    const key = token.split('=', 1)[0]!;
    return key !== 'cookie' && key !== 'table' && key !== 'priority' && !PROPERTIES.has(key);
  };
  return head.split(/[\s,]+/).filter((t) => t !== '' && isMatch(t)).join(',');
}

/** Flow text that does not parse: the text's fault, not the question asked of it. */
export class FlowTextError extends Error {
  override name = 'FlowTextError';
}

function parseFlowLine(text: string, line: number): SimFlow | TokenProblem {
  if (/^(delete|modify)\b/i.test(text))
    return {
      code: 'MS501',
      message: 'only flows to add can be simulated, not delete or modify commands',
      token: text.split(/\s/)[0] ?? text,
    };
  const at = /(^|[\s,])actions=/.exec(text);
  if (!at) return { code: 'MS501', message: 'a flow needs "actions=…"; is this a flow line?', token: text };

  const head = text.slice(0, at.index);
  const actionsText = text.slice(at.index + at[0].length).trim();
  const match: FlowMatch = {};
  let cookie = '0x0';
  let table = 0;
  let priority = DEFAULT_PRIORITY;

  for (const token of head.split(/[\s,]+/).filter((t) => t !== '')) {
    const [key = '', value] = token.split('=', 2);
    if (key === 'cookie') {
      if (value === undefined || value.includes('/'))
        return { code: 'MS503', message: `"${token}" is not a cookie value`, token };
      const canonical = canonicalCookie(value);
      if (canonical === null) return { code: 'MS503', message: `"${value}" is not a 64-bit cookie`, token };
      cookie = canonical;
    } else if (key === 'table' || key === 'priority') {
      const n = value === undefined ? null : parseNumber(value);
      const max = key === 'table' ? 254 : 65535;
      if (n === null || n > max)
        return { code: 'MS503', message: `${key} must be a number from 0 to ${max}, not "${value ?? ''}"`, token };
      if (key === 'table') table = n;
      else priority = n;
    } else if (!PROPERTIES.has(key)) {
      const problem = addMatchToken(match, token);
      if (problem) return problem;
    }
  }

  const unmet = checkPrerequisites(match);
  if (unmet) {
    const token = head.split(/[\s,]+/).find((t) => t.startsWith(`${unmet.field}=`)) ?? text;
    return { code: 'MS505', message: `${unmet.message}; Open vSwitch rejects this flow`, token };
  }

  const actions = parseActions(actionsText, table, match);
  if (!actions.ok) return actions.problem;
  return { line, text, cookie, table, priority, match, actions: actions.actions };
}

/** A cookie (hex `0x…` or decimal) as SimFlow keeps it, `0x` and lowercase hex; null if it is not a 64-bit number. */
export function canonicalCookie(text: string): string | null {
  if (!/^(0x[0-9a-f]{1,16}|\d{1,20})$/i.test(text)) return null;
  const value = BigInt(text);
  return value < 1n << 64n ? `0x${value.toString(16)}` : null;
}
