// `node scripts/bench/canvas-routing.mjs URL [RUNS]`, URL being what `npm run web` printed: opens
// a drawing of 250 groups (no places: the file-order grid) and 1,000 edges in Chromium at
// 1440x900, then drags the group nearest the middle of the view 300 px right and 150 px down in
// 30 mouse moves dispatched in the page, once one per animation frame and once one per 50 ms.
// Prints per run: on opening, when the first group and the first edge were drawn and the longest
// task; per drag, the longest and median frame, the main thread's task and script time (the
// per-frame drag), and per move the time until the last change of an edge's line before the next
// move had been painted (`stepToEdges`). Figures, not pass/fail; see docs/performance.md.
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const [url, runs = '3'] = process.argv.slice(2);
if (!url) throw new Error('Give the URL `npm run web` printed: node scripts/bench/canvas-routing.mjs URL [RUNS]');
const GROUPS = 250;
const name = (i) => `g${String(i).padStart(3, '0')}`;
const groups = Array.from({ length: GROUPS }, (_, i) => `  - { name: ${name(i)}, selector: { labels: app=a${i} } }`);
const edges = Array.from({ length: 4 * GROUPS }, (_, e) => {
  const from = e % GROUPS;
  const to = (from + 1 + ((e * 7) % 11)) % GROUPS;
  return `  - { id: e${e}, from: ${name(from)}, to: ${name(to)}, services: [tcp/${8000 + (e % 50)}], action: allow }`;
});
const file = join(tmpdir(), 'canvas-routing-crowd.yaml');
writeFileSync(
  file,
  `apiVersion: microseg.dev/v1\nkind: Policy\nmetadata: { name: crowd, revision: 1 }\n` +
    `defaults: { withinGroup: allow, betweenGroups: drop }\ngroups:\n${groups.join('\n')}\nedges:\n${edges.join('\n')}\n`,
);

const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
for (let run = 0; run < Number(runs); run++) {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  await page.goto(url);
  await page.locator('[data-testid="app-root"][data-app-state="ready"]').waitFor();
  await page.getByTestId('policy-open').click();
  await page.getByTestId('path-input').fill(file);
  await page.evaluate(() => {
    const w = window;
    w.__m = { longTasks: [], groupsAt: null, edgesAt: null };
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) w.__m.longTasks.push([e.startTime, e.duration]);
    }).observe({ type: 'longtask' });
    document.querySelector('[data-testid="path-confirm"]').addEventListener(
      'click',
      () => {
        w.__m.t0 = performance.now();
      },
      { capture: true },
    );
    const watch = () => {
      const now = performance.now();
      if (w.__m.t0 !== undefined) {
        if (w.__m.groupsAt === null && document.querySelector('[data-testid="group-node"]')) w.__m.groupsAt = now;
        if (w.__m.edgesAt === null && document.querySelector('.react-flow__edge-path')) w.__m.edgesAt = now;
      }
      if (w.__m.edgesAt === null) requestAnimationFrame(watch);
    };
    requestAnimationFrame(watch);
  });
  await page.getByTestId('path-confirm').click();
  await page.locator('.react-flow__edge-path').first().waitFor();
  await page.waitForTimeout(1500);
  const open = await page.evaluate(() => {
    const m = window.__m;
    const after = m.longTasks.filter(([s]) => s >= m.t0 - 5);
    return {
      groups: m.groupsAt - m.t0,
      edges: m.edgesAt - m.t0,
      longest: Math.max(0, ...after.map(([, d]) => d)),
      longTasks: after.length,
    };
  });

  // The drag: the group nearest the middle of the view, moved 300 px right and 150 px down.
  const drag = async (pace) =>
    page.evaluate(async (pace) => {
      const nodes = [...document.querySelectorAll('[data-testid="group-node"]')];
      const pane = document.querySelector('.react-flow').getBoundingClientRect();
      const [cx, cy] = [pane.x + pane.width / 2, pane.y + pane.height / 2];
      const dist = (n) => {
        const r = n.getBoundingClientRect();
        return Math.hypot(r.x + r.width / 2 - cx, r.y + r.height / 2 - cy);
      };
      const node = nodes.sort((a, b) => dist(a) - dist(b))[0];
      const header = node.querySelector('.group-node-header');
      const r = header.getBoundingClientRect();
      const [x0, y0] = [r.x + 10, r.y + r.height / 2];
      const mutations = [];
      const observer = new MutationObserver(() => mutations.push(performance.now()));
      observer.observe(document.querySelector('.react-flow__viewport'), {
        subtree: true,
        attributes: true,
        attributeFilter: ['d'],
        childList: true,
      });
      const frames = [];
      let framing = true;
      const frame = (t) => {
        frames.push(t);
        if (framing) requestAnimationFrame(frame);
      };
      requestAnimationFrame(frame);
      const nextFrame = () => new Promise((res) => requestAnimationFrame(res));
      const wait = (ms) => new Promise((res) => setTimeout(res, ms));
      const mouse = (type, x, y, target) =>
        (target ?? window).dispatchEvent(
          new MouseEvent(type, {
            bubbles: true,
            cancelable: true,
            view: window,
            clientX: x,
            clientY: y,
            button: 0,
            buttons: type === 'mouseup' ? 0 : 1,
          }),
        );
      await nextFrame();
      mouse('mousedown', x0, y0, header);
      await nextFrame();
      const steps = [];
      for (let i = 1; i <= 30; i++) {
        steps.push(performance.now());
        mouse('mousemove', x0 + i * 10, y0 + i * 5, document);
        if (pace === 'frame') await nextFrame();
        else await wait(pace);
      }
      await wait(300);
      const end = performance.now();
      mouse('mouseup', x0 + 300, y0 + 150, document);
      await wait(1000);
      framing = false;
      observer.disconnect();
      const dragFrames = frames.filter((t) => t >= steps[0] && t <= end);
      const gaps = dragFrames.slice(1).map((t, i) => t - dragFrames[i]);
      // Per step: from its mousemove to the first frame after the last change of an edge's line before the next step.
      const latencies = steps
        .map((t, i) => {
          const until = steps[i + 1] ?? t + 300;
          const inside = mutations.filter((m) => m >= t && m < until);
          if (inside.length === 0) return null;
          const last = inside[inside.length - 1];
          const painted = frames.find((f) => f >= last);
          return (painted ?? last) - t;
        })
        .filter((v) => v !== null);
      const sorted = [...latencies].sort((a, b) => a - b);
      return {
        group: node.getAttribute('data-group'),
        longestFrame: Math.max(...gaps),
        medianFrame: [...gaps].sort((a, b) => a - b)[Math.floor(gaps.length / 2)],
        stepsWithEdgeChange: latencies.length,
        stepToEdgesMedian: sorted[Math.floor(sorted.length / 2)],
        stepToEdgesMax: sorted[sorted.length - 1],
      };
    }, pace);
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const metrics = async () =>
    Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics.map((m) => [m.name, m.value]));
  const m0 = await metrics();
  const framePaced = await drag('frame');
  const m1 = await metrics();
  framePaced.mainThreadTaskMs = (m1.TaskDuration - m0.TaskDuration) * 1000;
  framePaced.scriptMs = (m1.ScriptDuration - m0.ScriptDuration) * 1000;
  await page.waitForTimeout(800);
  const slowPaced = await drag(50);
  console.log(JSON.stringify({ run, open, framePaced, slowPaced }));
  await page.close();
}
await browser.close();
