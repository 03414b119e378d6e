import { describe, expect, it } from 'vitest';
import type { Inventory } from '../inventory/model';
import { honeypotLabel } from './honeypot-label';

const inventory: Inventory = {
  readAt: 'x',
  workloads: [{ id: 's/honey', name: 'honey', namespace: 'traps', host: 'h1', addresses: ['10.0.9.9', 'fd00::99'], labels: {}, origin: { kind: 'static', source: 's' } }],
};

describe('honeypotLabel', () => {
  it('names the honeypot by its workload, as the Impact tab does, with the address the connection went to', () => {
    expect(honeypotLabel(inventory, '10.0.9.9')).toBe('traps/honey (10.0.9.9)');
    expect(honeypotLabel(inventory, 'fd00::99')).toBe('traps/honey (fd00::99)');
  });

  it('keeps an address no workload has, and says when none is known', () => {
    expect(honeypotLabel(inventory, '10.0.9.10')).toBe('10.0.9.10');
    expect(honeypotLabel(inventory, undefined)).toBe('?');
  });
});
