/**
 * A group renamed, or an edge given another id: `from` is the name or id it had, `to` the one it
 * was given. Group names and edge ids are apart: a rename of one kind never touches the other.
 */
export interface Rename {
  readonly kind: 'group' | 'edge';
  readonly from: string;
  readonly to: string;
}

/**
 * For each name (or id) changed since an earlier text of the policy file, the one it had there
 * mapped to the one it has now; null when it is gone (another took the name it went by). One
 * not in the map goes by the name it had there.
 */
export type NameChanges = ReadonlyMap<string, string | null>;

/** The groups renamed and the edges given another id since an earlier text of the policy file. */
export interface Renames {
  readonly groups: NameChanges;
  readonly edges: NameChanges;
}

export const NO_RENAMES: Renames = { groups: new Map(), edges: new Map() };

/**
 * The renames that lead from the drawing an earlier text was printed from to the current one,
 * given the renames each had made since the drawing was opened: undo takes renames back, so the
 * way may first go back over some of the earlier's. A chain of renames gives the last name; a
 * group (or edge) renamed back is not in the map. Deterministic.
 */
export function renamesBetween(earlier: readonly Rename[], current: readonly Rename[]): Renames {
  let shared = 0;
  while (shared < earlier.length && shared < current.length && sameRename(earlier[shared]!, current[shared]!)) shared++;
  const undone = earlier.slice(shared).reverse().map(({ kind, from, to }) => ({ kind, from: to, to: from }));
  const way = [...undone, ...current.slice(shared)];
  return { groups: nameChanges(way.filter((r) => r.kind === 'group')), edges: nameChanges(way.filter((r) => r.kind === 'edge')) };
}

/** Where a way of renames of one kind leads each name it touches. */
function nameChanges(way: readonly Rename[]): NameChanges {
  const nameNow = new Map<string, string | null>();
  for (const { from, to } of way) {
    // The one renamed is the earlier one that goes by `from` now; none when that name was taken by a new one.
    const earlierName = [...nameNow].find(([, now]) => now === from)?.[0] ?? (nameNow.has(from) ? undefined : from);
    // Names are unique: one of the earlier text that went by `to` until now is gone.
    for (const [name, now] of nameNow) if (now === to) nameNow.set(name, null);
    if (!nameNow.has(to)) nameNow.set(to, null);
    if (earlierName !== undefined) nameNow.set(earlierName, to);
  }
  for (const [name, now] of nameNow) if (name === now) nameNow.delete(name);
  return nameNow;
}

function sameRename(a: Rename, b: Rename): boolean {
  return a.kind === b.kind && a.from === b.from && a.to === b.to;
}
