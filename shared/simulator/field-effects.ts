import { formatAddress, type AddressBits } from './address-bits';
import { formatCtState, formatMasked, type FlowAction } from './flow-model';
import { trackedState, type ConnectionState, type PacketFields } from './packet';

type CtAction = Extract<FlowAction, { kind: 'ct' }>;

/** Writes a register's bits under the load's mask; returns what happened, in words. */
export function applyLoad(fields: PacketFields, action: Extract<FlowAction, { kind: 'load' }>): string {
  const regs = [...fields.regs];
  regs[action.register] = (((regs[action.register] ?? 0) & ~action.mask) | action.value) >>> 0;
  fields.regs = regs;
  return `load: reg${action.register}=${formatMasked(action, 0xffffffff)}, now 0x${(regs[action.register] ?? 0).toString(16)}`;
}

export function applyModDlDst(fields: PacketFields, action: Extract<FlowAction, { kind: 'mod-dl-dst' }>): string {
  fields.ethDst = action.mac;
  return `mod_dl_dst: the packet now goes to MAC ${action.mac}`;
}

/**
 * The packet conntrack hands to table N after `ct(table=N)`: tracked with the state's flags and
 * the connection's mark (`ctMark` of the packet for est/rpl, 0 for new, plus what this commit
 * sets); a destination NAT already applied is now visible to lookups, and so is the
 * connection's own (`ctNat`) where `ct(nat)` applies it to an established packet. Pure.
 */
export function trackedCopy(
  fields: PacketFields,
  action: CtAction,
  state: ConnectionState,
  ctMark: number,
  ctNat?: AddressBits,
): PacketFields {
  const mark = state === 'new' ? 0 : ctMark;
  const committed = action.commit && action.mark ? ((mark & ~action.mark.mask) | action.mark.value) >>> 0 : mark;
  const natDst = action.commit && action.nat?.dst ? action.nat.dst : appliesConnectionNat(action, state) && ctNat ? ctNat : fields.natDst;
  return {
    ...fields,
    ctState: trackedState(state, fields),
    ctMark: committed,
    ...(natDst ? { dst: natDst, natDst } : {}),
  };
}

/**
 * What `ct()` does to the packet that goes on with the rest of the action list: a commit with
 * nat(dst=…) sends it to the new destination; whatever ct() did, it is untracked again with
 * every conntrack field cleared. Returns the effects in words.
 */
export function applyCt(fields: PacketFields, action: CtAction, state: ConnectionState, ctNat?: AddressBits): string[] {
  const effects: string[] = [];
  if (action.commit) effects.push('ct(commit): the connection is committed to conntrack');
  if (appliesConnectionNat(action, state))
    effects.push(
      ctNat
        ? `nat: conntrack rewrites the destination to ${formatAddress(ctNat)}, where the connection's first packet was redirected`
        : "nat: conntrack would apply the connection's NAT here; the simulator assumes none",
    );
  else if (action.nat && !action.nat.dst) effects.push('nat: a new connection has no NAT yet, nothing is rewritten');
  if (action.commit && action.nat?.dst) {
    fields.natDst = action.nat.dst;
    effects.push(
      `nat(dst=${formatAddress(action.nat.dst)}): the packet leaves for this address instead (later lookups in this pass still see the old one)`,
    );
  }
  if (action.commit && action.mark)
    effects.push(`exec: the connection's ct_mark=${formatMasked(action.mark, 0xffffffff)}`);
  fields.ctState = 0;
  fields.ctMark = 0;
  return effects;
}

/** Whether this `ct()` applies the NAT an existing connection already has: a bare `nat` on a later packet. */
function appliesConnectionNat(action: CtAction, state: ConnectionState): boolean {
  return state !== 'new' && action.nat !== undefined && !action.nat.dst;
}

/** `+new+trk`, or `untracked` before the packet has been through conntrack. */
export function describeCtState(fields: PacketFields): string {
  return fields.ctState === 0 ? 'untracked' : formatCtState({ value: fields.ctState, mask: fields.ctState });
}

/** `reg0=0x1 ct_mark=0x1` for what is not 0; undefined when everything is. */
export function describeMetadata(fields: PacketFields): string | undefined {
  const parts = fields.regs.flatMap((v, i) => (v !== 0 ? [`reg${i}=0x${v.toString(16)}`] : []));
  if (fields.ctMark !== 0) parts.push(`ct_mark=0x${fields.ctMark.toString(16)}`);
  return parts.length > 0 ? parts.join(' ') : undefined;
}
