import { NO_RENAMES, type Rename, type Renames } from '@shared/policy/renames';
import type { CanvasPosition, Edge, Group, Policy } from '@shared/policy/model';
import { serializePolicy } from '@shared/policy/policy-file';
import { sameData } from './same-data';

/*
 * The drawing as the text of its policy file, and back. The text is exactly what Save writes
 * (bar the revision, which Save counts on by one), so the YAML view shows the file to come.
 */

/**
 * The drawing as Save would write it, at its current revision, with the comments of `earlierText`
 * (the text it came from; a group's or edge's followed through the groups and edges `renamed` since). Deterministic.
 */
export function drawingText(policy: Policy, earlierText: string | null, renamed: Renames = NO_RENAMES): string {
  return serializePolicy(policy, earlierText ?? undefined, renamed);
}

/**
 * The drawing a parsed text describes, taking from the current drawing what the text does
 * not decide: the revision (the file's own counter, which Save keeps counting), and the canvas
 * position of each group that still exists where the text leaves `canvas` out or gives the
 * same place rounded (the file keeps whole pixels; the canvas does not).
 *
 * What the text leaves as it was keeps its object (each group, edge, the defaults, the lists
 * when nothing in them changed), so that on thousands of groups an Apply that changes one edge
 * costs the canvas and the membership one edge, not a redraw and re-resolve of everything; and
 * a text that only reformats the drawing gives back parts all identical to the drawing's.
 * A group the text `renamed` keeps its canvas position as one that kept its name does.
 */
export function withTextApplied(current: Policy, parsed: Policy, renamed: Rename | null = null): Policy {
  const groupsBefore = new Map(current.groups.map((g) => [g.name, g]));
  const edgesBefore = new Map(current.edges.map((e) => [e.id, e]));
  const groups = parsed.groups.map((group) => {
    // A group the text `renamed` (see renameInText) is still there, under its new name.
    const before = groupsBefore.get(group.name) ?? (group.name === renamed?.to ? groupsBefore.get(renamed.from) : undefined);
    const kept = keepPosition(group, before?.position);
    return before && sameData(kept, before) ? before : kept;
  });
  const edges = parsed.edges.map((edge) => {
    const before = edgesBefore.get(edge.id);
    return before && sameData(edge, before) ? before : edge;
  });
  return {
    ...parsed,
    revision: current.revision,
    defaults: sameData(parsed.defaults, current.defaults) ? current.defaults : parsed.defaults,
    infrastructure: sameData(parsed.infrastructure, current.infrastructure) ? current.infrastructure : parsed.infrastructure,
    groups: sameItems(groups, current.groups) ? current.groups : groups,
    edges: sameItems(edges, current.edges) ? current.edges : edges,
  };
}

/**
 * The one group whose name a parsed text changed, when the text can be read no other way; null
 * otherwise. The rule, kept strict because a wrong guess would move a group's notes in the file
 * onto another group: exactly one group of the drawing is gone from the text and exactly one
 * group of the text is new; the new one is the gone one in everything but its name (description,
 * selector, isolation; its `canvas` line left out or unchanged); and the edges that named the
 * gone group are, in the same order, the edges that name the new one, each as it was apart from
 * that end and its id (a find-and-replace of the name renames `web-to-app` too). Two groups
 * renamed in one Apply, or a group renamed and changed, are read as groups removed and added:
 * their notes go. Deterministic.
 */
export function renameInText(current: Policy, parsed: Policy): Rename | null {
  const namesBefore = new Set(current.groups.map((g) => g.name));
  const namesAfter = new Set(parsed.groups.map((g) => g.name));
  const gone = current.groups.filter((g) => !namesAfter.has(g.name));
  const added = parsed.groups.filter((g) => !namesBefore.has(g.name));
  if (gone.length !== 1 || added.length !== 1) return null;

  const [before, after] = [gone[0]!, added[0]!];
  if (!sameData({ ...keepPosition(after, before.position), name: before.name }, before)) return null;

  const endsBefore = current.edges.filter((e) => e.from === before.name || e.to === before.name);
  const endsAfter = parsed.edges.filter((e) => e.from === after.name || e.to === after.name);
  const rename = (end: string): string => (end === before.name ? after.name : end);
  const followed = (edge: Edge, i: number): boolean => {
    const was = endsBefore[i]!;
    return sameData({ ...edge, id: was.id }, { ...was, from: rename(was.from), to: rename(was.to) });
  };
  if (endsAfter.length !== endsBefore.length || !endsAfter.every(followed)) return null;
  return { kind: 'group', from: before.name, to: after.name };
}

/**
 * The edges whose id a parsed text changed, each where the text can be read no other way: an edge
 * of the drawing whose id is gone from the text, and one of the text with an id new to it, alike in
 * all else (its ends followed through the group the text `renamed`, see renameInText), and neither
 * alike so to another. Any other edge gone or new is read as removed or added: its notes go. In
 * the order of the drawing's edges. Deterministic.
 */
export function edgeIdChangesInText(current: Policy, parsed: Policy, renamed: Rename | null): Rename[] {
  const idsBefore = new Set(current.edges.map((e) => e.id));
  const idsAfter = new Set(parsed.edges.map((e) => e.id));
  const gone = current.edges.filter((e) => !idsAfter.has(e.id));
  const added = parsed.edges.filter((e) => !idsBefore.has(e.id));
  const end = (name: string): string => (name === renamed?.from ? renamed.to : name);
  // Alike but for the id: the drawing's edge as the text would hold it, given the other's id.
  const alike = (was: Edge, now: Edge): boolean => sameData({ ...was, id: now.id, from: end(was.from), to: end(was.to) }, now);

  return gone.flatMap((was) => {
    const matches = added.filter((now) => alike(was, now));
    if (matches.length !== 1) return [];
    const now = matches[0]!;
    return gone.filter((other) => alike(other, now)).length === 1 ? [{ kind: 'edge' as const, from: was.id, to: now.id }] : [];
  });
}

function keepPosition(group: Group, before: CanvasPosition | undefined): Group {
  if (!before) return group;
  const wanted = group.position;
  if (wanted && (wanted.x !== Math.round(before.x) || wanted.y !== Math.round(before.y))) return group;
  return { ...group, position: before };
}

function sameItems<T>(a: readonly T[], b: readonly T[]): boolean {
  return a.length === b.length && a.every((item, i) => item === b[i]);
}
