import { splitOutsideParentheses } from '../text';
import { addressBits } from './address-bits';
import { ETH_TYPE, type FlowAction, type FlowMatch, type NatSpec } from './flow-model';
import { parseFieldWrite } from './field-writes';
import { parseNumber, type TokenProblem } from './match-parser';

type CtAction = Extract<FlowAction, { kind: 'ct' }>;

/**
 * Parses the arguments of `ct(…)`: commit, table=N, zone=N, `nat` or `nat(dst=A)` (A an IPv4
 * address, or IPv6 with or without brackets), and `exec(load:V->NXM_NX_CT_MARK[a..b])` or
 * `exec(set_field:V[/M]->ct_mark)`. Refuses what Open vSwitch refuses: NAT with an address or
 * exec without commit, a NAT address of the other family than the match. Pure.
 */
export function parseCt(args: string, token: string, match: FlowMatch): CtAction | TokenProblem {
  const action: CtAction = { kind: 'ct', commit: false };
  for (const arg of splitOutsideParentheses(args).filter((a) => a !== '')) {
    const [key = '', value] = arg.split('=', 2);
    const n = value === undefined ? null : parseNumber(value);
    if (key === 'commit' && value === undefined) action.commit = true;
    else if (key === 'table' && n !== null && n <= 254) action.table = n;
    else if (key === 'zone' && n !== null && n <= 0xffff) action.zone = n;
    else if (/^nat(\(.*\))?$/.test(arg)) {
      const nat = parseNat(arg, token);
      if ('code' in nat) return nat;
      action.nat = nat;
    } else if (/^exec\(.*\)$/.test(arg)) {
      const mark = parseExec(arg.slice('exec('.length, -1), token);
      if (mark && 'code' in mark) return mark;
      if (mark) action.mark = mark;
    } else
      return unsupported(
        `unsupported ct() argument "${arg}" (the simulator knows commit, table=N, zone=N, nat, nat(dst=A), exec(load:…->NXM_NX_CT_MARK[…]))`,
        token,
      );
  }
  if (!action.commit && (action.nat?.dst || action.mark))
    return refused(
      'ct() with nat(dst=…) or exec(…) needs commit; Open vSwitch rejects it (OFPBAC_BAD_ARGUMENT)',
      token,
    );
  // Without ip or ipv6 in the match, parseActions reports the missing IP match instead.
  const family = match.ethType === ETH_TYPE.ipv6 ? 6 : match.ethType === ETH_TYPE.ipv4 ? 4 : null;
  if (action.nat?.dst && family !== null && action.nat.dst.family !== family)
    return {
      code: 'MS505',
      message: `nat(dst=…) to an IPv${action.nat.dst.family} address needs ${action.nat.dst.family === 6 ? 'ipv6' : 'ip'} in the match; Open vSwitch rejects it otherwise (OFPBAC_MATCH_INCONSISTENT)`,
      token,
    };
  return action;
}

function parseNat(arg: string, token: string): NatSpec | TokenProblem {
  if (arg === 'nat') return {};
  const inner = arg.slice('nat('.length, -1).trim();
  const dst = /^dst=(?:\[([^\]]+)\]|([^[\]]+))$/.exec(inner);
  const address = dst ? addressBits(dst[1] ?? dst[2] ?? '') : null;
  if (!address)
    return unsupported(
      `unsupported nat "${arg}" (the simulator knows nat and nat(dst=ADDRESS), without ports, ranges or src)`,
      token,
    );
  return { dst: address };
}

/** The mark bits an exec(…) sets; null for an empty exec. Only ct_mark may be set there. */
function parseExec(inner: string, token: string): { value: number; mask: number } | TokenProblem | null {
  let value = 0;
  let mask = 0;
  for (const part of splitOutsideParentheses(inner).filter((p) => p !== '')) {
    const write = parseFieldWrite(part);
    if (write === null)
      return unsupported(`unsupported action "${part}" in ct(exec(…)); the simulator knows loads into ct_mark`, token);
    if ('code' in write) return write;
    if (write.target.field.kind !== 'ct_mark')
      return refused(`ct(exec(…)) may only set ct_mark or ct_label, not "${part}"; Open vSwitch rejects it`, token);
    value = ((value & ~write.bits.mask) | write.bits.value) >>> 0;
    mask = (mask | write.bits.mask) >>> 0;
  }
  return mask === 0 ? null : { value, mask };
}

function unsupported(message: string, token: string): TokenProblem {
  return { code: 'MS504', message, token };
}

function refused(message: string, token: string): TokenProblem {
  return { code: 'MS506', message, token };
}
