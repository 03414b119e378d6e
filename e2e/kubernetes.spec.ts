import { KubeApiDouble } from './support/kube-api-double/kube-api-double';
import { expect, test } from './support/fixtures';
import { startHost, type RunningHost } from './support/web-host';

// A Kubernetes context end to end, against the API server double (real HTTPS, the real list
// and watch wire format): its current context fails, the user picks a good one, pods fill the
// groups, and a pod added on the "cluster" joins its group and changes the flow preview.

let double: KubeApiDouble;
let host: RunningHost;

test.beforeAll(async () => {
  // The kubeconfig's current context has a token the double refuses: it opens at start and fails.
  double = await KubeApiDouble.start({ currentContext: 'double-bad-token' });
  double.addNamespace('shop', { team: 'payments' });
  double.addNode('node-a', '192.0.2.11');
  double.addReplicaSet('shop', 'web-5d8f7', 'web');
  double.addPod({ namespace: 'shop', name: 'web-5d8f7-abcde', labels: { app: 'web' }, node: 'node-a', owner: { kind: 'ReplicaSet', name: 'web-5d8f7' }, ports: [{ name: 'http', containerPort: 8080 }] });
  double.addPod({ namespace: 'shop', name: 'db-0', labels: { app: 'db' }, node: 'node-a', owner: { kind: 'StatefulSet', name: 'db' } });
  host = await startHost({ KUBECONFIG: double.kubeconfigFile });
});

test.afterAll(async () => {
  await host?.stop();
  await double?.stop();
});

test('pick a Kubernetes context, see pods in groups, and see a new pod join its group and the flows', async ({ designer }) => {
  await designer.open(host.url);
  const refused = designer.source('kubernetes:double-bad-token');
  await expect(refused).toHaveAttribute('data-status', 'failed');
  await expect(refused).toContainText(/context "double-bad-token".*401 Unauthorized/);
  await refused.getByTestId('source-close').click();

  await designer.chooseSource('kubernetes:double');
  await expect(designer.source('kubernetes:double')).toHaveAttribute('data-live', 'live');
  await expect(designer.workload('web-5d8f7-abcde')).toContainText('Deployment web');
  await expect(designer.workload('web-5d8f7-abcde')).toHaveAttribute('data-origin', 'kubernetes:double');

  await designer.addGroup('web', 'app=web');
  await designer.addGroup('db', 'app=db');
  await designer.addEdge('web', 'db', 'tcp/5432');
  await expect(designer.group('web').getByTestId('group-member-count')).toHaveText('1');
  // Pods named as trace and the matrix name them: with their namespace.
  await expect(designer.group('web').locator('.group-node-names li')).toHaveText(['shop/web-5d8f7-abcde']);
  const flowsBefore = await designer.compile();
  await expect(designer.hostTab('node-a')).toBeVisible();

  const pod = double.addPod({ namespace: 'shop', name: 'web-5d8f7-fghij', labels: { app: 'web' }, node: 'node-a', owner: { kind: 'ReplicaSet', name: 'web-5d8f7' } });
  const podIp = (pod.status as { podIP: string }).podIP;
  await expect(designer.workload('web-5d8f7-fghij')).toContainText(podIp);
  await expect(designer.group('web').getByTestId('group-member-count')).toHaveText('2');
  await expect(designer.byTestId('flow-count-total')).not.toHaveText(String(flowsBefore));
  // The preview followed by patching the last compile, not by compiling everything again.
  await expect(designer.byTestId('compile-duration')).toContainText('patched for 1 changed workload');
  await designer.screenshot('11-kubernetes-live');

  // The node is offered as a host, its SSH target starting from the node's InternalIP.
  await designer.hostRow('node-a').getByTestId('host-configure').click();
  await expect(designer.byTestId('host-address')).toHaveValue('192.0.2.11');

  // A cluster that goes away leaves the drawing and the workloads as they were, marked stale.
  double.setDown(true);
  await expect(designer.source('kubernetes:double')).toHaveAttribute('data-live', 'stale');
  await expect(designer.source('kubernetes:double')).toContainText(/stale: connection lost, last update/);
  await expect(designer.group('web').getByTestId('group-member-count')).toHaveText('2');
  double.setDown(false);
  await expect(designer.source('kubernetes:double')).toHaveAttribute('data-live', 'live', { timeout: 40_000 });
});
