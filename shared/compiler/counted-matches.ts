/**
 * A clause's matches, each counted by the members that give it: two workloads may share an
 * address, and the match leaves the clause only with the last of them.
 */
export type CountedMatches = Map<string, number>;

/**
 * Changes counted matches and remembers which matches were present before the first change,
 * so a compile session can tell both the old and the new clauses apart without copying them.
 */
export class MatchChangeLog {
  private readonly before = new Map<CountedMatches, Map<string, boolean>>();
  /** Flips worked out since the last bump: a patch asks for a remote clause's once per host holding the rule. */
  private readonly flipped = new Map<CountedMatches, Flips>();

  bump(matches: CountedMatches, match: string, delta: 1 | -1): void {
    let seen = this.before.get(matches);
    if (!seen) this.before.set(matches, (seen = new Map<string, boolean>()));
    if (!seen.has(match)) seen.set(match, matches.has(match));
    const count = (matches.get(match) ?? 0) + delta;
    if (count > 0) matches.set(match, count);
    else matches.delete(match);
    this.flipped.delete(matches);
  }

  /** Matches that entered and left the clause since the log began. */
  flips(matches: CountedMatches): Flips {
    let flips = this.flipped.get(matches);
    if (flips) return flips;
    flips = { entered: [], left: [] };
    for (const [match, was] of this.before.get(matches) ?? []) {
      if (!was && matches.has(match)) flips.entered.push(match);
      else if (was && !matches.has(match)) flips.left.push(match);
    }
    this.flipped.set(matches, flips);
    return flips;
  }

  sizeBefore(matches: CountedMatches): number {
    const { entered, left } = this.flips(matches);
    return matches.size - entered.length + left.length;
  }

  /** The clause's matches before the log began. */
  matchesBefore(matches: CountedMatches): string[] {
    const { entered, left } = this.flips(matches);
    const skip = new Set(entered);
    return [...[...matches.keys()].filter((m) => !skip.has(m)), ...left];
  }
}

/** What entered and left a clause; read-only, as the log hands the same lists to every caller. */
export interface Flips {
  readonly entered: string[];
  readonly left: string[];
}
