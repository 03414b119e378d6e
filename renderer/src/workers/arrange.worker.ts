import type { CanvasPosition, Policy } from '@shared/policy/model';
import { arrangedPositions, type GroupSize } from '../model/arrange';

/*
 * Lays the groups out off the page's thread: dagre takes 2-4 s for 5,000 groups, which would
 * freeze the canvas (and the spinner saying it is busy) for as long.
 */

export interface ArrangeRequest {
  id: number;
  policy: Policy;
  sizes: [string, GroupSize][];
}

export interface ArrangeReply {
  id: number;
  positions: [string, CanvasPosition][];
}

const scope = self as unknown as {
  onmessage: ((e: MessageEvent<ArrangeRequest>) => void) | null;
  postMessage(reply: ArrangeReply): void;
};

scope.onmessage = ({ data: { id, policy, sizes } }) => {
  scope.postMessage({ id, positions: [...arrangedPositions(policy, new Map(sizes))] });
};
