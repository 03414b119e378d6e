/** A connection between two groups as the layering sees it: all edges from one to the other, counted. */
export interface Link {
  from: string;
  to: string;
  weight: number;
}

// Dagre's ordering walks each chain of groups by recursion, a step per layer: deeper drawings overflow a worker's stack.
export const MAX_LAYERS = 150;

/**
 * Each group's layer (column), counted from 0 at the left, so that every link goes from a lower
 * layer to a higher one, except the fewest links that close a cycle, which go the other way.
 * Linear in groups and links, without recursion: dagre's own ranking (network simplex) took 12 s
 * for 1,000 groups and 5,000 random links, and a worker's stack is small. Deterministic: the same
 * names and links in the same order give the same layers. A drawing whose links chain more than
 * MAX_LAYERS groups deep (random links between hundreds of groups) is folded into MAX_LAYERS,
 * keeping the layers' order, so some of its links join groups in the same layer.
 */
export function layersOf(names: readonly string[], links: readonly Link[]): Map<string, number> {
  const forward = acyclicLinks(names, links);
  const order = topologicalOrder(names, forward);
  const outs = byEnd(forward, 'from');
  const ins = byEnd(forward, 'to');

  // Each group as far left as its incoming links allow.
  const layer = new Map<string, number>();
  for (const name of order) {
    let at = 0;
    for (const link of ins.get(name) ?? []) at = Math.max(at, layer.get(link.from)! + 1);
    layer.set(name, at);
  }

  // A group that sends more than it receives (a source above all) moves right, next to its
  // nearest target, so its links are short rather than spanning the drawing.
  for (const name of [...order].reverse()) {
    const out = outs.get(name) ?? [];
    if (out.length === 0 || weightOf(out) <= weightOf(ins.get(name) ?? [])) continue;
    let nearest = Infinity;
    for (const link of out) nearest = Math.min(nearest, layer.get(link.to)!);
    layer.set(name, nearest - 1);
  }

  // Moving may have emptied a layer: close the gap.
  const used = [...new Set(layer.values())].sort((a, b) => a - b);
  const folded = (i: number): number => Math.floor((i * Math.min(used.length, MAX_LAYERS)) / used.length);
  const closed = new Map(used.map((at, i) => [at, folded(i)]));
  return new Map(names.map((name) => [name, closed.get(layer.get(name)!)!]));
}

/** The links with those that close a cycle turned round, found by a depth-first walk in file order. */
function acyclicLinks(names: readonly string[], links: readonly Link[]): Link[] {
  const outs = byEnd(links, 'from');
  const state = new Map<string, 'open' | 'done'>();
  const back = new Set<Link>();
  for (const start of names) {
    if (state.has(start)) continue;
    state.set(start, 'open');
    const stack: { name: string; next: number }[] = [{ name: start, next: 0 }];
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const link = (outs.get(top.name) ?? [])[top.next++];
      if (!link) {
        state.set(top.name, 'done');
        stack.pop();
      } else if (state.get(link.to) === 'open') {
        back.add(link);
      } else if (!state.has(link.to)) {
        state.set(link.to, 'open');
        stack.push({ name: link.to, next: 0 });
      }
    }
  }
  return links.map((l) => (back.has(l) ? { from: l.to, to: l.from, weight: l.weight } : l));
}

/** The names with every link's source before its target (the links must not form a cycle), ties in file order. */
function topologicalOrder(names: readonly string[], links: readonly Link[]): string[] {
  const waiting = new Map(names.map((n) => [n, 0]));
  for (const { to } of links) waiting.set(to, waiting.get(to)! + 1);
  const outs = byEnd(links, 'from');
  const order = names.filter((n) => waiting.get(n) === 0);
  for (let i = 0; i < order.length; i++) {
    for (const { to } of outs.get(order[i]!) ?? []) {
      const left = waiting.get(to)! - 1;
      waiting.set(to, left);
      if (left === 0) order.push(to);
    }
  }
  return order;
}

function byEnd(links: readonly Link[], end: 'from' | 'to'): Map<string, Link[]> {
  const by = new Map<string, Link[]>();
  for (const link of links) {
    const list = by.get(link[end]);
    if (list) list.push(link);
    else by.set(link[end], [link]);
  }
  return by;
}

function weightOf(links: readonly Link[]): number {
  return links.reduce((sum, l) => sum + l.weight, 0);
}
