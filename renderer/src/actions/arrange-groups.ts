// The store tests import this file under the node-side tsconfig, which does not know Vite's `?worker` imports.
/// <reference types="vite/client" />
import type { CanvasPosition, Policy } from '@shared/policy/model';
import { withGroupsPlaced, type GroupSize } from '../model/arrange';
import { usePolicyStore } from '../stores/policy-store';
import type { ArrangeReply, ArrangeRequest } from '../workers/arrange.worker';
import ArrangeWorker from '../workers/arrange.worker?worker';
import { WorkerCaller, WorkerFailure } from '../workers/worker-caller';

// A drawing edited while it was being laid out is laid out again; past this many tries the user is plainly busy.
const TRIES = 3;

/**
 * Lays the groups out by their edges (see arrangedPositions) in a worker, and gives the drawing
 * those places as one undo step. `sizes` are the groups' measured sizes. True when the groups
 * were placed; false when the drawing kept changing while it was laid out.
 */
export async function arrangeGroups(sizes: ReadonlyMap<string, GroupSize>): Promise<boolean> {
  for (let attempt = 0; attempt < TRIES; attempt++) {
    const basis = usePolicyStore.getState().policy;
    const positions = await layOut(basis, sizes);
    if (placeArranged(basis, positions)) return true;
  }
  return false;
}

/**
 * Gives the drawing the places laid out for `basis`, as one undo step, unless its groups or
 * edges changed since: those places would be for another drawing. Edits of anything else
 * (the policy's settings) keep the places.
 */
export function placeArranged(basis: Policy, positions: ReadonlyMap<string, CanvasPosition>): boolean {
  const { policy, edit } = usePolicyStore.getState();
  if (policy.groups !== basis.groups || policy.edges !== basis.edges) return false;
  edit((p) => withGroupsPlaced(p, positions));
  return true;
}

/**
 * What the notice titled "Arranging the groups failed" says under its title: why, without the
 * title again, and what the user can do, the drawing being as it was.
 */
export function arrangeFailureMessage(error: Error): string {
  const reason = (error instanceof WorkerFailure ? error.reason : error.message).replace(/\.+$/, '');
  return `The layout stopped: ${reason}. The groups stay where they were: place them by hand, and report this with the policy file.`;
}

const arranger = new WorkerCaller<ArrangeRequest, ArrangeReply>(() => new ArrangeWorker(), 'Arranging the groups');

async function layOut(policy: Policy, sizes: ReadonlyMap<string, GroupSize>): Promise<Map<string, CanvasPosition>> {
  const reply = await arranger.ask({ policy, sizes: [...sizes] });
  return new Map(reply.positions);
}
