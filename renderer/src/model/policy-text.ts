import { NO_RENAMES, type GroupRenames } from '@shared/policy/group-renames';
import type { CanvasPosition, Group, Policy } from '@shared/policy/model';
import { serializePolicy } from '@shared/policy/policy-file';
import { sameData } from './same-data';

/*
 * The drawing as the text of its policy file, and back. The text is exactly what Save writes
 * (bar the revision, which Save counts on by one), so the YAML view shows the file to come.
 */

/**
 * The drawing as Save would write it, at its current revision, with the comments of `earlierText`
 * (the text it came from; a group's followed through the groups `renamed` since). Deterministic.
 */
export function drawingText(policy: Policy, earlierText: string | null, renamed: GroupRenames = NO_RENAMES): string {
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
 */
export function withTextApplied(current: Policy, parsed: Policy): Policy {
  const groupsBefore = new Map(current.groups.map((g) => [g.name, g]));
  const edgesBefore = new Map(current.edges.map((e) => [e.id, e]));
  const groups = parsed.groups.map((group) => {
    const before = groupsBefore.get(group.name);
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

function keepPosition(group: Group, before: CanvasPosition | undefined): Group {
  if (!before) return group;
  const wanted = group.position;
  if (wanted && (wanted.x !== Math.round(before.x) || wanted.y !== Math.round(before.y))) return group;
  return { ...group, position: before };
}

function sameItems<T>(a: readonly T[], b: readonly T[]): boolean {
  return a.length === b.length && a.every((item, i) => item === b[i]);
}
