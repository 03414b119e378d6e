import { registerNumber, parseNumber, type TokenProblem } from './match-parser';
import type { BitsMatch, FlowAction } from './flow-model';

/** Where a `load` or `set_field` writes: a register or the connection's mark, and which bits. */
export interface FieldTarget {
  field: { kind: 'reg'; register: number } | { kind: 'ct_mark' };
  /** The written bits as a mask over the 32-bit field. */
  mask: number;
  /** The lowest written bit: `load` shifts its value there. */
  shift: number;
}

/** The value/mask a write puts into its field, or a problem; `field` tells registers from ct_mark. */
export type FieldWrite = { target: FieldTarget; bits: BitsMatch } | TokenProblem;

/**
 * Parses `load:V->FIELD[a..b]` (also `FIELD[]` and `FIELD[n]`) and `set_field:V[/M]->FIELD`
 * where FIELD is a register (`NXM_NX_REG0`, `reg0`) or the connection's mark (`NXM_NX_CT_MARK`,
 * `ct_mark`). Null when the token is neither action. Refuses a value wider than the bits, as
 * `ovs-ofctl` does. Pure.
 */
export function parseFieldWrite(token: string): FieldWrite | null {
  const load = /^load:([^-]+)->(.+)$/i.exec(token);
  if (load) {
    const value = parseNumber(load[1]?.trim() ?? '');
    const target = parseFieldRef(load[2]?.trim() ?? '');
    if (!target)
      return problem(`"${load[2] ?? ''}" is not a register or ct_mark bit range such as NXM_NX_REG0[0..15]`, token);
    const width = bitCount(target.mask);
    if (value === null || value >= 2 ** width)
      return problem(`"${load[1] ?? ''}" does not fit into ${width} bits`, token);
    return { target, bits: { value: (value * 2 ** target.shift) >>> 0, mask: target.mask } };
  }
  const setField = /^set_field:([^-]+)->(.+)$/i.exec(token);
  if (setField) {
    const field = fieldOf(setField[2]?.trim() ?? '');
    if (!field)
      return problem(
        `set_field of "${setField[2] ?? ''}" is not supported (the simulator knows reg0..reg15 and ct_mark)`,
        token,
      );
    const [valueText = '', maskText] = (setField[1] ?? '').trim().split('/');
    const value = parseNumber(valueText);
    const mask = maskText === undefined ? 0xffffffff : parseNumber(maskText);
    if (value === null || mask === null || value > 0xffffffff || mask > 0xffffffff)
      return problem(`"${setField[1] ?? ''}" is not a 32-bit value or value/mask`, token);
    return { target: { field, mask, shift: 0 }, bits: { value: (value & mask) >>> 0, mask } };
  }
  return null;
}

/** The action of a register write; ct_mark writes are only valid inside ct(…exec(…)). */
export function registerLoad(
  write: { target: FieldTarget; bits: BitsMatch },
  token: string,
): FlowAction | TokenProblem {
  const field = write.target.field;
  if (field.kind !== 'reg')
    return {
      code: 'MS506',
      message: 'ct_mark can only be set inside ct(commit,exec(…)); Open vSwitch rejects this flow',
      token,
    };
  return { kind: 'load', register: field.register, value: write.bits.value, mask: write.bits.mask };
}

function parseFieldRef(text: string): FieldTarget | null {
  const m = /^([a-z0-9_]+)\[(?:(\d+)(?:\.\.(\d+))?)?\]$/i.exec(text);
  if (!m) return null;
  const field = fieldOf(m[1] ?? '');
  if (!field) return null;
  const start = m[2] === undefined ? 0 : Number(m[2]);
  const end = m[2] === undefined ? 31 : m[3] === undefined ? start : Number(m[3]);
  if (end < start || end > 31) return null;
  const width = end - start + 1;
  return { field, mask: ((2 ** width - 1) * 2 ** start) >>> 0, shift: start };
}

function fieldOf(name: string): FieldTarget['field'] | null {
  const lower = name.toLowerCase();
  if (lower === 'nxm_nx_ct_mark' || lower === 'ct_mark') return { kind: 'ct_mark' };
  const register = registerNumber(lower.replace(/^nxm_nx_reg/, 'reg'));
  return register === null ? null : { kind: 'reg', register };
}

function bitCount(mask: number): number {
  let n = 0;
  for (let m = mask >>> 0; m !== 0; m >>>= 1) n += m & 1;
  return n;
}

function problem(message: string, token: string): TokenProblem {
  return { code: 'MS503', message, token };
}
