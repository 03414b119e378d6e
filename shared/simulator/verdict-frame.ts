import { REGISTER_COUNT } from './flow-model';
import type { EngineAddress } from './verdict-address';

/**
 * The packet while the verdict engine walks a host's tables: PacketFields as plain numbers,
 * mutable, so one preallocated frame per conntrack nesting level serves every packet.
 * `-1` stands for a field the packet does not have (a port on ICMP, a protocol on ARP).
 */
export class Frame {
  ethType = 0;
  ipProto = -1;
  tpSrc = -1;
  tpDst = -1;
  icmpType = -1;
  icmpCode = -1;
  src!: EngineAddress;
  dst!: EngineAddress;
  ctState = 0;
  ctMark = 0;
  readonly regs = new Uint32Array(REGISTER_COUNT);
  conjId = 0;
  /** Where a ct(commit,nat(dst=…)) sent the packet; lookups still see `dst` (see PacketFields.natDst). */
  natDst: EngineAddress | null = null;
  ethDst: string | null = null;

  /** Makes this frame an exact copy of another. */
  copyFrom(other: Frame): void {
    this.ethType = other.ethType;
    this.ipProto = other.ipProto;
    this.tpSrc = other.tpSrc;
    this.tpDst = other.tpDst;
    this.icmpType = other.icmpType;
    this.icmpCode = other.icmpCode;
    this.src = other.src;
    this.dst = other.dst;
    this.ctState = other.ctState;
    this.ctMark = other.ctMark;
    this.regs.set(other.regs);
    this.conjId = other.conjId;
    this.natDst = other.natDst;
    this.ethDst = other.ethDst;
  }

  /** A packet as it arrives at a switch: no conntrack state, registers 0, nothing rewritten. */
  resetMetadata(): void {
    this.ctState = 0;
    this.ctMark = 0;
    this.regs.fill(0);
    this.conjId = 0;
    this.natDst = null;
    this.ethDst = null;
  }
}
