import { splitOutsideParentheses } from '../text';
import { parseCt } from './ct-parser';
import { parseFieldWrite, registerLoad } from './field-writes';
import { ETH_TYPE, type FlowAction, type FlowMatch } from './flow-model';
import type { TokenProblem } from './match-parser';

export type ActionsParse = { ok: true; actions: FlowAction[] } | { ok: false; problem: TokenProblem };

/**
 * Parses the text after `actions=`: NORMAL, in_port (also `output:in_port`), drop, goto_table:N, resubmit(,N), ct(…) with
 * commit/table/zone/nat/exec (see ct-parser.ts), conjunction(id,k/n), register writes
 * (`load:V->NXM_NX_REG0[a..b]`, `set_field:V->reg0`) and mod_dl_dst:MAC. Also applies the consistency checks with which
 * Open vSwitch refuses a flow (conjunction mixed with other actions, ct() without an IP match,
 * goto_table backwards), so a table that parses is one the switch would accept. Pure.
 */
export function parseActions(text: string, table: number, match: FlowMatch): ActionsParse {
  const actions: FlowAction[] = [];
  const tokens = splitOutsideParentheses(text);
  if (tokens.length === 0 || tokens.some((t) => t === ''))
    return fail('MS504', `empty action in "actions=${text}"`, text);

  for (const [index, token] of tokens.entries()) {
    const parsed = parseAction(token, match);
    if ('code' in parsed) return { ok: false, problem: parsed };
    if (parsed.kind === 'drop' && tokens.length > 1) return fail('MS506', '"drop" must be the only action', token);
    if (parsed.kind === 'goto-table') {
      if (index !== tokens.length - 1) return fail('MS506', 'goto_table must be the last action', token);
      if (parsed.table <= table)
        return fail('MS506', `goto_table:${parsed.table} must go to a later table than ${table}`, token);
    }
    if (parsed.kind === 'ct' && match.ethType !== ETH_TYPE.ipv4 && match.ethType !== ETH_TYPE.ipv6) {
      return fail(
        'MS505',
        'ct() needs ip or ipv6 in the match; Open vSwitch rejects it otherwise (OFPBAC_MATCH_INCONSISTENT)',
        token,
      );
    }
    actions.push(parsed);
  }

  const conjunctions = actions.filter((a) => a.kind === 'conjunction');
  if (conjunctions.length > 0 && conjunctions.length !== actions.length) {
    return fail('MS506', 'conjunction() may not be mixed with other actions', text);
  }
  return { ok: true, actions };
}

function parseAction(token: string, match: FlowMatch): FlowAction | TokenProblem {
  const lower = token.toLowerCase();
  if (lower === 'normal') return { kind: 'normal' };
  if (lower === 'drop') return { kind: 'drop' };
  if (lower === 'in_port' || lower === 'output:in_port') return { kind: 'in-port' };

  const gotoTable = /^goto_table:(\d+)$/i.exec(token);
  if (gotoTable) return tableAction('goto-table', gotoTable[1] ?? '', token);

  const resubmit = /^resubmit\(\s*,\s*(\d+)\s*\)$/i.exec(token);
  if (resubmit) return tableAction('resubmit', resubmit[1] ?? '', token);

  const conjunction = /^conjunction\(\s*(\d+)\s*,\s*(\d+)\s*\/\s*(\d+)\s*\)$/i.exec(token);
  if (conjunction) {
    const [id, clause, clauses] = conjunction.slice(1).map(Number) as [number, number, number];
    if (clauses < 2 || clauses > 64)
      return problem('MS506', `conjunction needs 2 to 64 clauses, not ${clauses}`, token);
    if (clause < 1 || clause > clauses)
      return problem('MS506', `conjunction clause ${clause} is not between 1 and ${clauses}`, token);
    if (id > 0xffffffff) return problem('MS503', `conjunction id ${id} is larger than 32 bits`, token);
    return { kind: 'conjunction', id, clause, clauses };
  }

  const ct = /^ct\((.*)\)$/i.exec(token);
  if (ct) return parseCt(ct[1] ?? '', token, match);

  const write = parseFieldWrite(token);
  if (write) return 'code' in write ? write : registerLoad(write, token);

  const mac = /^mod_dl_dst:([0-9a-f]{1,2}(?::[0-9a-f]{1,2}){5})$/i.exec(token);
  if (mac) return { kind: 'mod-dl-dst', mac: canonicalMac(mac[1] ?? '') };

  return problem(
    'MS504',
    `unknown or unsupported action "${token}" (the simulator knows NORMAL, in_port, drop, goto_table, resubmit(,N), ct, conjunction, load and set_field to registers, mod_dl_dst)`,
    token,
  );
}

/** `2:0:0:0:0:9` → `02:00:00:00:00:09`, as Open vSwitch prints it. */
function canonicalMac(text: string): string {
  return text
    .split(':')
    .map((part) => part.toLowerCase().padStart(2, '0'))
    .join(':');
}

function tableAction(kind: 'goto-table' | 'resubmit', digits: string, token: string): FlowAction | TokenProblem {
  const table = Number(digits);
  return table <= 254 ? { kind, table } : problem('MS503', `table ${table} is not between 0 and 254`, token);
}

function problem(code: string, message: string, token: string): TokenProblem {
  return { code, message, token };
}

function fail(code: string, message: string, token: string): ActionsParse {
  return { ok: false, problem: problem(code, message, token) };
}
