import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Writes into `folder` the dual-stack specs' policy, web → app on tcp/8080 (edge `web-app`), and
 * an inventory of the given `name,host,addresses,labels` rows; returns both paths.
 */
export function writeDualStackFiles(folder: string, inventoryRows: readonly string[]): { inventory: string; policy: string } {
  const inventory = join(folder, 'dual-stack.csv');
  writeFileSync(inventory, ['name,host,addresses,labels', ...inventoryRows].join('\n') + '\n');
  const policy = join(folder, 'dual-stack.yaml');
  writeFileSync(
    policy,
    [
      'apiVersion: microseg.dev/v1',
      'kind: Policy',
      'metadata: { name: dual-stack, revision: 1 }',
      'defaults: { withinGroup: allow, betweenGroups: drop }',
      'groups:',
      '  - { name: web, selector: { labels: tier=web }, canvas: { x: 0, y: 0 } }',
      '  - { name: app, selector: { labels: tier=app }, canvas: { x: 300, y: 0 } }',
      'edges:',
      '  - { id: web-app, from: web, to: app, services: [tcp/8080], action: allow }',
      '',
    ].join('\n'),
  );
  return { inventory, policy };
}
