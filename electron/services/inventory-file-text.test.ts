import type { Workload } from '@shared/inventory/model';
import { inventoryFileText } from '@shared/inventory/inventory-file-text';
import { describe, expect, it } from 'vitest';
import { parseInventoryText } from './inventory-file';

// Workloads still open from a file that is gone are written out anew: what is written must read
// back, through the reader that opens inventory files, as the same workloads.

const origin = { kind: 'static', source: 'gone.yaml' } as const;
const workloads: Workload[] = [
  { id: 'static:gone.yaml/web-1', name: 'web-1', host: 'host-a', addresses: ['10.0.0.1', 'fd00::1'], labels: { tier: 'web', 'app.kubernetes.io/name': 'shop' }, image: 'shop/web:1, "beta"', origin },
  {
    id: 'static:gone.yaml/db-1', name: 'db-1', host: 'host-b', addresses: [], mac: '02:42:0a:00:00:09', switchPort: 'veth1', labels: {}, namespace: 'shop',
    namespaceLabels: { env: 'prod' }, ports: [{ name: 'pg', port: 5432, protocol: 'tcp' }, { port: 53, protocol: 'udp' }], composeService: 'db', origin,
  },
];
/** The workloads as a file read gives them: the same in all but where they came from. */
const asRead = workloads.map((w) => ({ ...w, id: expect.any(String) as unknown, origin: expect.anything() as unknown }));

describe('inventoryFileText', () => {
  it.each(['yaml', 'csv'] as const)('writes %s that reads back as the same workloads, quoting what would end a value', (format) => {
    const parsed = parseInventoryText(inventoryFileText(workloads, format), `gone.${format}`, 'now');
    expect(parsed.diagnostics).toEqual([]);
    expect(parsed.inventory!.workloads).toEqual(asRead);
  });
});
