import { emptyPolicy, type CanvasPosition, type Edge, type Policy } from '../../shared/policy/model';
import { arrangedPositions } from '../../renderer/src/model/arrange';
import { rerouteMoved, routeEdges } from '../../renderer/src/model/edge-routes';
import { autoPosition, GROUP_SIZE } from '../../renderer/src/model/policy-edits';

// `npx tsx scripts/bench/arrange.ts [SIZES]`: how long the canvas's Arrange takes to lay out a
// policy of 100, 1,000 and 5,000 groups, and how long the canvas takes to find the edges that
// must go round groups: all of them (after each edit), and again with one group moved 60 px (on
// each frame of a drag); on the arranged places, and on the file-order grid a policy without
// places is drawn on. Figures, not pass/fail.

/**
 * A policy shaped like a large estate: applications of five tiers (web, app, cache, db, backup),
 * each tier opening connections to the next and the web tier to the db directly, every tenth
 * group on its own with no edges.
 */
function tieredPolicy(groups: number): Policy {
  const names = Array.from({ length: groups }, (_, i) => `g${i}`);
  const edges: Edge[] = [];
  const link = (from: number, to: number, port: number): void => {
    if (to < groups && from % 10 !== 9 && to % 10 !== 9) {
      edges.push({
        id: `e${edges.length}`,
        from: `g${from}`,
        to: `g${to}`,
        services: [{ protocol: 'tcp', ports: { from: port, to: port } }],
        action: 'allow',
      });
    }
  };
  for (let i = 0; i < groups; i++) {
    if (i % 5 !== 4) link(i, i + 1, 8000 + (i % 5));
    if (i % 5 === 0) link(i, i + 3, 5432);
  }
  return { ...emptyPolicy('bench'), groups: names.map((name) => ({ name, selector: { labels: `g=${name}` } })), edges };
}

const sizes = (process.argv[2] ?? '100,1000,5000').split(',').map(Number);
for (const size of sizes) {
  const policy = tieredPolicy(size);
  const started = performance.now();
  const arranged = arrangedPositions(policy);
  const ms = Math.round(performance.now() - started);
  console.log(`arrange groups=${size} edges=${policy.edges.length} took=${ms}ms`);
  routes('arranged', policy, (name) => arranged.get(name)!);
  routes('grid', policy, (_, i) => autoPosition(i, policy.groups.length));
}

/** The edges' ways round on the given places, all and after a move of the middle group; each the median of five. */
function routes(layout: string, policy: Policy, place: (name: string, index: number) => CanvasPosition): void {
  const groups = policy.groups.map((g, i) => ({ name: g.name, box: { ...place(g.name, i), ...GROUP_SIZE } }));
  const middle = groups[Math.floor(groups.length / 2)]!;
  const all = median(() => routeEdges(groups, policy.edges));
  const base = routeEdges(groups, policy.edges);
  const frame = median(() =>
    rerouteMoved(
      base,
      policy.edges,
      new Map([[middle.name, { ...middle.box, x: middle.box.x + 60, y: middle.box.y + 60 }]]),
    ),
  );
  console.log(
    `routes layout=${layout} groups=${groups.length} detours=${base.detours.size} all=${all.toFixed(1)}ms drag-frame=${frame.toFixed(1)}ms`,
  );
}

function median(run: () => unknown): number {
  const times = Array.from({ length: 5 }, () => {
    const started = performance.now();
    run();
    return performance.now() - started;
  });
  return times.sort((a, b) => a - b)[2]!;
}
