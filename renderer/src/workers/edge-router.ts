import type { CanvasRect } from '../model/policy-edits';
import type { RoutingLayout, RoutingQuestion } from '../model/routing-session';

/** Asks a routing session for the ways round: a worker's answers come later, the page's at once. */
export type AskRoutes = (
  question: RoutingQuestion,
) => ReadonlyMap<string, number> | Promise<ReadonlyMap<string, number>>;

/** The ways round of a layout's edges, the groups held in a drag being in their boxes in `moved`. */
export interface Routed {
  layout: RoutingLayout;
  moved: ReadonlyMap<string, CanvasRect>;
  detours: ReadonlyMap<string, number>;
}

const NO_DETOURS: ReadonlyMap<string, number> = new Map();

/**
 * Keeps one canvas's ways round up with its layout and the groups held in a drag, asking a
 * routing session in a worker: one question at a time, always about the latest layout and held
 * places, so a drag never queues up frames the worker has yet to route. Answers come in the order
 * asked, so each is newer than any drawn before it. One about places the held groups have since
 * left is still drawn, the latest being asked for next: a drag faster than the worker had every
 * answer dropped, and the edges kept their last way round until the mouse slowed. One about an
 * earlier drawing is dropped (its edges may no longer be drawn). Once the canvas stops changing,
 * the last answer drawn is about what it draws. A worker that cannot start, or fails, is replaced
 * for good by a session on the page (`onPage`), which answers at once.
 */
export class EdgeRouter {
  private wanted: { layout: RoutingLayout; moved: ReadonlyMap<string, CanvasRect> } | null = null;
  // The layout the session asked holds, so that a drag's frames send only the held groups.
  private given: RoutingLayout | null = null;
  private asking = false;
  private onPageNow = false;
  private closed = false;

  constructor(
    private ask: AskRoutes,
    private readonly onPage: () => AskRoutes,
    private readonly onRouted: (routed: Routed | null) => void,
  ) {}

  /** Route `layout` with the held groups in `moved`; null while there is nothing to route (no group measured). */
  want(layout: RoutingLayout | null, moved: ReadonlyMap<string, CanvasRect>): void {
    if (this.closed) return;
    this.wanted = layout ? { layout, moved } : null;
    if (!layout) this.onRouted(null);
    else if (!this.asking) this.send();
  }

  /** Answers still coming are dropped. */
  close(): void {
    this.closed = true;
  }

  private send(): void {
    const asked = this.wanted!;
    // No edge, no way round: not worth a worker.
    if (asked.layout.edges.length === 0) return this.take(asked, NO_DETOURS);
    const question = { layout: asked.layout === this.given ? null : asked.layout, moved: [...asked.moved] };
    this.given = asked.layout;
    let reply: ReturnType<AskRoutes>;
    try {
      reply = this.ask(question);
    } catch (error) {
      if (this.onPageNow) throw error;
      return this.moveOnPage();
    }
    if (!(reply instanceof Promise)) return this.take(asked, reply);
    this.asking = true;
    void reply.then(
      (detours) => {
        this.asking = false;
        this.take(asked, detours);
      },
      () => {
        this.asking = false;
        this.moveOnPage();
      },
    );
  }

  private moveOnPage(): void {
    this.ask = this.onPage();
    this.onPageNow = true;
    this.given = null;
    if (this.wanted && !this.closed) this.send();
  }

  private take(
    asked: { layout: RoutingLayout; moved: ReadonlyMap<string, CanvasRect> },
    detours: ReadonlyMap<string, number>,
  ): void {
    if (this.closed || !this.wanted) return;
    if (asked.layout !== this.wanted.layout) return this.send();
    this.onRouted({ ...asked, detours });
    if (!sameBoxes(asked.moved, this.wanted.moved)) this.send();
  }
}

function sameBoxes(a: ReadonlyMap<string, CanvasRect>, b: ReadonlyMap<string, CanvasRect>): boolean {
  if (a === b) return true;
  if (a.size !== b.size) return false;
  for (const [name, box] of a) {
    const other = b.get(name);
    if (!other || other.x !== box.x || other.y !== box.y || other.width !== box.width || other.height !== box.height)
      return false;
  }
  return true;
}
