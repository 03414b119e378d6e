import { useDeployStore } from '../stores/deploy-store';

/**
 * Reads the saved SSH targets again each time the window gets the focus back, until the returned
 * function is called. `hosts.json` may be edited by hand, in another window, while the app is open:
 * the Hosts panel then counts the targets the file holds when the user looks again, where it
 * used to show the old ones until the deploy dialog read the file.
 */
export function readTargetsOnReturn(window: Pick<EventTarget, 'addEventListener' | 'removeEventListener'>): () => void {
  const readAgain = (): void => void useDeployStore.getState().loadTargets();
  window.addEventListener('focus', readAgain);
  return () => window.removeEventListener('focus', readAgain);
}
