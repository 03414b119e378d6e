import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compilePolicy } from '../compiler/compile';
import { parseInventoryFile } from '../inventory/static-file';
import { parsePolicyFile, serializePolicy } from '../policy/policy-file';
import { validatePolicy } from '../policy/validate';
import { diagnosticProblems, mutatedDocuments } from '../testing/document-mutations';
import { importNetworkPolicies } from './import';
import { parseNetworkPolicies } from './network-policy-file';

// NetworkPolicy files made from valid ones by mutation: the reader answers each with policies or
// located diagnostics, and what it accepts imports as a design that compiles and saves.

const read = (path: string): string => readFileSync(new URL(path, import.meta.url), 'utf8');
const example = read('../../examples/kubernetes-shop/networkpolicies.yaml');
/** The example as `kubectl get -o yaml` prints it: one List. */
const asList = `apiVersion: v1\nkind: List\nitems:\n${example
  .split(/^---$/m)
  .map((doc) => doc.replace(/^#.*\n/gm, '').trim())
  .map((doc) => `  - ${doc.replace(/\n/g, '\n    ')}`)
  .join('\n')}\n`;
const inventory = parseInventoryFile(read('../../examples/kubernetes-shop/inventory.yaml'), 'i.yaml', 'now').inventory!;

const RUNS = 200;

describe('parseNetworkPolicies on mutated files', () => {
  it('never throws, and gives each error its code and a place in the file that the CLI prints on one line', () => {
    fc.assert(
      fc.property(
        fc.oneof(mutatedDocuments([example, asList]), mutatedDocuments([example, asList], 'mild')),
        (text) => {
          const parsed = parseNetworkPolicies(text, 'np.yaml');
          expect(diagnosticProblems(parsed.diagnostics, text, 'np.yaml', /^MS6\d\d$/), text).toEqual([]);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('imports what it accepts as a design that validates, compiles, and saves and reads back the same', () => {
    fc.assert(
      fc.property(mutatedDocuments([example, asList], 'mild'), (text) => {
        const parsed = parseNetworkPolicies(text, 'np.yaml');
        if (parsed.policies.length === 0 || parsed.diagnostics.some((d) => d.severity === 'error')) return;
        const { policy } = importNetworkPolicies(parsed.policies, 'imported');
        expect(
          validatePolicy(policy).filter((d) => d.severity === 'error'),
          text,
        ).toEqual([]);
        expect(
          compilePolicy(policy, inventory).diagnostics.filter((d) => d.severity === 'error'),
          text,
        ).toEqual([]);
        expect(parsePolicyFile(serializePolicy(policy), 'p.yaml').policy, text).toEqual(policy);
      }),
      { numRuns: RUNS },
    );
  });
});
