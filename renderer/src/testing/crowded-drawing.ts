import type { Edge } from '@shared/policy/model';
import type { PlacedGroup } from '../model/edge-route';
import type { RoutedEdge } from '../model/edge-routes';
import { autoPosition, GROUP_SIZE } from '../model/policy-edits';

/**
 * A drawing as the canvas routes it, for the routing tests: `count` groups without places on the
 * file-order grid (some taller, as groups holding more workloads are measured), four edges a group
 * to groups a little further in the file (so the edges from the end of a row cross the next one
 * and most go round), pairs of edges both ways between some groups (fanned out), and a few
 * edges with a label of their own size, as the impact under study draws them.
 */
export function crowdedDrawing(count: number): { groups: PlacedGroup[]; edges: RoutedEdge[] } {
  const name = (i: number): string => `g${String(i).padStart(3, '0')}`;
  const groups = Array.from({ length: count }, (_, i) => ({
    name: name(i),
    box: { ...autoPosition(i, count), ...GROUP_SIZE, height: GROUP_SIZE.height + (i % 3) * 20 },
  }));
  const edges: RoutedEdge[] = Array.from({ length: 4 * count }, (_, e): Edge => {
    const from = e % count;
    const to = (from + 1 + ((e * 7) % 11)) % count;
    const port = 8000 + (e % 50);
    return {
      id: `e${e}`,
      from: name(from),
      to: name(to),
      services: [{ protocol: 'tcp', ports: { from: port, to: port } }],
      action: e % 9 === 0 ? 'deny' : 'allow',
    };
  });
  for (let i = 0; i + 1 < count; i += 10) {
    edges.push({ id: `back${i}`, from: name(i + 1), to: name(i), services: [], action: 'allow' });
    edges.push({ id: `impact:${i}`, from: name(i), to: name(i + 1), label: { width: 90 + i, height: 18 } });
  }
  return { groups, edges };
}
