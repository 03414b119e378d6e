import type { CanvasPosition, Group, Policy } from '@shared/policy/model';
import { serializePolicy } from '@shared/policy/policy-file';

/*
 * The drawing as the text of its policy file, and back. The text is exactly what Save writes
 * (bar the revision, which Save counts on by one), so the YAML view shows the file to come.
 */

/** The drawing as Save would write it, at its current revision. Deterministic. */
export function drawingText(policy: Policy): string {
  return serializePolicy(policy);
}

/**
 * The drawing a parsed text describes, taking from the current drawing what the text does
 * not decide: the revision (the file's own counter, which Save keeps counting), and the canvas
 * position of each group that still exists where the text leaves `canvas` out or gives the
 * same place rounded (the file keeps whole pixels; the canvas does not).
 */
export function withTextApplied(current: Policy, parsed: Policy): Policy {
  const positions = new Map(current.groups.map((g) => [g.name, g.position]));
  return {
    ...parsed,
    revision: current.revision,
    groups: parsed.groups.map((group) => keepPosition(group, positions.get(group.name))),
  };
}

function keepPosition(group: Group, before: CanvasPosition | undefined): Group {
  if (!before) return group;
  const wanted = group.position;
  if (wanted && (wanted.x !== Math.round(before.x) || wanted.y !== Math.round(before.y))) return group;
  return { ...group, position: before };
}
