import { describe, expect, it } from 'vitest';
import { honeypotNamed } from '../policy/honeypots';
import { findHoneypot } from '../policy/reference-honeypots';
import { workloadsNamed, type Workload } from './model';

const workload = (name: string, namespace?: string): Workload => ({
  id: `static:t/${namespace ? `${namespace}/` : ''}${name}`,
  name,
  host: 'h1',
  addresses: [`10.0.0.${name.length}`],
  labels: {},
  ...(namespace ? { namespace } : {}),
  origin: { kind: 'static', source: 't' },
});

describe('workloads by name or namespace/name', () => {
  const workloads = [workload('web', 'shop'), workload('web', 'ops'), workload('trap')];

  it('reads the first "/" as the end of the namespace, so a longer path names nobody', () => {
    expect(workloadsNamed(workloads, 'web').map((w) => w.namespace)).toEqual(['shop', 'ops']);
    expect(workloadsNamed(workloads, 'shop/web').map((w) => w.id)).toEqual(['static:t/shop/web']);
    expect(workloadsNamed(workloads, 'shop/web/x')).toEqual([]);
  });

  it('takes a bare name beside namespaced ones of that name as the workload in no namespace, whose full name it is', () => {
    const withBare = [...workloads, workload('web')];
    expect(workloadsNamed(withBare, 'web').map((w) => w.id)).toEqual(['static:t/web']);
    expect(workloadsNamed(withBare, 'ops/web').map((w) => w.id)).toEqual(['static:t/ops/web']);
    expect(honeypotNamed('web', withBare)?.id).toBe('static:t/web');
    expect(findHoneypot({ readAt: 'x', workloads: withBare }, 'web').id).toBe('static:t/web');
    // Without one in no namespace, the name stays ambiguous.
    expect(honeypotNamed('web', workloads)).toBeUndefined();
    expect(() => findHoneypot({ readAt: 'x', workloads }, 'web')).toThrow('names 2 workloads');
  });

  it('finds honeypots the same way in the compiler and in the reference evaluator', () => {
    expect(honeypotNamed('shop/web', workloads)?.id).toBe('static:t/shop/web');
    expect(honeypotNamed('shop/web/x', workloads)).toBeUndefined();
    expect(findHoneypot({ readAt: 'x', workloads }, 'shop/web').id).toBe('static:t/shop/web');
    expect(() => findHoneypot({ readAt: 'x', workloads }, 'shop/web/x')).toThrow('names 0 workloads');
  });
});
