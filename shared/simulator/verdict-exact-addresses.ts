/** An address as the exact maps key it: its family, its IPv4 number (0 for IPv6) and its value. */
export interface ExactAddress {
  readonly family: number;
  readonly v4: number;
  readonly value: bigint;
}

const EMPTY = -1;

/**
 * A fixed map from exact addresses to non-negative numbers, built once from all its entries.
 * IPv4 numbers lie in one open-addressing typed array, key and value side by side, so a lookup
 * is usually one read of one cache line: a first sight of a (host, destination) reads a host's
 * map of thousands of addresses at random, where a Map cost a read of its bucket and then one
 * of its entry. IPv6 addresses, rare, stay in a Map by their value's text. Deterministic.
 */
export class ExactAddresses {
  /** Per place: the IPv4 number (as a signed 32-bit integer), then its value or EMPTY. */
  private readonly v4: Int32Array;
  private readonly mask: number;
  /** 32 less the bits of a place. */
  private readonly shift: number;
  private readonly v6 = new Map<string, number>();

  constructor(entries: readonly (readonly [ExactAddress, number])[]) {
    let bits = 3;
    while (1 << bits < 2 * entries.length) bits++;
    this.v4 = new Int32Array(2 << bits).fill(EMPTY);
    this.mask = (1 << bits) - 1;
    this.shift = 32 - bits;
    for (const [address, value] of entries) {
      if (value < 0) throw new Error('ExactAddresses holds non-negative numbers only');
      if (address.family === 4) this.setV4(address.v4 | 0, value);
      else this.v6.set(address.value.toString(16), value);
    }
  }

  /** The number kept for the address, or -1. */
  get(address: ExactAddress): number {
    if (address.family !== 4) return this.v6.get(address.value.toString(16)) ?? -1;
    const key = address.v4 | 0;
    const v4 = this.v4;
    for (let place = this.placeOf(key); ; place = (place + 1) & this.mask) {
      const value = v4[2 * place + 1]!;
      if (value === EMPTY || v4[2 * place] === key) return value;
    }
  }

  private setV4(key: number, value: number): void {
    let place = this.placeOf(key);
    while (this.v4[2 * place + 1] !== EMPTY && this.v4[2 * place] !== key) place = (place + 1) & this.mask;
    this.v4[2 * place] = key;
    this.v4[2 * place + 1] = value;
  }

  /** Where a key's probe starts: the top bits of a multiplicative hash, as consecutive addresses (a subnet) are common. */
  private placeOf(key: number): number {
    return Math.imul(key, 0x9e3779b1) >>> this.shift;
  }
}
