import type { ApiErrorData } from '@shared/api/contract';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { useAppStore } from '../stores/app-store';
import { useModalStore } from '../stores/modal-store';
import { usePolicyStore } from '../stores/policy-store';
import { analyseChosenFile, BASELINE_FILE, CONNECTION_LOG, type FileAnalysis } from './choose-analysis-file';

// Browser mode asks through the page's own dialog: no request reaches the service.
vi.mock('../api/request', () => ({ request: vi.fn() }));

/** The path dialog open now; throws when there is none. */
function pathDialog(): Extract<NonNullable<ReturnType<typeof useModalStore.getState>['modal']>, { kind: 'path' }> {
  const { modal } = useModalStore.getState();
  if (modal?.kind !== 'path') throw new Error('no path dialog');
  return modal;
}

const takesAny: FileAnalysis = async () => Promise.resolve(undefined);

// The what-if tester's finding: "Compare with a saved version…" always started at the open
// policy's own path, so comparing again with the same version meant typing its path again.

/** Answers the dialog with `path` and gives back the path it started at. */
async function answer(what: typeof BASELINE_FILE, path: string): Promise<string | undefined> {
  const analysed = analyseChosenFile(what, takesAny);
  const modal = pathDialog();
  modal.resolve(path);
  await analysed;
  return modal.defaultPath;
}

describe('analyseChosenFile in the browser', () => {
  beforeEach(() => {
    useModalStore.setState({ modal: null });
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

  // The what-if tester's finding: a mistyped path closed the dialog on a failure shown elsewhere
  // (the panel, a banner), and the path had to be typed again; Open kept its dialog.
  it.each([BASELINE_FILE, CONNECTION_LOG])('$title: a path that cannot be read is asked for again as typed, with why, until one is taken', async (what) => {
    const missing = '/home/me/shpo.yaml';
    const noSuchFile: ApiErrorData = { code: 'not-found', message: `Could not read ${missing}: it does not exist.` };
    const analysed: string[] = [];
    const analysing = analyseChosenFile(what, async (path, refuses) => {
      analysed.push(path);
      return Promise.resolve(path === missing && refuses?.(noSuchFile) ? noSuchFile : undefined);
    });

    pathDialog().resolve(` ${missing} `);
    await vi.waitFor(() => expect(pathDialog().problem).toBe(noSuchFile.message));
    expect(pathDialog()).toMatchObject({ title: what.title, defaultPath: missing });

    pathDialog().resolve('/home/me/shop.yaml');
    await analysing;
    expect(analysed).toEqual([missing, '/home/me/shop.yaml']);
  });

  it('a file read but with errors is analysed, not asked for again: its errors are shown where the analysis shows them', async () => {
    const withErrors: ApiErrorData = { code: 'bad-request', message: '/home/me/old.yaml has errors; fix them to compare with it.', detail: 'old.yaml:3:1 MS101 …' };
    const analysing = analyseChosenFile(BASELINE_FILE, async (_path, refuses) => Promise.resolve(refuses?.(withErrors) ? withErrors : undefined));
    const first = pathDialog();

    first.resolve('/home/me/old.yaml');
    await analysing;
    expect(useModalStore.getState().modal).toBe(first);
  });

  it('a cancelled dialog analyses nothing', async () => {
    const analyse = vi.fn(takesAny);
    const analysing = analyseChosenFile(CONNECTION_LOG, analyse);
    useModalStore.getState().close();
    await analysing;
    expect(analyse).not.toHaveBeenCalled();
  });
});
