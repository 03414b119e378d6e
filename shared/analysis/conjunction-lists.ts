/**
 * A number per distinct list of small numbers (conjunction forms, see Conjunction.form), each
 * list grown one number at a time from the empty list (0). A matrix row joins each destination
 * by a few conjunctions, and pairs joined by the same rules share their list, on any hosts:
 * what depends on the list alone is worked out once per list, and no list is kept per pair.
 * Deterministic: the same additions in the same order give the same numbers.
 */
export class ConjunctionLists {
  /** The empty list's number. */
  static readonly EMPTY = 0;

  /** Per list, the numbers of the lists one item longer, by that item. */
  private readonly children: (Map<number, number> | undefined)[] = [undefined];
  private readonly parents: number[] = [-1];
  private readonly lasts: number[] = [-1];
  private readonly items: (readonly number[] | undefined)[] = [[]];

  /** The number of `list` with `item` appended. */
  append(list: number, item: number): number {
    let children = this.children[list];
    if (children === undefined) this.children[list] = children = new Map<number, number>();
    let child = children.get(item);
    if (child === undefined) {
      child = this.parents.length;
      children.set(item, child);
      this.children.push(undefined);
      this.parents.push(list);
      this.lasts.push(item);
      this.items.push(undefined);
    }
    return child;
  }

  /** The items of list `list`, in the order they were appended. */
  list(list: number): readonly number[] {
    const known = this.items[list];
    if (known !== undefined) return known;
    // Up to the nearest list already spelled out, then down again, each list on the way kept.
    const unknown: number[] = [];
    let at = list;
    while (this.items[at] === undefined) {
      unknown.push(at);
      at = this.parents[at]!;
    }
    let items = this.items[at]!;
    for (let i = unknown.length - 1; i >= 0; i--) {
      items = [...items, this.lasts[unknown[i]!]!];
      this.items[unknown[i]!] = items;
    }
    return items;
  }

  /** How many lists have a number. */
  get size(): number {
    return this.parents.length;
  }
}
