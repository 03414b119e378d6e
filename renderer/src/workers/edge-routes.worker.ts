import { RoutingSession, type RoutingQuestion } from '../model/routing-session';

/*
 * Routes the canvas's edges round its groups off the page's thread: at 250 groups and 1,000
 * edges on the file-order grid, routing them all took about 100 ms on opening, and each frame of
 * a drag 30-60 ms, which the page spent before it could draw the group where the mouse is.
 * One session per worker: the canvas starts a worker for each set of edges it draws.
 */

export type EdgeRoutesRequest = RoutingQuestion & { id: number };

export interface EdgeRoutesReply {
  id: number;
  /** By edge id, the height of its way round (see routeEdge). */
  detours: ReadonlyMap<string, number>;
}

const scope = self as unknown as {
  onmessage: ((e: MessageEvent<EdgeRoutesRequest>) => void) | null;
  postMessage(reply: EdgeRoutesReply): void;
};
const session = new RoutingSession();

scope.onmessage = ({ data: { id, layout, moved } }) => {
  scope.postMessage({ id, detours: session.answer({ layout, moved }) });
};
