import { beforeEach, describe, expect, it, vi } from 'vitest';
import { useAppStore } from '../stores/app-store';
import { useModalStore } from '../stores/modal-store';
import { usePolicyStore } from '../stores/policy-store';
import { BASELINE_FILE, chooseAnalysisFile, CONNECTION_LOG } from './choose-analysis-file';

// Browser mode asks through the page's own dialog: no request reaches the service.
vi.mock('../api/request', () => ({ request: vi.fn() }));

// The what-if tester's finding: "Compare with a saved version…" always started at the open
// policy's own path, so comparing again with the same version meant typing its path again.

/** Answers the dialog with `path` and gives back the path it started at. */
async function answer(what: typeof BASELINE_FILE, path: string): Promise<string | undefined> {
  const chosen = chooseAnalysisFile(what);
  const modal = useModalStore.getState().modal;
  if (modal?.kind !== 'path') throw new Error('no path dialog');
  modal.resolve(path);
  await chosen;
  return modal.defaultPath;
}

describe('chooseAnalysisFile in the browser', () => {
  beforeEach(() => {
    useAppStore.setState({ info: null, examples: [] });
    usePolicyStore.setState({ path: '/home/me/shop.yaml' });
  });

  it('starts at the path last given for that kind of file, each kind its own', async () => {
    expect(await answer(BASELINE_FILE, '/home/me/shop-v1.yaml')).toBe('/home/me/shop.yaml');
    expect(await answer(BASELINE_FILE, '/home/me/shop-v2.yaml')).toBe('/home/me/shop-v1.yaml');
    expect(await answer(CONNECTION_LOG, '/home/me/log.csv')).toBe('');
    expect(await answer(BASELINE_FILE, '  ')).toBe('/home/me/shop-v2.yaml');
    // A dialog left empty forgets nothing.
    expect(await answer(BASELINE_FILE, '/x.yaml')).toBe('/home/me/shop-v2.yaml');
  });
});
