import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseInventoryFile, parseInventoryFileLocated } from './static-file';
import { randomInventoryYaml } from './testing/random-inventory-yaml';

describe('parseInventoryFile', () => {
  it('gives the workloads, places and diagnostics of the located read for any file, quick read or not', () => {
    fc.assert(
      fc.property(fc.integer(), (seed) => {
        const text = randomInventoryYaml(seed);
        expect(parseInventoryFile(text, 'i.yaml', 'now'), text).toStrictEqual(parseInventoryFileLocated(text, 'i.yaml', 'now'));
      }),
      { numRuns: 500 },
    );
  });
});
