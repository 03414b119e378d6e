import { describe, expect, it } from 'vitest';
import type { CanvasRect } from '../model/policy-edits';
import { RoutingSession, type RoutingLayout, type RoutingQuestion } from '../model/routing-session';
import { EdgeRouter, type AskRoutes, type Routed } from './edge-router';

// The canvas keeps its ways round up with a drag through a worker that answers later: what it
// draws must never be an answer about places the groups have left, nor about an earlier drawing.

const groups = [
  { name: 'web', box: { x: 0, y: 0, width: 230, height: 120 } },
  { name: 'app', box: { x: 390, y: 0, width: 230, height: 120 } },
  { name: 'db', box: { x: 780, y: 0, width: 230, height: 120 } },
];
const edges = [
  { id: 'web-to-db', from: 'web', to: 'db', label: { width: 96, height: 26 } },
  { id: 'web-to-app', from: 'web', to: 'app', label: { width: 96, height: 26 } },
];
const layout: RoutingLayout = { groups, edges };
const held = (y: number): ReadonlyMap<string, CanvasRect> => new Map([['app', { x: 390, y, width: 230, height: 120 }]]);
const NOTHING_HELD: ReadonlyMap<string, CanvasRect> = new Map();

/** A worker the test answers by hand: each question waits until the test lets it through. */
function heldBackWorker(): { ask: AskRoutes; questions: RoutingQuestion[]; answerNext(): Promise<void> } {
  const session = new RoutingSession();
  const waiting: (() => void)[] = [];
  const questions: RoutingQuestion[] = [];
  return {
    questions,
    ask: (question) => {
      questions.push(question);
      return new Promise((resolve) => waiting.push(() => resolve(session.answer(question))));
    },
    answerNext: async () => {
      waiting.shift()!();
      await Promise.resolve();
      await Promise.resolve();
    },
  };
}

const onPage = (): AskRoutes => {
  const session = new RoutingSession();
  return (question) => session.answer(question);
};

function routerWith(ask: AskRoutes): { router: EdgeRouter; drawn: (Routed | null)[] } {
  const drawn: (Routed | null)[] = [];
  return { router: new EdgeRouter(ask, onPage, (routed) => drawn.push(routed)), drawn };
}

