import type { ApiErrorData, ApiResponse, AppInfo } from '@shared/api/contract';
import { emptyPolicy } from '@shared/policy/model';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { request } from '../api/request';
import { useAppStore } from '../stores/app-store';
import { useModalStore } from '../stores/modal-store';
import { usePolicyStore } from '../stores/policy-store';
import { savePolicyAs } from './policy-files';

// The desktop's Save as: a path the service refuses was a banner, and the native dialog was gone.
// The Electron runtime cannot run here, so its save dialog is the `dialog:save` request, stubbed:
// each call answers the next path the user picks in it.

const picked: (string | null)[] = [];
const writes: ApiResponse<{ path: string }>[] = [];
vi.mock('../api/request', () => ({
  request: vi.fn(async (channel: string): Promise<ApiResponse<unknown>> => {
    if (channel === 'dialog:save') return Promise.resolve({ ok: true, value: picked.shift() ?? null });
    if (channel === 'file:read') return Promise.resolve({ ok: false, error: { code: 'not-found', message: 'no such file' } });
    if (channel === 'file:write') return Promise.resolve(writes.shift()!);
    throw new Error(`no answer for ${channel} in this test`);
  }),
}));
// The printer runs in a worker, which Node has not: the text it gives is not what is tested here.
vi.mock('../model/policy-file-text', () => ({ policyFileText: async () => Promise.resolve({ errors: [], text: 'kind: Policy\n' }) }));
vi.stubGlobal('sessionStorage', { getItem: () => null, setItem: () => undefined, removeItem: () => undefined });

const desktop: AppInfo = { name: 'Microseg Designer', version: '0', transport: 'electron', nativeDialogs: true, homeDir: '/home/me' };
const folder: ApiErrorData = { code: 'io', message: 'Could not write /home/me/dir: /home/me/dir is a folder, not a file; choose another place.' };

/** The dialog:save requests made so far, as the paths the native dialog opened at. */
const dialogsOpenedAt = (): unknown[] =>
  vi.mocked(request).mock.calls.flatMap(([channel, args]) => (channel === 'dialog:save' ? [(args as { defaultPath?: string }).defaultPath] : []));

describe('Save as on the desktop, a path the service refuses', () => {
  beforeEach(() => {
    vi.mocked(request).mockClear();
    useModalStore.setState({ modal: null });
    useAppStore.setState({ info: desktop });
    usePolicyStore.getState().replace(emptyPolicy('shop'), null, true);
  });

  it('is said in a message naming the file and the reason, not a banner, and the dialog opens again at that path', async () => {
    picked.push('/home/me/dir', '/home/me/shop.yaml');
    writes.push({ ok: false, error: folder }, { ok: true, value: { path: '/home/me/shop.yaml' } });
    const saving = savePolicyAs();

    await vi.waitFor(() => expect(useModalStore.getState().modal?.kind).toBe('confirm'));
    const modal = useModalStore.getState().modal!;
    expect(modal).toMatchObject({ title: 'Not saved to /home/me/dir', confirmLabel: 'Choose another path' });
    expect(modal.kind === 'confirm' && modal.message).toContain('/home/me/dir is a folder, not a file');
    // The write's refusal is the caller's to say: the request makes no notice of it.
    const [, , options] = vi.mocked(request).mock.calls.find(([channel]) => channel === 'file:write')!;
    expect(options?.handles?.(folder)).toBe(true);

    // As the modal's button does: the answer, and the modal gone.
    if (modal.kind === 'confirm') modal.resolve(true);
    useModalStore.setState({ modal: null });
    await saving;
    expect(dialogsOpenedAt()).toEqual(['/home/me/shop.yaml', '/home/me/dir']);
    expect(usePolicyStore.getState().path).toBe('/home/me/shop.yaml');
  });

  it('ends the Save as when the user cancels the message: no dialog again, nothing saved', async () => {
    picked.push('/home/me/dir');
    writes.push({ ok: false, error: folder });
    const saving = savePolicyAs();
    await vi.waitFor(() => expect(useModalStore.getState().modal?.kind).toBe('confirm'));
    useModalStore.getState().close();
    await saving;
    expect(dialogsOpenedAt()).toEqual(['/home/me/shop.yaml']);
    expect(usePolicyStore.getState().path).toBeNull();
  });
});
