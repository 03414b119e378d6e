import { emptyPolicy, type CanvasPosition, type Edge, type Policy } from '@shared/policy/model';
import { seededRandom } from '@shared/testing/seeded-random';
import { build } from 'esbuild';
// This test runs in Node and ships nowhere: it bundles the model and runs it in a worker thread.
// eslint-disable-next-line no-restricted-imports
import { fileURLToPath } from 'node:url';
// eslint-disable-next-line no-restricted-imports
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { overlaps } from './canvas-rects';
import { GROUP_SIZE } from './policy-edits';

// A colleague's 250 groups with 1,000 edges between random groups made Arrange fail with "Maximum
// call stack size exceeded": the long edges gave dagre some 90,000 nodes, more than its spread of
// them into Math.max fits on a browser worker's stack. The layout runs here as the canvas runs it,
// in a worker, with a stack as small (Node's own is larger and only slowed down, by a minute).

const WORKER_STACK_MB = 0.4;

/** 250 groups and 1,000 edges as in the colleague's estate: most between groups near each other in the file, the rest between random groups. */
function randomDrawing(): Policy {
  const rnd = seededRandom(7);
  const count = 250;
  const groups = Array.from({ length: count }, (_, i) => ({ name: `g${i}`, selector: { labels: `app=a${i}` } }));
  const edges: Edge[] = Array.from({ length: 1000 }, (_, i) => {
    const from = Math.floor(rnd() * count);
    const to = rnd() < 0.7 ? (from + 1 + Math.floor(rnd() * 8)) % count : Math.floor(rnd() * count);
    return {
      id: `e${i}`,
      from: `g${from}`,
      to: `g${to}`,
      services: [{ protocol: 'tcp', ports: { from: 8000 + from, to: 8000 + from } }],
      action: 'allow',
    };
  });
  return { ...emptyPolicy('dense'), groups, edges };
}

/** arrangedPositions(policy) run in a worker thread with a small stack, as the canvas's arrange worker runs it. */
async function arrangedInSmallStack(policy: Policy): Promise<Map<string, CanvasPosition>> {
  const bundled = await build({
    entryPoints: [fileURLToPath(new URL('./arrange.ts', import.meta.url))],
    bundle: true,
    write: false,
    format: 'iife',
    globalName: 'arrange',
    platform: 'node',
    alias: { '@shared': fileURLToPath(new URL('../../../shared', import.meta.url)) },
  });
  const code = `${bundled.outputFiles[0]!.text}
const { parentPort, workerData } = require('node:worker_threads');
parentPort.postMessage([...arrange.arrangedPositions(workerData)]);`;
  const worker = new Worker(code, { eval: true, workerData: policy, resourceLimits: { stackSizeMb: WORKER_STACK_MB } });
  try {
    return await new Promise((resolve, reject) => {
      worker.once('message', (places: [string, CanvasPosition][]) => resolve(new Map(places)));
      worker.once('error', reject);
    });
  } finally {
    await worker.terminate();
  }
}

describe('arranging a drawing of many random edges', () => {
  it('lays it out on a worker-sized stack, no group on another, the same every time', async () => {
    const policy = randomDrawing();
    const places = await arrangedInSmallStack(policy);

    expect(places.size).toBe(250);
    const boxes = [...places.values()].map((p) => ({ ...p, ...GROUP_SIZE }));
    for (const [i, a] of boxes.entries()) {
      for (const b of boxes.slice(i + 1)) expect(overlaps(a, b)).toBe(false);
    }
    expect(await arrangedInSmallStack(policy)).toEqual(places);
  });

  it('lays out a chain of 1,000 groups on a worker-sized stack, folded into columns that keep its order', async () => {
    const groups = Array.from({ length: 1000 }, (_, i) => ({ name: `g${i}`, selector: { labels: `app=a${i}` } }));
    const edges: Edge[] = groups
      .slice(1)
      .map((g, i) => ({ id: `e${i}`, from: `g${i}`, to: g.name, services: [], action: 'allow' }));
    const places = await arrangedInSmallStack({ ...emptyPolicy('chain'), groups, edges });

    const xs = groups.map((g) => places.get(g.name)!.x);
    xs.slice(1).forEach((x, i) => expect(x).toBeGreaterThanOrEqual(xs[i]!));
  });
});
