import type { CompileOutcome } from '@shared/api/contract';
import { emptyPolicy } from '@shared/policy/model';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { request } from '../api/request';
import { useCompileStore } from '../stores/compile-store';
import { useInventoryStore } from '../stores/inventory-store';
import { usePolicyStore } from '../stores/policy-store';
import { compileCurrent, compiledDrawing } from './compile-current';

// The what-if tools answer for the drawing as it is now: a compile of anything else is done again first.

vi.mock('../api/request', () => ({ request: vi.fn() }));

const inventory = { workloads: [], readAt: '2026-01-01T00:00:00Z' };
const outcome = (compileId: string, errors = false): CompileOutcome =>
  ({ compileId, hosts: [], rules: [], flowCount: 0, durationMs: 1, diagnostics: errors ? [{ code: 'MS101', severity: 'error', message: 'x', location: { path: 'groups' } }] : [] }) as unknown as CompileOutcome;
type Answer = Awaited<ReturnType<typeof request>>;
const answer = (value: CompileOutcome): Promise<Answer> => Promise.resolve({ ok: true, value });

describe('compiledDrawing', () => {
  beforeEach(() => {
    vi.mocked(request).mockReset();
    usePolicyStore.getState().replace(emptyPolicy('shop'), '/tmp/shop.yaml');
    useInventoryStore.setState({ inventory, open: [] });
    useCompileStore.setState({ outcome: null, input: null, running: false, latestCompileId: null });
  });

  it('takes the last compile when it is of the drawing and inventory now, without compiling', async () => {
    const { policy } = usePolicyStore.getState();
    useCompileStore.setState({ outcome: outcome('c1'), input: { policy, inventory } });
    expect((await compiledDrawing())?.outcome.compileId).toBe('c1');
    expect(request).not.toHaveBeenCalled();
  });

  it('compiles a drawing changed since the last compile, and answers with the new compile', async () => {
    const { policy } = usePolicyStore.getState();
    useCompileStore.setState({ outcome: outcome('c1'), input: { policy, inventory } });
    usePolicyStore.getState().edit((p) => ({ ...p, name: 'shop2' }));
    vi.mocked(request).mockImplementationOnce(() => answer(outcome('c2')));

    const compiled = await compiledDrawing();
    expect(request).toHaveBeenCalledTimes(1);
    expect(compiled?.outcome.compileId).toBe('c2');
    expect(compiled?.input.policy.name).toBe('shop2');
  });

  it('leaves the what-if tool that asked on show while it compiles a changed drawing', async () => {
    for (const kind of ['trace', 'matrix', 'impact', 'replay'] as const) {
      useCompileStore.setState({ outcome: null, input: null, tab: { kind } });
      vi.mocked(request).mockImplementationOnce(() => answer({ ...outcome('c1'), hosts: [{ host: 'h1' }] } as unknown as CompileOutcome));
      await compiledDrawing();
      expect(useCompileStore.getState().tab).toEqual({ kind });
    }
  });

  it('waits for a compile already running rather than starting another', async () => {
    let finish: (response: Answer) => void = () => undefined;
    vi.mocked(request).mockImplementationOnce(() => new Promise((resolve) => (finish = resolve)));
    const { policy } = usePolicyStore.getState();
    const running = useCompileStore.getState().compile(policy, inventory);

    const asked = compiledDrawing();
    finish({ ok: true, value: outcome('c1') });
    await running;
    expect((await asked)?.outcome.compileId).toBe('c1');
    expect(request).toHaveBeenCalledTimes(1);
  });

  it('gives nothing to analyse when the compile finds errors', async () => {
    vi.mocked(request).mockImplementationOnce(() => answer(outcome('c1', true)));
    expect(await compiledDrawing()).toBeNull();
    expect(useCompileStore.getState().outcome?.compileId).toBe('c1');
  });
  it('compiles again when another window compiled since, whose compile replaced this one on the node side', async () => {
    const { policy } = usePolicyStore.getState();
    useCompileStore.setState({ outcome: outcome('c1'), input: { policy, inventory }, latestCompileId: 'other-window' });
    vi.mocked(request).mockImplementationOnce(() => answer(outcome('c2')));
    expect((await compiledDrawing())?.outcome.compileId).toBe('c2');
    expect(request).toHaveBeenCalledTimes(1);
  });

  it('waits for a source still being read, then compiles with its workloads', async () => {
    const reading = { sourceId: 'static:/tmp/inventory.yaml', status: 'loading' } as unknown as ReturnType<typeof useInventoryStore.getState>['open'][number];
    useInventoryStore.setState({ inventory: null, open: [reading] });
    vi.mocked(request).mockImplementationOnce(() => answer(outcome('c1')));

    const compiling = compileCurrent();
    await Promise.resolve();
    expect(request).not.toHaveBeenCalled();
    useInventoryStore.setState({ inventory, open: [{ ...reading, status: 'loaded' }] });
    await compiling;
    expect(request).toHaveBeenCalledTimes(1);
    expect(useCompileStore.getState().input?.inventory).toBe(inventory);
  });
});
