/**
 * Remembered host answers keyed by two 32-bit words, in open addressing over typed arrays: a
 * Map of millions of number keys spends most of a lookup on cache misses and garbage
 * collection. Full at `maxSlots` / 2 entries, it starts over (answers are recomputed, never
 * changed), so memory stays bounded.
 */
export class VerdictMemo {
  private slots: number;
  /** Per slot four words: high, low, the answer + 1 (0: empty), unused; one cache line holds whole slots. */
  private table: Int32Array;
  private count = 0;

  constructor(
    initialSlots = 1 << 16,
    private readonly maxSlots = 1 << 24,
  ) {
    this.slots = initialSlots;
    this.table = new Int32Array(initialSlots * 4);
  }

  /** How many answers it holds. */
  get size(): number {
    return this.count;
  }

  /** The answer stored under (high, low), or -1. */
  get(high: number, low: number): number {
    const mask = this.slots - 1;
    const table = this.table;
    for (let slot = hash(high, low) & mask; ; slot = (slot + 1) & mask) {
      const at = slot << 2;
      const answer = table[at + 2]!;
      if (answer === 0) return -1;
      if (table[at] === high && table[at + 1] === low) return answer - 1;
    }
  }

  /** Stores a non-negative answer under (high, low), which must not be stored yet. */
  set(high: number, low: number, answer: number): void {
    if ((this.count + 1) * 2 > this.slots) this.grow();
    this.place(high, low, answer + 1);
    this.count++;
  }

  private place(high: number, low: number, stored: number): void {
    const mask = this.slots - 1;
    const table = this.table;
    let slot = hash(high, low) & mask;
    while (table[(slot << 2) + 2] !== 0) slot = (slot + 1) & mask;
    table[slot << 2] = high;
    table[(slot << 2) + 1] = low;
    table[(slot << 2) + 2] = stored;
  }

  private grow(): void {
    const old = this.table;
    if (this.slots >= this.maxSlots) {
      old.fill(0);
      this.count = 0;
      return;
    }
    this.slots *= 2;
    this.table = new Int32Array(this.slots * 4);
    for (let at = 0; at < old.length; at += 4) if (old[at + 2] !== 0) this.place(old[at]!, old[at + 1]!, old[at + 2]!);
  }
}

function hash(high: number, low: number): number {
  let h = Math.imul(high ^ 0x9e3779b9, 0x85ebca6b) ^ low;
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
  return (h ^ (h >>> 15)) >>> 0;
}
