import type { Diagnostic } from '@shared/diagnostics';
import type { Fan } from '../../model/edge-fan';
import { sameItems } from '../../model/keep-unchanged';
import type { GroupFlowNode } from './GroupNode';
import type { ServiceFlowEdge } from './ServiceEdge';

/*
 * Whether a group or edge would be drawn exactly as before. Every check of the drawing makes new
 * diagnostics and every membership change new member lists, so those compare by content; the
 * policy's own parts compare by reference, since edits replace what they change.
 */

export function sameGroupNode(a: GroupFlowNode, b: GroupFlowNode): boolean {
  return (
    a.position.x === b.position.x &&
    a.position.y === b.position.y &&
    a.selected === b.selected &&
    a.measured === b.measured &&
    a.data.group === b.data.group &&
    sameItems(a.data.members, b.data.members) &&
    sameDiagnostics(a.data.diagnostics, b.data.diagnostics)
  );
}

export function sameServiceEdge(a: ServiceFlowEdge, b: ServiceFlowEdge): boolean {
  return (
    a.source === b.source &&
    a.target === b.target &&
    a.selected === b.selected &&
    a.data?.edge === b.data?.edge &&
    a.data?.routes === b.data?.routes &&
    sameFan(a.data?.fan, b.data?.fan) &&
    sameDiagnostics(a.data?.diagnostics ?? [], b.data?.diagnostics ?? [])
  );
}

/** Every edit of the edges works the fans out anew; an edge keeps its place unless its pair changed. */
function sameFan(a: Fan | undefined, b: Fan | undefined): boolean {
  return a === b || (a !== undefined && b !== undefined && a.offset === b.offset && a.spread === b.spread && a.width === b.width);
}

/** What a badge shows: the same problems in the same order. */
function sameDiagnostics(a: readonly Diagnostic[], b: readonly Diagnostic[]): boolean {
  return a === b || (a.length === b.length && a.every((d, i) => d.code === b[i]!.code && d.severity === b[i]!.severity && d.message === b[i]!.message));
}
