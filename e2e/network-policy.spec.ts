import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeApiDouble } from './support/kube-api-double/kube-api-double';
import { expect, test } from './support/fixtures';
import { startHost, type RunningHost } from './support/web-host';

// NetworkPolicy from the UI, against the API server double: a YAML file becomes the drawing,
// compiles for the cluster's live pods, and the Trace tab shows what Kubernetes would allow;
// then the cluster's own NetworkPolicies are imported from its source line and exported again.

const SHOP_POLICIES = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: default-deny, namespace: shop }
spec:
  podSelector: {}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: db, namespace: shop }
spec:
  podSelector: { matchLabels: { app: db } }
  ingress:
    - from: [{ podSelector: { matchLabels: { app: web } } }]
      ports: [{ protocol: TCP, port: 5432 }]
`;

let double: KubeApiDouble;
let host: RunningHost;
let dir: string;

test.beforeAll(async () => {
  double = await KubeApiDouble.start();
  double.addNamespace('shop', { team: 'payments' });
  double.addNamespace('ops', { team: 'ops' });
  double.addNode('node-a', '192.0.2.11');
  double.addNode('node-b', '192.0.2.12');
  double.addPod({ namespace: 'shop', name: 'web-0', labels: { app: 'web' }, node: 'node-a', ports: [{ name: 'http', containerPort: 8080 }] });
  double.addPod({ namespace: 'shop', name: 'db-0', labels: { app: 'db' }, node: 'node-b', ports: [{ name: 'postgres', containerPort: 5432 }] });
  double.addPod({ namespace: 'ops', name: 'prometheus-0', labels: { app: 'prometheus' }, node: 'node-b' });
  double.addNetworkPolicy('ops', 'scrape-only', { podSelector: { matchLabels: { app: 'prometheus' } }, policyTypes: ['Egress'], egress: [{ ports: [{ port: 9100 }] }] });
  dir = mkdtempSync(join(tmpdir(), 'microseg-network-policy-'));
  writeFileSync(join(dir, 'shop.yaml'), SHOP_POLICIES);
  host = await startHost({ KUBECONFIG: double.kubeconfigFile });
});

test.afterAll(async () => {
  await host?.stop();
  await double?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('import NetworkPolicy YAML, compile it for the live pods, and trace what it permits', async ({ designer }) => {
  await designer.open(host.url);
  await designer.chooseSource('kubernetes:double');
  await expect(designer.source('kubernetes:double')).toHaveAttribute('data-live', 'live');

  await test.step('a NetworkPolicy file becomes the drawing, unsaved, with the pods in its groups', async () => {
    await designer.importNetworkPolicy(join(dir, 'shop.yaml'));
    await expect(designer.group('shop.db')).toBeVisible();
    await expect(designer.group('shop.db').getByTestId('group-member-count')).toHaveText('1');
    await expect(designer.group('shop.db.in1').getByTestId('group-member-count')).toHaveText('1');
    await expect(designer.byTestId('policy-dirty')).toBeVisible();
  });

  await test.step('compiled, the Trace tab permits web to db on 5432 and drops prometheus from another namespace', async () => {
    await designer.compile();
    await expect(designer.hostTab('node-b')).toBeVisible();
    expect(await designer.trace('web-0', 'db-0', 5432)).toBe('permitted');
    expect(await designer.trace('prometheus-0', 'db-0', 5432)).toBe('dropped');
    await designer.screenshot('12-network-policy-import');
  });

  await test.step("the open context's own NetworkPolicies replace the drawing after the unsaved one is let go", async () => {
    await designer.source('kubernetes:double').getByTestId('source-import-network-policies').click();
    await designer.byTestId('discard-confirm').click();
    await expect(designer.group('ops.scrape-only')).toBeVisible();
    await expect(designer.group('shop.db')).toHaveCount(0);
  });

  await test.step('the drawing exported into a folder: one file per namespace, and what NetworkPolicy cannot say', async () => {
    await designer.exportNetworkPolicy(join(dir, 'out'));
    await expect(designer.byTestId('file-errors')).toContainText(`Wrote 2 NetworkPolicy files: ${join(dir, 'out', 'ops.yaml')}, ${join(dir, 'out', 'shop.yaml')}`);
    expect(existsSync(join(dir, 'out', 'ops.yaml'))).toBe(true);
  });
});
