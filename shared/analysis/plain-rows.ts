import type { HardSignatures } from './hard-signatures';
import type { AnswerEnd } from './pair-answers';

/** What PlainRows asks of PairAnswers. */
export interface PlainPairs {
  readonly ends: readonly AnswerEnd[];
  readonly hard: Pick<HardSignatures, 'onHost'>;
  /** The segment id `host` gives a pair no conjunction joins there. */
  plainSegment(host: string, a: number, b: number): number;
  /** Whether some run of the segment is redirected. */
  redirected(segment: number): boolean;
  plainReach(a: number, b: number, honeypots: Int32Array): number;
}

/**
 * The plain reaches from sources to one fixed list of destinations (`columns`), a source's
 * row at a time, as PairAnswers.plainReach gives them pair by pair. A plain pair's segment on
 * a host depends only on the host's base, the family and the two ends' hard signatures there,
 * and nearly every destination has none on the source's host, as nearly every source has
 * none on the destination's; so a row works out the source's segment once, each column keeps
 * its segment for sources of no signature on its host, and the pair's reach is read from the
 * two segment ids. At 5,000 classes that is 24 million pairs, which asked one by one (a dozen
 * map lookups each) took most of 20 s.
 */
export class PlainRows {
  private readonly hostNames: string[] = [];
  private readonly hostIndex = new Map<string, number>();
  private readonly hostOfColumn: Int32Array;
  private readonly familyOfColumn: Uint8Array;
  /** Per host index: the destination signature of each column there (0: none), made when a row first starts there. */
  private readonly destinationSignatures: (Int32Array | undefined)[] = [];
  /** Per column endpoint: the hosts (index, signature) where some hard flow names it as a source. */
  private readonly sourceNamed = new Map<number, [number, number][]>();
  /** Per column: its segment on its own host for a source no hard flow there names; -1 until asked. */
  private readonly segmentForUnnamed: Int32Array;
  /** Per first segment id: reach id + 1 by second segment id + 1 (0: not known yet). */
  private readonly reachBySegments = new Map<number, Int32Array>();
  /** The current row's source signature per host index. */
  private readonly rowSource: Int32Array;

  constructor(
    private readonly pairs: PlainPairs,
    private readonly columns: Int32Array,
    private readonly honeypotsOf: (a: number) => Int32Array,
  ) {
    const indexOf = (host: string | undefined): number => {
      if (host === undefined) return -1;
      let i = this.hostIndex.get(host);
      if (i === undefined) {
        this.hostIndex.set(host, (i = this.hostNames.length));
        this.hostNames.push(host);
      }
      return i;
    };
    this.hostOfColumn = Int32Array.from(columns, (b) => indexOf(pairs.ends[b]!.host));
    this.familyOfColumn = Uint8Array.from(columns, (b) => pairs.ends[b]!.address.family);
    this.segmentForUnnamed = new Int32Array(columns.length).fill(-1);
    const isColumn = new Set(columns);
    this.hostNames.forEach((host, h) => {
      for (const [i, signature] of pairs.hard.onHost(host).source) {
        if (!isColumn.has(i)) continue;
        let named = this.sourceNamed.get(i);
        if (named === undefined) this.sourceNamed.set(i, (named = []));
        named.push([h, signature]);
      }
    });
    this.rowSource = new Int32Array(this.hostNames.length);
  }

  /**
   * The plain reach from `a` (a column endpoint) to every column, into `out`: -1 when no
   * switch is on the path or the families differ, -2 for `a` itself (no pair).
   */
  row(a: number, out: Int32Array): void {
    const { pairs, columns } = this;
    const end = pairs.ends[a]!;
    const family = end.address.family;
    const here = end.host === undefined ? -1 : (this.hostIndex.get(end.host) ?? -1);
    const honeypots = this.honeypotsOf(a);
    if (here < 0) {
      // No switch of its own: the path starts at the destination's, rare enough to ask pair by pair.
      for (let j = 0; j < columns.length; j++) {
        const b = columns[j]!;
        out[j] = b === a ? -2 : this.familyOfColumn[j] !== family ? -1 : pairs.plainReach(a, b, honeypots);
      }
      return;
    }
    const named = this.sourceNamed.get(a) ?? [];
    for (const [h, signature] of named) this.rowSource[h] = signature;
    const destinations = this.destinationsOn(here);
    const host = this.hostNames[here]!;
    let firstForUnnamed = -1;
    let known: Int32Array | undefined;
    for (let j = 0; j < columns.length; j++) {
      const b = columns[j]!;
      if (b === a) {
        out[j] = -2;
        continue;
      }
      if (this.familyOfColumn[j] !== family) {
        out[j] = -1;
        continue;
      }
      let first: number;
      if (destinations[j] === 0) {
        if (firstForUnnamed < 0) {
          firstForUnnamed = pairs.plainSegment(host, a, b);
          known = pairs.redirected(firstForUnnamed) ? undefined : this.reachesAfter(firstForUnnamed);
        }
        first = firstForUnnamed;
      } else first = pairs.plainSegment(host, a, b);
      const there = this.hostOfColumn[j]!;
      let second = -1;
      if (there >= 0 && there !== here) {
        if (this.rowSource[there] !== 0) second = pairs.plainSegment(this.hostNames[there]!, a, b);
        else if ((second = this.segmentForUnnamed[j]!) < 0) second = this.segmentForUnnamed[j] = pairs.plainSegment(this.hostNames[there]!, a, b);
      }
      if (pairs.redirected(first) || (second >= 0 && pairs.redirected(second))) {
        // A redirect's reach depends on where the honeypots are, not on the segments alone.
        out[j] = pairs.plainReach(a, b, honeypots);
        continue;
      }
      let reaches = first === firstForUnnamed ? known! : this.reachesAfter(first);
      let id = second + 1 < reaches.length ? reaches[second + 1]! - 1 : -1;
      if (id < 0) {
        id = pairs.plainReach(a, b, honeypots);
        reaches = this.remember(first, second, id);
        if (first === firstForUnnamed) known = reaches;
      }
      out[j] = id;
    }
    for (const [h] of named) this.rowSource[h] = 0;
  }

  /** The destination signature of each column on host `h`. */
  private destinationsOn(h: number): Int32Array {
    let signatures = this.destinationSignatures[h];
    if (signatures === undefined) {
      signatures = this.destinationSignatures[h] = new Int32Array(this.columns.length);
      const named = this.pairs.hard.onHost(this.hostNames[h]!).destination;
      this.columns.forEach((b, j) => (signatures![j] = named.get(b) ?? 0));
    }
    return signatures;
  }

  private reachesAfter(first: number): Int32Array {
    let reaches = this.reachBySegments.get(first);
    if (reaches === undefined) this.reachBySegments.set(first, (reaches = new Int32Array(16)));
    return reaches;
  }

  /** Records a reach by its two segments, growing the first's array as needed. */
  private remember(first: number, second: number, id: number): Int32Array {
    let reaches = this.reachesAfter(first);
    if (second + 1 >= reaches.length) {
      const grown = new Int32Array(Math.max(reaches.length * 2, second + 2));
      grown.set(reaches);
      this.reachBySegments.set(first, (reaches = grown));
    }
    reaches[second + 1] = id + 1;
    return reaches;
  }
}
