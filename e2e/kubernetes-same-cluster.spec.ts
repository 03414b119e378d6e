import { KubeApiDouble } from './support/kube-api-double/kube-api-double';
import { expect, test } from './support/fixtures';
import { startHost, type RunningHost } from './support/web-host';

// Two kubeconfig contexts of one cluster (the double's `double`, a token, and `double-cert`, a
// client certificate, on one server): opened side by side, every pod is listed once.

let double: KubeApiDouble;
let host: RunningHost;

test.beforeAll(async () => {
  double = await KubeApiDouble.start();
  double.addNamespace('shop', { team: 'payments' });
  double.addNode('node-a', '192.0.2.11');
  double.addPod({ namespace: 'shop', name: 'web-0', labels: { app: 'web' }, node: 'node-a' });
  double.addPod({ namespace: 'shop', name: 'db-0', labels: { app: 'db' }, node: 'node-a' });
  host = await startHost({ KUBECONFIG: double.kubeconfigFile });
});

test.afterAll(async () => {
  await host?.stop();
  await double?.stop();
});

test('a second context of an open cluster lists none of its pods again, and says under which source they are', async ({ designer }) => {
  await designer.open(host.url);
  // The current context opens at start.
  await expect(designer.source('kubernetes:double')).toHaveAttribute('data-live', 'live');
  await expect(designer.workload('web-0')).toHaveCount(1);

  await designer.chooseSource('kubernetes:double-cert');
  const second = designer.source('kubernetes:double-cert');
  await expect(second).toHaveAttribute('data-live', 'live');
  await expect(second.getByTestId('source-same-cluster')).toContainText(`Same cluster as Kubernetes: double (${double.url}), whose pods are listed once, under Kubernetes: double`);
  await expect(designer.workload('web-0')).toHaveCount(1);
  await expect(designer.workload('web-0')).toHaveAttribute('data-origin', 'kubernetes:double');

  // Closed, the first hands the cluster to the second.
  await designer.source('kubernetes:double').getByTestId('source-close').click();
  await expect(designer.workload('web-0')).toHaveAttribute('data-origin', 'kubernetes:double-cert');
  await expect(second.getByTestId('source-same-cluster')).toHaveCount(0);
});
