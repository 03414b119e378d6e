/*
 * Names near one that names nothing, for a "did you mean" in a message: the same name in another
 * case, or one a slip of the keys away.
 */

/** Names longer than this are not compared: a pasted line is no slip, and comparing it costs its length squared. */
const LONGEST_COMPARED = 100;

/**
 * The names of `names` that `typed` most likely meant, best first: those that differ from it in
 * case only, else those a letter or two per four away (inserted, deleted, changed, or two
 * neighbours swapped, ignoring case). Deterministic: ties keep the order of `names`.
 */
export function nearNames(typed: string, names: Iterable<string>): string[] {
  const lower = typed.toLowerCase();
  if (lower.length > LONGEST_COMPARED) return [];
  // A slip is a letter or two per word's length; a short word would otherwise match anything short.
  const slips = Math.max(1, Math.floor(typed.length / 4));
  const near: { name: string; distance: number }[] = [];
  const seen = new Set<string>();
  for (const name of names) {
    if (seen.has(name) || name === typed || Math.abs(name.length - typed.length) > slips) continue;
    seen.add(name);
    const distance = editDistance(lower, name.toLowerCase());
    if (distance <= slips) near.push({ name, distance });
  }
  const sameButCase = near.filter((n) => n.distance === 0);
  return (sameButCase.length > 0 ? sameButCase : near.sort((a, b) => a.distance - b.distance)).map((n) => n.name);
}

/** ` (did you mean web-1?)`, or of the first three names ` (did you mean web-1, web-2 or web-3?)`; empty for none. */
export function didYouMean(near: readonly string[], prefix = ''): string {
  const shown = near.slice(0, 3).map((n) => `${prefix}${n}`);
  const last = shown.pop();
  if (last === undefined) return '';
  return ` (did you mean ${shown.length > 0 ? `${shown.join(', ')} or ` : ''}${last}?)`;
}

/** Letters inserted, deleted, changed or two neighbours swapped to turn `a` into `b`. */
function editDistance(a: string, b: string): number {
  const width = b.length + 1;
  const cells = Array.from({ length: (a.length + 1) * width }, (_, k) => (k < width ? k : k % width === 0 ? k / width : 0));
  const at = (i: number, j: number): number => cells[i * width + j] ?? 0;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      let best = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, at(i - 2, j - 2) + 1);
      cells[i * width + j] = best;
    }
  }
  return at(a.length, b.length);
}
