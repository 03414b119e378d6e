import type { AnalysisSteps } from './steps';

/** Endpoints grouped so that every pair no rule joins gets its reach from its two groups alone. */
export interface PlainClasses {
  /** Per endpoint, its class. */
  classOf: Int32Array;
  classes: number;
  /** `plain[k1 * classes + k2]`: the reach id of a pair no rule joins from class k1 to class k2; -1 when no switch is on its path or the families differ, -2 when there is no such pair. */
  plain: Int32Array;
  /** Classes before merging those whose plain reaches agree. */
  hardClasses: number;
}

/** What plainClasses asks for, given one representative endpoint per class. */
export interface PlainReaches {
  /** The plain reach from `a` (a representative) to every representative, into `out`: -1 when no switch is on the path or the families differ; `out` at `a` itself is ignored. */
  row(a: number, out: Int32Array): void;
  /** The plain reach of one pair of one family. */
  pair(a: number, b: number): number;
}

/**
 * Classes for the pairs no rule joins. `keys` gives each endpoint what such a pair's reach can
 * depend on (its family, host, hard signatures and honeypot segments): the plain reach is
 * worked out once per pair of keys, from representatives (a row of them at a time, by the
 * PlainReaches that `reachesTo` makes for them); then keys whose rows and columns of reaches
 * are the same merge, so a group has members in few classes and a group cell counts its pairs
 * per pair of classes.
 */
export function* plainClasses(keys: readonly string[], reachesTo: (representatives: Int32Array) => PlainReaches): AnalysisSteps<PlainClasses> {
  const byKey = new Map<string, number>();
  const members: number[][] = [];
  const hardOf = keys.map((key, i) => {
    let k = byKey.get(key);
    if (k === undefined) {
      byKey.set(key, (k = members.length));
      members.push([]);
    }
    members[k]!.push(i);
    return k;
  });

  const n = members.length;
  const reach = new Int32Array(n * n);
  const plainReaches = reachesTo(Int32Array.from(members, (m) => m[0]!));
  for (let x = 0; x < n; x++) {
    const a = members[x]![0]!;
    plainReaches.row(a, reach.subarray(x * n, (x + 1) * n));
    // Within a class, a pair is two of its members.
    const b = members[x]![1];
    reach[x * n + x] = b === undefined ? -2 : plainReaches.pair(a, b);
    yield { done: x + 1, total: n, unit: 'address classes' };
  }

  // Classes with the same row and the same column of reaches are interchangeable. Rows and
  // columns are compared by a hash first, then number by number: as text, at 5,000 classes
  // they were 250 MB of strings.
  const merged = new Map<number, number[]>();
  const classOfHard = new Int32Array(n);
  const firstHard: number[] = [];
  const same = (x: number, y: number): boolean => {
    for (let z = 0; z < n; z++) if (reach[x * n + z] !== reach[y * n + z] || reach[z * n + x] !== reach[z * n + y]) return false;
    return true;
  };
  for (let x = 0; x < n; x++) {
    const hash = rowAndColumnHash(reach, n, x);
    const candidates = merged.get(hash) ?? [];
    let k = candidates.find((c) => same(firstHard[c]!, x));
    if (k === undefined) {
      candidates.push((k = firstHard.length));
      merged.set(hash, candidates);
      firstHard.push(x);
    }
    classOfHard[x] = k;
  }
  const classes = firstHard.length;
  const plain = new Int32Array(classes * classes);
  for (let k1 = 0; k1 < classes; k1++) for (let k2 = 0; k2 < classes; k2++) plain[k1 * classes + k2] = reach[firstHard[k1]! * n + firstHard[k2]!]!;
  return { classOf: Int32Array.from(hardOf, (x) => classOfHard[x]!), classes, plain, hardClasses: n };
}

/** A 32-bit hash of row `x` and column `x` of an n × n matrix (FNV-1a over the numbers). */
function rowAndColumnHash(reach: Int32Array, n: number, x: number): number {
  let hash = 0x811c9dc5;
  for (let z = 0; z < n; z++) hash = Math.imul(hash ^ reach[x * n + z]!, 0x01000193);
  for (let z = 0; z < n; z++) hash = Math.imul(hash ^ reach[z * n + x]!, 0x01000193);
  return hash >>> 0;
}
