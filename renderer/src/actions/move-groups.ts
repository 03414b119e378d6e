import type { CanvasPosition } from '@shared/policy/model';
import { withGroupMoved } from '../model/policy-edits';
import { useCanvasStore } from '../stores/canvas-store';
import { endStep, usePolicyStore } from '../stores/policy-store';

/** A group's new place on the canvas; `held` while the mouse still holds it in a drag. */
export interface GroupMove {
  name: string;
  position: CanvasPosition;
  held: boolean;
}

// The undo step of one drag: its drop, and any save made while it was held.
const DRAG = 'drag';

/**
 * Moves groups on the canvas. A held group only follows the mouse: the drawing changes once, when
 * it is let go (each frame's edit had the whole policy checked again, 0.1-0.2 s a frame at 5,000
 * groups). A move that was never held (the arrow keys) is an edit of its own.
 */
export function moveGroups(moves: readonly GroupMove[]): void {
  const { held, hold } = useCanvasStore.getState();
  const placed = moves.filter((m) => !m.held);
  if (moves.some((m) => m.held) || placed.some((m) => held.has(m.name))) {
    const next = new Map(held);
    for (const m of moves) {
      if (m.held) next.set(m.name, m.position);
      else next.delete(m.name);
    }
    hold(next);
  }

  const dropped = placed.some((m) => held.has(m.name));
  usePolicyStore.getState().edit((p) => placed.reduce((next, m) => withGroupMoved(next, m.name, m.position), p), dropped ? DRAG : undefined);
  if (dropped) endStep();
}

/**
 * Gives the drawing the places of the groups held in a drag, as part of that drag's undo step, so
 * a save in mid-drag writes what the canvas shows. The drop then changes only what moved since.
 */
export function placeHeldGroups(): void {
  const { held } = useCanvasStore.getState();
  usePolicyStore.getState().edit((p) => [...held].reduce((next, [name, position]) => withGroupMoved(next, name, position), p), DRAG);
}
