import type { ApiResponse } from '@shared/api/contract';
import { describe, expect, it, vi } from 'vitest';
import { request } from '../api/request';
import { useDeployStore } from '../stores/deploy-store';
import { readTargetsOnReturn } from './targets-on-return';

// hosts.json edited by hand while the app is open: the Hosts panel showed the targets it read at
// the start until the deploy dialog read the file again.

const answers: ApiResponse<unknown>[] = [];
vi.mock('../api/request', () => ({ request: vi.fn(async () => Promise.resolve(answers.shift())) }));

describe('the saved targets when the user comes back to the window', () => {
  const target = { host: 'h1', address: '127.0.0.1', port: 22, user: 'root', auth: { kind: 'agent' as const }, bridge: 'br0' };

  it('are read again from the file each time the window gets the focus, until that stops', async () => {
    useDeployStore.setState({ targets: [], sharedSwitches: [] });
    const window = new EventTarget();
    const stop = readTargetsOnReturn(window);

    answers.push({ ok: true, value: { targets: [target], sharedSwitches: [] } });
    window.dispatchEvent(new Event('focus'));
    await vi.waitFor(() => expect(useDeployStore.getState().targets).toEqual([target]));

    answers.push({ ok: true, value: { targets: [target, { ...target, host: 'h2' }], sharedSwitches: [] } });
    window.dispatchEvent(new Event('focus'));
    await vi.waitFor(() => expect(useDeployStore.getState().targets.map((t) => t.host)).toEqual(['h1', 'h2']));

    stop();
    vi.mocked(request).mockClear();
    window.dispatchEvent(new Event('focus'));
    expect(request).not.toHaveBeenCalled();
  });
});
