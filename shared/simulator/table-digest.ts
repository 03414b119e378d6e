import type { SimFlow } from './flow-model';
import type { FlowTables } from './simulate';

/**
 * A 64-bit digest of a table's flows as printed, in order, or of a host's tables
 * (CompiledFlowReader makes them while it reads compiled tables). Two tables with different digests differ; two
 * with equal digests are the same but for a chance of about 2^-64 per pair, so a comparison of
 * two compiles (the impact of a change) skips the hosts and the tables a change left alone
 * without a pass over their flows: at 10,000 workloads that pass read a million flows, most of
 * them unchanged.
 */
export class TableDigest {
  private low = 0x811c9dc5;
  private high = 0x1b873593;

  /** Mixes in one number (an integer field, or one half of a TextHash). */
  add(value: number): void {
    this.low = Math.imul(this.low ^ value, 0x01000193);
    this.high = Math.imul((this.high ^ value) + 0x9e3779b9, 0x85ebca6b) ^ (this.high >>> 13);
  }

  addText(hash: TextHash): void {
    this.add(hash.low);
    this.add(hash.high);
  }

  /** Mixes in another digest so far. */
  addDigest(other: TableDigest): void {
    this.add(other.low);
    this.add(other.high);
  }

  /** The digest so far, as text. */
  value(): string {
    return `${(this.low >>> 0).toString(16)}:${(this.high >>> 0).toString(16)}`;
  }
}

/**
 * The digests of one host's flows as they are read: each table's, of its flows in order, and
 * the host's, of its tables' digests in the order the tables first appear (what makes two
 * hosts' grouped tables alike).
 */
export class HostDigests {
  private readonly tables = new Map<number, TableDigest>();
  private lastTable = -1;
  private last = new TableDigest();

  /** The digest of `table`, to mix its next flow into (flows come table by table, so the last is kept at hand). */
  of(table: number): TableDigest {
    if (table !== this.lastTable) {
      let digest = this.tables.get(table);
      if (!digest) this.tables.set(table, (digest = new TableDigest()));
      this.lastTable = table;
      this.last = digest;
    }
    return this.last;
  }

  /** The host's digest and each table's, once every flow is in. */
  values(): ReadDigests {
    const host = new TableDigest();
    const tables = new Map<number, string>();
    for (const [table, digest] of this.tables) {
      host.add(table);
      host.addDigest(digest);
      tables.set(table, digest.value());
    }
    return { host: host.value(), tables };
  }
}

/** What HostDigests gives: the host's digest, and each table's by number. */
export interface ReadDigests {
  host: string;
  tables: ReadonlyMap<number, string>;
}

/** Two independent 32-bit hashes of one text: a digest mixes texts by these, each worked out once per distinct text. */
export interface TextHash {
  low: number;
  high: number;
}

export function hashText(text: string): TextHash {
  let low = 0x811c9dc5;
  let high = 0xcc9e2d51;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    low = Math.imul(low ^ c, 0x01000193);
    high = Math.imul(high ^ c, 0x5bd1e995) ^ (high >>> 15);
  }
  // The length too, so a text and the same text followed by what a neighbour field holds differ.
  return { low: Math.imul(low ^ text.length, 0x01000193), high: Math.imul(high ^ text.length, 0x5bd1e995) };
}

/** Digests by loaded host tables and by each table's flows (loadHostTables remembers them): comparisons ask, and tables loaded another way have none. */
const digests = new WeakMap<FlowTables | readonly SimFlow[], string>();

export function rememberDigest(tables: FlowTables | readonly SimFlow[], digest: string): void {
  digests.set(tables, digest);
}

export function digestOf(tables: FlowTables | readonly SimFlow[]): string | undefined {
  return digests.get(tables);
}
