import { KubeApiDouble } from './support/kube-api-double/kube-api-double';
import { expect, test } from './support/fixtures';
import { startHost, type RunningHost } from './support/web-host';

// A user who may read one namespace only (a RoleBinding of view there), against the API server
// double, which refuses everything else with 403 as RBAC does: the current context opens limited
// to its namespace, says so and what it cannot know, and stays live through the namespace's watch.

let double: KubeApiDouble;
let host: RunningHost;

test.beforeAll(async () => {
  double = await KubeApiDouble.start({ currentContext: 'double-ns' });
  double.addNamespace('shop', { team: 'payments' });
  double.addNamespace('other');
  double.addNode('node-a', '192.0.2.11');
  double.addReplicaSet('shop', 'web-5d8f7', 'web');
  double.addPod({ namespace: 'shop', name: 'web-5d8f7-abcde', labels: { app: 'web' }, node: 'node-a', owner: { kind: 'ReplicaSet', name: 'web-5d8f7' } });
  double.addPod({ namespace: 'other', name: 'search-0', labels: { app: 'search' }, node: 'node-a' });
  double.addNetworkPolicy('shop', 'web-open', { podSelector: { matchLabels: { app: 'web' } }, ingress: [{ from: [{ podSelector: {} }] }] });
  double.addNetworkPolicy('other', 'search-open', { podSelector: { matchLabels: { app: 'search' } }, ingress: [{ from: [{ podSelector: {} }] }] });
  host = await startHost({ KUBECONFIG: double.kubeconfigFile });
});

test.afterAll(async () => {
  await host?.stop();
  await double?.stop();
});

test("a context that may read one namespace opens limited to it, says what it cannot know, and stays live", async ({ designer }) => {
  await designer.open(host.url);
  const source = designer.source('kubernetes:double-ns');
  await expect(source).toHaveAttribute('data-live', 'live');
  await expect(source).toContainText('this source is limited to namespace "shop"');
  await expect(source.locator('.severity-warning .code')).toHaveText(['MS320', 'MS322']);
  // Its RoleBinding of view lets it get its own namespace, not watch it: labels as read at open.
  await expect(source.locator('.severity-info .code')).toHaveText(['MS324']);
  await expect(designer.workload('web-5d8f7-abcde')).toContainText('Deployment web');
  await expect(designer.workload('search-0')).toHaveCount(0);

  double.addPod({ namespace: 'shop', name: 'web-5d8f7-fghij', labels: { app: 'web' }, node: 'node-a', owner: { kind: 'ReplicaSet', name: 'web-5d8f7' } });
  await expect(designer.workload('web-5d8f7-fghij')).toBeVisible();
  await expect(source).toContainText('2 workloads, live');

  // The node is a host even unread; its address unknown, Configure starts from its name.
  await designer.hostRow('node-a').getByTestId('host-configure').click();
  await expect(designer.byTestId('host-address')).toHaveValue('node-a');
});

test("importing the cluster's NetworkPolicies gives the namespace's, and says only those were imported", async ({ designer }) => {
  await designer.open(host.url);
  await designer.source('kubernetes:double-ns').getByTestId('source-import-network-policies').click();
  await expect(designer.group('shop.web-open')).toBeVisible();
  await expect(designer.group('other.search-open')).toHaveCount(0);
  await expect(designer.byTestId('file-errors')).toContainText('only those of namespace "shop" (the context\'s namespace) were imported');
});
