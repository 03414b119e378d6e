import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { scenarioArbitrary } from '../simulator/testing/random-scenario';
import { groupCriteria, resolveMembership } from './membership';

describe('groupCriteria', () => {
  it('puts each workload in the groups resolveMembership lists it under (property)', () => {
    fc.assert(
      fc.property(scenarioArbitrary({ probes: { min: 0, max: 0 } }), ({ policy, inventory }) => {
        const criteria = groupCriteria(policy);
        const membership = resolveMembership(policy, inventory.workloads);
        for (const w of inventory.workloads) {
          const listed = [...membership].filter(([, m]) => m.workloads.some((x) => x.id === w.id)).map(([name]) => name);
          expect(criteria(w)).toEqual(listed);
        }
      }),
      { numRuns: 300 },
    );
  });
});
