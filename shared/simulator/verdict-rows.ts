import { lengthened } from '../arrays';

/**
 * Bytes of rows all hosts of one engine may hold; past it, the host that asks for more starts
 * its rows over (answers are recomputed, never changed), so memory stays bounded.
 */
export class RowBudget {
  used = 0;
  constructor(readonly limit = 1 << 28) {}
}

/** Distinct answers one host can remember: a cell holds its code in a byte, 0 meaning "not known". */
const MAX_CODES = 255;
const MIN_ROW_LENGTH = 64;
/** Room for this many service classes per source from the start: widening copies the index while a verdict waits. */
const FIRST_SERVICE_STRIDE = 16;

/**
 * One host's remembered answers, dense: per (source class, service class) a row indexed by
 * destination class, so a known packet costs a few typed-array reads, where a hash table of
 * class triples read at random cost cache misses on every probe. An answer is stored as a
 * one-byte code of the host's answers. Rows live in one growing byte slab (rows are made by
 * the hundred thousand: one buffer each kept the garbage collector busy); a row that must
 * grow moves to the slab's end.
 */
export class AnswerRows {
  /** Per row (source class × stride + service class), side by side: its offset in the slab (-1: none) and its length. */
  private index: Int32Array = new Int32Array(0);
  private stride = FIRST_SERVICE_STRIDE;
  private slab = new Uint8Array(1 << 16);
  private used = 0;
  /** code - 1 → answer, and back. */
  private readonly answers: number[] = [];
  private readonly codes = new Map<number, number>();

  constructor(private readonly budget: RowBudget) {
    budget.used += this.slab.length;
  }

  /** Gives this host's bytes back to the budget: the engine has dropped the host. */
  release(): void {
    this.budget.used -= this.slab.length;
  }

  /** The answer remembered for these classes, or -1. */
  get(source: number, service: number, destination: number): number {
    if (service >= this.stride) return -1;
    const at = 2 * (source * this.stride + service);
    if (at >= this.index.length || destination >= this.index[at + 1]!) return -1;
    const code = this.slab[this.index[at]! + destination]!;
    return code === 0 ? -1 : this.answers[code - 1]!;
  }

  /**
   * Makes room in the index for this many source classes, so rows of sources first met later do
   * not copy it again: a large typed array made while the heap is big costs tens of microseconds.
   */
  reserve(sources: number): void {
    const length = 2 * this.stride * sources;
    if (length > this.index.length) this.index = lengthened(this.index, length, -1);
  }

  /** Remembers a non-negative answer; silently does not once the host has MAX_CODES distinct answers. */
  set(source: number, service: number, destination: number, answer: number): void {
    let code = this.codes.get(answer);
    if (code === undefined) {
      if (this.answers.length >= MAX_CODES) return;
      this.answers.push(answer);
      this.codes.set(answer, (code = this.answers.length));
    }
    while (service >= this.stride) this.widen();
    const at = 2 * (source * this.stride + service);
    if (at >= this.index.length) this.index = lengthened(this.index, Math.max(2048, 2 * this.index.length, at + 2), -1);
    if (destination >= this.index[at + 1]!) this.place(at, destination + 1);
    this.slab[this.index[at]! + destination] = code;
  }

  /** Gives the row at `at` in the index a fresh place of at least `length` cells at the slab's end, keeping its cells. */
  private place(at: number, length: number): void {
    const size = Math.max(MIN_ROW_LENGTH, 1 << Math.ceil(Math.log2(length)));
    if (this.used + size > this.slab.length) this.growSlab(size);
    // growSlab may have started over, dropping the row.
    const old = this.index[at]!;
    if (old >= 0) this.slab.copyWithin(this.used, old, old + this.index[at + 1]!);
    this.index[at] = this.used;
    this.index[at + 1] = size;
    this.used += size;
  }

  private growSlab(atLeast: number): void {
    const length = Math.max(2 * this.slab.length, this.used + atLeast);
    if (this.budget.used + length - this.slab.length > this.budget.limit) {
      this.startOver();
      if (atLeast <= this.slab.length) return;
    }
    const slab = new Uint8Array(length);
    slab.set(this.slab.subarray(0, this.used));
    this.budget.used += length - this.slab.length;
    this.slab = slab;
  }

  private startOver(): void {
    for (let at = 0; at < this.index.length; at += 2) {
      this.index[at] = -1;
      this.index[at + 1] = -1;
    }
    this.slab.fill(0, 0, this.used);
    this.used = 0;
  }

  /** Doubles the service classes a source has room for, moving the row index entries (the rows stay). */
  private widen(): void {
    const stride = 2 * this.stride;
    const index = new Int32Array(2 * stride * Math.ceil(this.index.length / (2 * this.stride))).fill(-1);
    for (let row = 0; 2 * row < this.index.length; row++) {
      const at = 2 * (Math.floor(row / this.stride) * stride + (row % this.stride));
      index[at] = this.index[2 * row]!;
      index[at + 1] = this.index[2 * row + 1]!;
    }
    this.index = index;
    this.stride = stride;
  }
}
