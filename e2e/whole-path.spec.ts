import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { canConnect, ipOf, ourFlowCount } from './support/lab';
import { expect, test } from './support/fixtures';

// Issue #2's whole path on real parts: Docker metadata from the lab's engine, policy drawn in
// the UI, compiled, deployed over SSH to the lab's Open vSwitch, then real TCP connections
// between the lab's containers prove what the flows permit and block.

test('draw, compile, deploy and enforce the three-tier policy with real packets', async ({ designer, host, lab }) => {
  const ip = (name: string): string => ipOf(lab, name);

  await test.step('before any policy, the bridge forwards everything', () => {
    expect(ourFlowCount(lab)).toBe(0);
    expect(canConnect('web1', ip('db1'), 5432)).toBe(true);
  });

  await test.step('pick the lab Docker context and see its containers', async () => {
    await designer.open(host.url);
    await designer.chooseSource(`docker:${lab.dockerContext}`);
    for (const name of ['web1', 'web2', 'app1', 'db1']) await expect(designer.workload(name)).toBeVisible();
    await expect(designer.workload('web1')).toContainText(ip('web1'));
    await expect(designer.workload('web1')).toHaveAttribute('data-ungrouped', 'true');
    await designer.screenshot('01-inventory');
  });

  await test.step('create the three groups and see who they hold', async () => {
    await designer.addGroup('web', 'tier=web');
    await designer.addGroup('app', 'tier=app');
    await designer.addGroup('db', 'tier=db');
    expect(await designer.memberCount('web')).toBe(2);
    expect(await designer.memberCount('app')).toBe(1);
    expect(await designer.memberCount('db')).toBe(1);
    await expect(designer.workload('web1')).toHaveAttribute('data-ungrouped', 'false');
    await designer.screenshot('02-groups');
  });

  await test.step('draw the permitted edges', async () => {
    await designer.addEdge('web', 'app', 'tcp/8080');
    await designer.addEdge('app', 'db', 'tcp/5432');
    await expect(designer.edge('web-to-app')).toContainText('tcp/8080');
    await expect(designer.edge('app-to-db')).toContainText('tcp/5432');
    await designer.screenshot('03-edges');
  });

  await test.step('save the policy as readable YAML', async () => {
    const path = join(host.home, 'shop-policy.yaml');
    await designer.saveAs(path);
    const saved = readFileSync(path, 'utf8');
    expect(saved).toContain('apiVersion: microseg.dev/v1');
    expect(saved).toMatch(/labels: tier=web/);
    expect(saved).toMatch(/from: web\s+to: app\s+services:\s*\[tcp\/8080\]/);
  });

  let flows = 0;
  await test.step('compile and preview the host table', async () => {
    flows = await designer.compile();
    await expect(designer.hostTab(lab.hostName)).toBeVisible();
    // Monaco renders only the visible lines; the table's content is proven by the deploy below.
    await expect(designer.byTestId('flow-editor')).toContainText(`flow table for host ${lab.hostName}`);
    await expect(designer.byTestId('flow-editor')).toContainText('ct(table=10)');
    await designer.screenshot('04-compiled');
  });

  await test.step('deploy over SSH to the lab switch', async () => {
    await designer.configureHost(lab.hostName, { address: lab.ssh.host, port: lab.ssh.port, user: lab.ssh.user, keyPath: lab.ssh.keyPath, bridge: lab.bridge });
    await designer.byTestId('deploy-button').click();
    // The bridge forwards everything before our flows: the deploy says what it will block.
    const web2db = designer.page.locator('[data-testid="deploy-impact"] [data-testid="impact-entry"][data-from="web"][data-to="db"]');
    await expect(web2db).toContainText('newly blocked', { timeout: 30_000 });
    await designer.screenshot('05-deploy-impact');
    await designer.byTestId('deploy-confirm').click();
    await expect(designer.deployStatus(lab.hostName)).toHaveAttribute('data-status', 'applied', { timeout: 60_000 });
    expect(ourFlowCount(lab)).toBe(flows);
    await designer.screenshot('06-deployed');
  });

  await test.step('real connections obey the policy', () => {
    expect(canConnect('web1', ip('app1'), 8080), 'web to app 8080').toBe(true);
    expect(canConnect('web2', ip('app1'), 8080), 'second web to app 8080').toBe(true);
    expect(canConnect('app1', ip('db1'), 5432), 'app to db 5432').toBe(true);
    expect(canConnect('web1', ip('web2'), 80), 'within the web group').toBe(true);
    expect(canConnect('web1', ip('db1'), 5432), 'web to db 5432').toBe(false);
    expect(canConnect('web1', ip('app1'), 5432), 'web to app on a port no edge permits').toBe(false);
    expect(canConnect('app1', ip('web1'), 8080), 'edges are one-way').toBe(false);
  });

  await test.step('the UI trace predicts exactly what the real packets did, the switch agrees, and the deciding edge is named', async () => {
    const cases: [string, string, number][] = [
      ['web1', 'app1', 8080],
      ['app1', 'db1', 5432],
      ['web1', 'web2', 80],
      ['web1', 'db1', 5432],
      ['app1', 'web1', 8080],
    ];
    for (const [from, to, port] of cases) {
      const real = canConnect(from, ip(to), port) ? 'permitted' : 'dropped';
      expect(await designer.trace(from, to, port), `${from} → ${to}:${port}`).toBe(real);
      const switchSays = await designer.askSwitch(lab.hostName);
      expect(switchSays, `switch on ${from} → ${to}:${port}`).toEqual({ says: real === 'permitted' ? 'forwarded' : 'dropped', agrees: true });
    }
    await designer.trace('web1', 'app1', 8080);
    await designer.byTestId('trace-decision-rule').first().click();
    await expect(designer.byTestId('inspector')).toContainText('web-to-app');
    await designer.screenshot('07-trace');
  });

  await test.step('the matrix, computed from the tables, matches the connections tried with real packets', async () => {
    await designer.computeMatrix();
    const members: Record<string, string[]> = { web: ['web1', 'web2'], app: ['app1'], db: ['db1'] };
    for (const from of Object.keys(members))
      for (const to of Object.keys(members)) {
        const says = await designer.matrixCell(from, to);
        for (const port of [80, 5432, 8080]) {
          const pairs = members[from]!.flatMap((a) => members[to]!.filter((b) => b !== a).map((b) => [a, b] as const));
          if (pairs.length === 0) continue;
          const realEveryPair = pairs.every(([a, b]) => canConnect(a, ip(b), port));
          expect(servicesAllow(says, port), `${from} → ${to} tcp/${port}: matrix says "${says}"`).toBe(realEveryPair);
        }
      }
    // A cell explains itself through a trace of one member pair: the deciding edge is named.
    await designer.matrixCell('web', 'app');
    await designer.byTestId('matrix-trace-example').click();
    await designer.byTestId('trace-run').click();
    await expect(designer.byTestId('trace-verdict')).toHaveAttribute('data-verdict', 'permitted');
    await expect(designer.byTestId('trace-decision-rule').first()).toContainText('web-to-app');
    await designer.computeMatrix();
    await designer.byTestId('matrix-level').selectOption('workloads');
    for (const [from, to] of [['web1', 'app1'], ['app1', 'db1'], ['web1', 'db1']] as const) {
      const says = await designer.matrixCell(from, to);
      for (const port of [5432, 8080]) expect(servicesAllow(says, port), `${from} → ${to} tcp/${port}: matrix says "${says}"`).toBe(canConnect(from, ip(to), port));
    }
    await designer.screenshot('08-matrix');
  });

  await test.step('change one edge: the impact against the deployed flows names exactly that pair', async () => {
    await designer.editEdgeServices('app-to-db', 'tcp/5433');
    await designer.compile();
    expect(await designer.impactAgainstDeployed()).toEqual(['app→db +tcp/5433 -tcp/5432']);
    await expect(designer.byTestId('impact-edge')).toHaveCount(1);
    await designer.screenshot('09-impact');
    await designer.editEdgeServices('app-to-db', 'tcp/5432');
    await designer.compile();
  });

  await test.step('roll back: the switch gets its previous flows again', async () => {
    await designer.rollback(lab.hostName);
    await expect.poll(() => ourFlowCount(lab)).toBe(0);
    expect(canConnect('web1', ip('db1'), 5432)).toBe(true);
    await designer.screenshot('10-rolled-back');
  });

  await test.step('a reload still shows how the host was last changed', async () => {
    const status = await designer.deployStatus(lab.hostName).getAttribute('data-status');
    expect(status).not.toBeNull();
    await designer.page.reload();
    await expect(designer.byTestId('app-root')).toHaveAttribute('data-app-state', 'ready');
    await expect(designer.deployStatus(lab.hostName)).toHaveAttribute('data-status', status!);
  });
});

/** Whether a matrix cell's text (`tcp/8080, tcp/9000-9010`, `any`, `nothing`) holds a TCP port. */
function servicesAllow(text: string, port: number): boolean {
  if (text === 'any') return true;
  return text.split(', ').some((part) => {
    if (part === 'tcp') return true;
    const match = /^tcp\/(\d+)(?:-(\d+))?$/.exec(part);
    return match !== null && Number(match[1]) <= port && port <= Number(match[2] ?? match[1]);
  });
}
