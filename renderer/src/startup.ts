import { reopenRememberedFile } from './actions/policy-files';
import { rememberPortHosts } from './actions/remembered-port-hosts';
import { reopenSources } from './actions/remembered-sources';
import { request } from './api/request';
import { useAppStore } from './stores/app-store';
import { useDeployStore } from './stores/deploy-store';
import { useInventoryStore } from './stores/inventory-store';

let started = false;

/**
 * Loads what the first screen needs. Idempotent, because React's development mode runs
 * effects twice. The app is `ready` once app info and sources have answered, failed or not:
 * a failure is already on screen as a notice, and the rest of the UI still works.
 */
export async function startApp(): Promise<void> {
  if (started) return;
  started = true;

  const [info, examples] = await Promise.all([
    request('app:info', undefined),
    request('examples:list', undefined),
    useInventoryStore.getState().loadSources(),
    useDeployStore.getState().loadTargets(),
    useDeployStore.getState().restore(),
  ]);
  useAppStore.getState().setStarted(info.ok ? info.value : null, examples.ok ? examples.value : []);

  await reopenRememberedFile();
  // Before the sources open: a Docker source reads its remembered hosts' switch ports again.
  rememberPortHosts();
  await reopenSources();
}
