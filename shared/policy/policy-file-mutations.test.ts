import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compilePolicy } from '../compiler/compile';
import { hasErrors } from '../diagnostics';
import { parseInventoryFile } from '../inventory/static-file';
import { diagnosticProblems, mutatedDocuments } from '../testing/document-mutations';
import { parsePolicyFile, serializePolicy } from './policy-file';
import { validatePolicy } from './validate';

// Policy files made from valid ones by mutation (wrong types anywhere, fields removed and added,
// anchors, tags, duplicate keys, second documents, broken text): the reader answers each with a
// policy or with located diagnostics, and a policy it gives is one the compiler takes.

const read = (path: string): string => readFileSync(new URL(path, import.meta.url), 'utf8');
const pairs = [
  ['../../examples/three-tier-shop/policy.yaml', '../../examples/three-tier-shop/inventory.yaml'],
  ['../compiler/fixtures/features.policy.yaml', '../compiler/fixtures/features.inventory.yaml'],
  ['../compiler/fixtures/kubernetes.policy.yaml', '../compiler/fixtures/kubernetes.inventory.yaml'],
  ['../compiler/fixtures/redirect.policy.yaml', '../compiler/fixtures/redirect.inventory.yaml'],
] as const;
const policies = pairs.map(([policy]) => read(policy));
const inventories = pairs.map(
  ([, inventory]) => parseInventoryFile(read(inventory), 'inventory.yaml', 'now').inventory!,
);

const RUNS = 200;

describe('parsePolicyFile on mutated files', () => {
  it('never throws, and gives a policy or errors, each with its code, and a place in the file that the CLI prints on one line', () => {
    fc.assert(
      fc.property(mutatedDocuments(policies), (text) => {
        const parsed = parsePolicyFile(text, 'p.yaml');
        expect(parsed.policy === null, text).toBe(hasErrors(parsed.diagnostics));
        expect(diagnosticProblems(parsed.diagnostics, text, 'p.yaml', /^MS(0|1)\d\d$/), text).toEqual([]);
        expect(() => JSON.stringify(parsed.diagnostics)).not.toThrow();
      }),
      { numRuns: RUNS },
    );
  });

  it('gives only policies that validate, compile without throwing, and save and read back the same', () => {
    fc.assert(
      fc.property(mutatedDocuments(policies, 'mild'), (text) => {
        const { policy } = parsePolicyFile(text, 'p.yaml');
        if (!policy) return;
        expect(
          validatePolicy(policy).filter((d) => d.severity === 'error'),
          text,
        ).toEqual([]);
        for (const inventory of inventories) compilePolicy(policy, inventory);
        const saved = serializePolicy(policy, text);
        const again = parsePolicyFile(saved, 'p.yaml');
        expect(
          again.diagnostics.filter((d) => d.severity === 'error'),
          saved,
        ).toEqual([]);
        expect(again.policy, saved).toEqual(policy);
      }),
      { numRuns: RUNS },
    );
  });
});
