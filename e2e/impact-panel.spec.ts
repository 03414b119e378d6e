import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from './support/fixtures';

// The impact panel on files alone: what the pipeline passes between every pair before any
// policy (IPv6 neighbour discovery) is no change of the policy, and the panel says it left it out.

test('lists what an edge changes on a dual-stack inventory, and says which infrastructure traffic it left out', async ({ designer, host }) => {
  const inventory = join(host.home, 'dual-stack.csv');
  writeFileSync(inventory, ['name,host,addresses,labels', 'web-1,h1,10.0.0.1;fd00::1,tier=web', 'app-1,h2,10.0.0.2;fd00::2,tier=app'].join('\n') + '\n');
  const policy = join(host.home, 'dual-stack.yaml');
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
  await designer.open(host.url);
  await designer.openInventoryFile(inventory);
  await designer.openFile(policy);
  await designer.editEdgeServices('web-app', 'tcp/8081');
  await designer.compile();

  expect(await designer.impactAgainstFile(policy)).toEqual(['web→app +tcp/8081 -tcp/8080']);
  await expect(designer.byTestId('impact-left-out')).toHaveText('IPv6 neighbour discovery (ICMPv6 types 133-136) passes between every pair whatever the policy, and is not shown.');
});
