import type { ApiResponse } from '@shared/api/contract';
import { emptyPolicy, type Policy } from '@shared/policy/model';
import { serializePolicy } from '@shared/policy/policy-file';
import type { Renames } from '@shared/policy/renames';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { withGroupAdded } from '../model/policy-edits';
import { useModalStore } from '../stores/modal-store';
import { usePolicyStore } from '../stores/policy-store';
import { reopenRememberedFile, savePolicy } from './policy-files';

// A new user's defect: a policy file written on Windows with a UTF-8 byte-order mark lost it on
// the first save from the canvas, a change nobody asked for. Its CRLF line ends were kept.

const PATH = '/home/me/shop.yaml';
const shop: Policy = { ...emptyPolicy('shop'), groups: [{ name: 'web', selector: { labels: 'tier=web' }, position: { x: 80, y: 120 } }] };
/** The file as a Windows editor saved it: a byte-order mark, then CRLF lines. */
const windowsFile = '\uFEFF' + serializePolicy(shop).replace(/\n/g, '\r\n');

let onDisk = windowsFile;
vi.mock('../api/request', () => ({
  request: vi.fn(async (channel: string, args: { text?: string }): Promise<ApiResponse<unknown>> => {
    if (channel === 'file:read') return Promise.resolve({ ok: true, value: { path: PATH, text: onDisk } });
    if (channel === 'file:write') {
      onDisk = args.text ?? '';
      return Promise.resolve({ ok: true, value: { path: PATH } });
    }
    throw new Error(`no answer for ${channel} in this test`);
  }),
}));
// The printer runs in a worker, which Node has not: here it prints on the spot, as the worker does.
vi.mock('../model/policy-file-text', () => ({
  policyFileText: async (policy: Policy, earlierText: string | null, renamed: Renames) =>
    Promise.resolve({ errors: [], text: serializePolicy(policy, earlierText ?? undefined, renamed) }),
}));
vi.stubGlobal('sessionStorage', { getItem: () => PATH, setItem: () => undefined, removeItem: () => undefined });

const addGroup = (name: string): void => usePolicyStore.getState().edit((p) => withGroupAdded(p, { name, selector: { labels: `tier=${name}` } }));

describe('saving a policy back to its file', () => {
  beforeEach(async () => {
    onDisk = windowsFile;
    useModalStore.setState({ modal: null });
    usePolicyStore.getState().replace(emptyPolicy(), null);
    await reopenRememberedFile();
  });

  it('keeps its byte-order mark and its CRLF line ends', async () => {
    addGroup('app');
    await savePolicy();
    expect(onDisk.startsWith('\uFEFF# ')).toBe(true);
    expect(onDisk).toContain('  - name: app\r\n');
    expect(onDisk.replace(/\r\n/g, '')).not.toContain('\n');
  });

  it('saves again without asking whether the file changed on disk: what was written is what it knows', async () => {
    addGroup('app');
    await savePolicy();
    addGroup('db');
    // Had it asked, the save would wait on the question: wait for either.
    void savePolicy();
    await vi.waitFor(() => expect(useModalStore.getState().modal !== null || onDisk.includes('  - name: db\r\n')).toBe(true));
    expect(useModalStore.getState().modal).toBeNull();
    expect(onDisk.startsWith('\uFEFF# ')).toBe(true);
  });
});
