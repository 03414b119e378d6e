/** One group renamed on the canvas: `from` is the name it had, `to` the name it was given. */
export interface GroupRename {
  readonly from: string;
  readonly to: string;
}

/**
 * For each group renamed since an earlier text of the policy file, its name there mapped to its
 * name now; null when it is gone (another group took the name it went by). A group not in the
 * map goes by the name it had there.
 */
export type GroupRenames = ReadonlyMap<string, string | null>;

export const NO_RENAMES: GroupRenames = new Map();

/**
 * The renames that lead from the drawing an earlier text was printed from to the current one,
 * given the renames each had made since the drawing was opened: undo takes renames back, so the
 * way may first go back over some of the earlier's. A chain of renames gives the last name; a
 * group renamed back is not in the map. Deterministic.
 */
export function renamesBetween(earlier: readonly GroupRename[], current: readonly GroupRename[]): GroupRenames {
  let shared = 0;
  while (shared < earlier.length && shared < current.length && sameRename(earlier[shared]!, current[shared]!)) shared++;
  const undone = earlier.slice(shared).reverse().map(({ from, to }) => ({ from: to, to: from }));

  const nameNow = new Map<string, string | null>();
  for (const { from, to } of [...undone, ...current.slice(shared)]) {
    // The group renamed is the earlier one that goes by `from` now; none when that name was taken by a new group.
    const earlierName = [...nameNow].find(([, now]) => now === from)?.[0] ?? (nameNow.has(from) ? undefined : from);
    // Names are unique: a group of the earlier text that went by `to` until now is gone.
    for (const [name, now] of nameNow) if (now === to) nameNow.set(name, null);
    if (!nameNow.has(to)) nameNow.set(to, null);
    if (earlierName !== undefined) nameNow.set(earlierName, to);
  }
  for (const [name, now] of nameNow) if (name === now) nameNow.delete(name);
  return nameNow;
}

function sameRename(a: GroupRename, b: GroupRename): boolean {
  return a.from === b.from && a.to === b.to;
}
