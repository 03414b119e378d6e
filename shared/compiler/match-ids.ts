import { intern } from '../arrays';

/**
 * Match texts numbered in the order a compile first meets them. Clauses, conjunction bands and
 * the flow sort then work on small integers (array slots) instead of `Map`s keyed by text; the
 * text only comes back when a flow is made. Hosts share most matches, so one table serves all.
 */
export class MatchIds {
  private readonly ids = new Map<string, number>();
  private readonly texts: string[] = [];
  private ranked: Int32Array | undefined;

  /** The id of a match text, the same for every call with that text. */
  id(text: string): number {
    const id = intern(this.ids, text);
    if (id === this.texts.length) this.texts.push(text);
    return id;
  }

  text(id: number): string {
    return this.texts[id]!;
  }

  /** How many distinct matches there are so far; every id is below it. */
  get size(): number {
    return this.texts.length;
  }

  /** Each id's place in the code-unit order of the texts (the order `<` gives strings); worked out again only after new texts came. */
  ranks(): Int32Array {
    if (this.ranked?.length === this.texts.length) return this.ranked;
    const byText = Array.from(this.texts.keys()).sort((a, b) => (this.texts[a]! < this.texts[b]! ? -1 : 1));
    const ranks = new Int32Array(this.texts.length);
    byText.forEach((id, rank) => (ranks[id] = rank));
    return (this.ranked = ranks);
  }
}