describe('the edge router', () => {
  it('asks one question at a time, the next about where the held group is now, the layout the worker holds left out', async () => {
    const worker = heldBackWorker();
    const { router, drawn } = routerWith(worker.ask);

    router.want(layout, NOTHING_HELD);
    // Three frames of a drag while the worker routes the opened drawing: only one question at a time.
    for (const y of [100, 200, 300]) router.want(layout, held(y));
    expect(worker.questions).toHaveLength(1);

    await worker.answerNext();
    expect(worker.questions[1]).toEqual({ layout: null, moved: [['app', held(300).get('app')]] });
    await worker.answerNext();
    expect(worker.questions).toHaveLength(2);
    expect(drawn.at(-1)!.moved).toEqual(held(300));
    expect(drawn.at(-1)!.detours).toEqual(new RoutingSession().answer({ layout, moved: [...held(300)] }));
    expect(drawn.at(-1)!.detours.has('web-to-db')).toBe(false);
  });

  // A previous session's finding: in a drag faster than the worker, every answer was about a place
  // already left and was dropped, so the held group's edges kept their last way round until the
  // mouse slowed. Each answer is now drawn as it comes, never one older than an answer drawn.
  it('in a drag faster than the worker, draws each answer in the order asked, and ends on the dropped layout', async () => {
    const worker = heldBackWorker();
    const { router, drawn } = routerWith(worker.ask);
    router.want(layout, NOTHING_HELD);
    await worker.answerNext();

    // Each frame comes while the worker still routes the one before it.
    router.want(layout, held(100));
    for (const y of [200, 300, 400]) {
      router.want(layout, held(y));
      await worker.answerNext();
    }
    const dropped: RoutingLayout = { groups: groups.map((g) => (g.name === 'app' ? { name: 'app', box: held(400).get('app')! } : g)), edges };
    router.want(dropped, NOTHING_HELD);
    await worker.answerNext();
    await worker.answerNext();

    expect(drawn.map((d) => (d!.layout === dropped ? 'dropped' : (d!.moved.get('app')?.y ?? 'opened')))).toEqual(['opened', 100, 200, 300, 'dropped']);
    for (const d of drawn.slice(1, 4)) expect(d!.detours).toEqual(new RoutingSession().answer({ layout, moved: [...d!.moved] }));
    expect(drawn.at(-1)!.detours).toEqual(new RoutingSession().answer({ layout: dropped, moved: [] }));
    // The frames move the group out of web-to-db's way, so the answers drawn differ.
    expect(drawn[0]!.detours.has('web-to-db')).toBe(true);
    expect(drawn.at(-1)!.detours.has('web-to-db')).toBe(false);
  });

  it('drops an answer about an earlier drawing, and sends the new drawing whole', async () => {
    const worker = heldBackWorker();
    const { router, drawn } = routerWith(worker.ask);
    router.want(layout, NOTHING_HELD);
    const next = { groups, edges: edges.slice(0, 1) };
    router.want(next, NOTHING_HELD);

    await worker.answerNext();
    expect(drawn).toEqual([]);
    expect(worker.questions[1]!.layout).toBe(next);
    await worker.answerNext();
    expect(drawn.map((d) => d?.layout)).toEqual([next]);
    expect(drawn[0]!.detours.has('web-to-db')).toBe(true);
  });

  it('an answer for the places the group is back at is drawn: places compare by value', async () => {
    const worker = heldBackWorker();
    const { router, drawn } = routerWith(worker.ask);
    router.want(layout, held(100));
    router.want(layout, held(100));
    await worker.answerNext();
    expect(drawn).toHaveLength(1);
    expect(worker.questions).toHaveLength(1);
  });

  it('routes on the page, at once and alike, where no worker can start', () => {
    const { router, drawn } = routerWith(() => {
      throw new ReferenceError('Worker is not defined');
    });
    router.want(layout, NOTHING_HELD);
    router.want(layout, held(0));
    expect(drawn.map((d) => d?.detours)).toEqual([
      new RoutingSession().answer({ layout, moved: [] }),
      new RoutingSession().answer({ layout, moved: [...held(0)] }),
    ]);
  });

  it('routes on the page from then on when the worker fails, given the layout again', async () => {
    const asked: RoutingQuestion[] = [];
    const { router, drawn } = routerWith((question) => {
      asked.push(question);
      return Promise.reject(new Error('Routing the edges failed: the script could not be loaded'));
    });
    router.want(layout, NOTHING_HELD);
    await Promise.resolve();
    await Promise.resolve();
    expect(drawn.map((d) => d?.detours)).toEqual([new RoutingSession().answer({ layout, moved: [] })]);

    router.want(layout, held(0));
    expect(drawn).toHaveLength(2);
    expect(asked).toHaveLength(1);
  });

  it('asks nothing about a drawing without edges, and draws nothing while no group is measured', () => {
    const asked: RoutingQuestion[] = [];
    const { router, drawn } = routerWith((question) => {
      asked.push(question);
      return new Map();
    });
    router.want({ groups, edges: [] }, NOTHING_HELD);
    router.want(null, NOTHING_HELD);
    expect(asked).toEqual([]);
    expect(drawn).toEqual([{ layout: { groups, edges: [] }, moved: NOTHING_HELD, detours: new Map() }, null]);
  });

  it('draws nothing once closed', async () => {
    const worker = heldBackWorker();
    const { router, drawn } = routerWith(worker.ask);
    router.want(layout, NOTHING_HELD);
    router.close();
    await worker.answerNext();
    expect(drawn).toEqual([]);
  });
});
