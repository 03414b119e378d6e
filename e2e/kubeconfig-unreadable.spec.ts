import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeApiDouble } from './support/kube-api-double/kube-api-double';
import { expect, test } from './support/fixtures';
import { startHost, type RunningHost } from './support/web-host';

// A kubeconfig file that cannot be read, beside the double's: the picker says what it is and why,
// never "(current)", and a new window still opens it, so that the reason shows at once.

let double: KubeApiDouble;
let host: RunningHost;
let broken: string;

test.beforeAll(async () => {
  double = await KubeApiDouble.start();
  broken = join(mkdtempSync(join(tmpdir(), 'microseg-e2e-kubeconfig-')), 'broken');
  writeFileSync(broken, 'apiVersion: v1\nkind: Config\nclusters: [ {name: x\n');
  host = await startHost({ KUBECONFIG: `${broken}:${double.kubeconfigFile}` });
});

test.afterAll(async () => {
  await host?.stop();
  await double?.stop();
});

test('an unreadable kubeconfig is labelled with its reason, not as current, and opens in a new window to say why', async ({ designer }) => {
  await designer.open(host.url);
  const option = designer.byTestId('source-select').locator(`option[value="kubeconfig:${broken}"]`);
  await expect(option).toHaveText('Kubernetes: kubeconfig broken (cannot be read: unexpected end of the stream within a flow collection (4:1))');
  await expect(designer.byTestId('source-select').locator('option[value="kubernetes:double"]')).toHaveText('Kubernetes: double (current)');

  await expect(designer.source(`kubeconfig:${broken}`)).toHaveAttribute('data-status', 'failed');
  await expect(designer.source(`kubeconfig:${broken}`)).toContainText(`The kubeconfig file ${broken} cannot be read`);
  await expect(designer.source('kubernetes:double')).toHaveAttribute('data-live', 'live');
});
