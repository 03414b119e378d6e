import { emptyPolicy, type Edge, type Policy } from '../../shared/policy/model';
import { arrangedPositions } from '../../renderer/src/model/arrange';

// `npx tsx scripts/bench/arrange.ts [SIZES]`: how long the canvas's Arrange takes to lay out a
// policy of 100, 1,000 and 5,000 groups. Figures, not pass/fail.

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
  arrangedPositions(policy);
  const ms = Math.round(performance.now() - started);
  console.log(`arrange groups=${size} edges=${policy.edges.length} took=${ms}ms`);
}
