import { build } from 'esbuild';
// This test runs in Node and ships nowhere: it bundles the worker and runs it in a worker thread.
// eslint-disable-next-line no-restricted-imports
import { fileURLToPath } from 'node:url';
// eslint-disable-next-line no-restricted-imports
import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rerouteMoved, routeEdges } from '../model/edge-routes';
import { routingEnds } from '../model/routing-session';
import { crowdedDrawing } from '../testing/crowded-drawing';
import type { EdgeRoutesReply, EdgeRoutesRequest } from './edge-routes.worker';

// The canvas's ways round come from the edge-routes worker: its answers, copied across the
// thread's boundary as the page gets them, must be those of routing the drawing directly.

/** The worker's own file, bundled, started with `self` standing for the thread's port as a browser's worker scope. */
async function startWorker(): Promise<Worker> {
  const bundled = await build({
    entryPoints: [fileURLToPath(new URL('./edge-routes.worker.ts', import.meta.url))],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'neutral',
    alias: { '@shared': fileURLToPath(new URL('../../../shared', import.meta.url)) },
  });
  const code = `const { parentPort } = require('node:worker_threads');
globalThis.self = {
  set onmessage(handle) { parentPort.on('message', (data) => handle({ data })); },
  postMessage: (reply) => parentPort.postMessage(reply),
};
${bundled.outputFiles[0]!.text}`;
  return new Worker(code, { eval: true });
}

describe('the edge-routes worker', () => {
  const drawing = crowdedDrawing(250);
  let worker: Worker;
  let nextId = 0;
  // One question at a time: each answer is the next message, and a failure fails the question asked.
  const ask = (request: Omit<EdgeRoutesRequest, 'id'>): Promise<ReadonlyMap<string, number>> =>
    new Promise((resolve, reject) => {
      const fail = (error: Error): void => reject(error);
      worker.once('error', fail);
      worker.once('message', (reply: EdgeRoutesReply) => {
        worker.off('error', fail);
        resolve(reply.detours);
      });
      worker.postMessage({ ...request, id: nextId++ });
    });

  beforeAll(async () => {
    worker = await startWorker();
  });
  afterAll(async () => {
    await worker.terminate();
  });

  it('answers 250 groups and 1,000 edges, and every frame of a drag, as routing them on the page does', async () => {
    const base = routeEdges(drawing.groups, drawing.edges);
    expect(base.detours.size).toBeGreaterThan(500);
    const layout = { groups: drawing.groups, edges: drawing.edges.map(routingEnds) };
    expect(await ask({ layout, moved: [] })).toEqual(base.detours);

    // A group dragged across its row and the next, one frame each, then one dragged with it.
    const held = drawing.groups[40]!;
    let changed = 0;
    for (let frame = 1; frame <= 12; frame++) {
      const box = { ...held.box, x: held.box.x + frame * 60, y: held.box.y + frame * 25 };
      const moved: [string, typeof box][] = [[held.name, box]];
      if (frame > 8) moved.push(['g041', { ...drawing.groups[41]!.box, y: box.y }]);
      const direct = rerouteMoved(base, drawing.edges, new Map(moved));
      const answer = await ask({ layout: null, moved });
      expect(answer, `frame ${frame}`).toEqual(direct);
      if ([...answer].some(([id, y]) => base.detours.get(id) !== y)) changed++;
    }
    expect(changed).toBeGreaterThan(3);
  });
});
