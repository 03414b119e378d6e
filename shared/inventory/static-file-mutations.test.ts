import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compilePolicy } from '../compiler/compile';
import { hasErrors } from '../diagnostics';
import { parsePolicyFile } from '../policy/policy-file';
import { diagnosticProblems, mutatedDocuments } from '../testing/document-mutations';
import { parseInventoryFile, parseInventoryFileLocated } from './static-file';

// Inventory files made from valid ones by mutation: the reader answers each with an inventory or
// with located diagnostics, and an inventory it gives is one the compiler takes.

const read = (path: string): string => readFileSync(new URL(path, import.meta.url), 'utf8');
const inventories = [
  '../../examples/three-tier-shop/inventory.yaml',
  '../../examples/kubernetes-shop/inventory.yaml',
  '../compiler/fixtures/kubernetes.inventory.yaml',
  '../compiler/fixtures/redirect.inventory.yaml',
].map(read);
const policies = [
  '../../examples/three-tier-shop/policy.yaml',
  '../compiler/fixtures/kubernetes.policy.yaml',
  '../compiler/fixtures/redirect.policy.yaml',
].map((path) => parsePolicyFile(read(path), 'p.yaml').policy!);

const RUNS = 200;

describe('parseInventoryFile on mutated files', () => {
  it('never throws, and gives an inventory or errors, each with its code, and a place in the file that the CLI prints on one line', () => {
    fc.assert(
      fc.property(fc.oneof(mutatedDocuments(inventories), mutatedDocuments(inventories, 'mild')), (text) => {
        const parsed = parseInventoryFile(text, 'i.yaml', 'now');
        expect(parsed.inventory === null, text).toBe(hasErrors(parsed.diagnostics));
        expect(diagnosticProblems(parsed.diagnostics, text, 'i.yaml', /^MS3\d\d$/), text).toEqual([]);
      }),
      { numRuns: RUNS },
    );
  });

  it('gives only inventories that the example policies compile against without throwing', () => {
    fc.assert(
      fc.property(mutatedDocuments(inventories, 'mild'), (text) => {
        const { inventory } = parseInventoryFile(text, 'i.yaml', 'now');
        if (!inventory) return;
        for (const policy of policies) {
          const compiled = compilePolicy(policy, inventory);
          expect(
            compiled.diagnostics.every((d) => /^MS\d{3}$/.test(d.code)),
            text,
          ).toBe(true);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('reads each the same by its quick read as by the located one', () => {
    fc.assert(
      fc.property(fc.oneof(mutatedDocuments(inventories), mutatedDocuments(inventories, 'mild')), (text) => {
        expect(parseInventoryFile(text, 'i.yaml', 'now'), text).toStrictEqual(
          parseInventoryFileLocated(text, 'i.yaml', 'now'),
        );
      }),
      { numRuns: RUNS },
    );
  });
});
