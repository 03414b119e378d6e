import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatServices, SERVICE_DOMAIN, serviceSetOf, type ServiceSet } from '@shared/analysis/service-set';
import { parseService } from '@shared/policy/services';
import { ROOT } from './testing/run-microseg';

// QA's defect: the README said the matrix and the impact write services "as the policy file
// writes them", `ip proto 47` among them, which a policy file refuses. It now says which forms
// are the policy file's and which are not; this holds it to the parser and the printer.

const readme = readFileSync(join(ROOT, 'README.md'), 'utf8').replace(/\s+/g, ' ');
const paragraph = readme.slice(readme.indexOf('Services are written'));

/** The backticked examples in the first parenthesis after `marker` in the paragraph. */
function examplesAfter(marker: string): string[] {
  const from = paragraph.indexOf(marker);
  expect(from, marker).toBeGreaterThanOrEqual(0);
  const inside = paragraph.slice(paragraph.indexOf('(', from) + 1, paragraph.indexOf(')', from));
  return [...inside.matchAll(/`([^`]+)`/g)].map((m) => m[1]!);
}

/** The sets whose printing the README shows as forms no policy file takes. */
const beyondThePolicyFile: Record<string, ServiceSet> = {
  'ip proto 47': serviceSetOf({ other: [[47, 47]] }),
  'other IP protocols': serviceSetOf({ other: SERVICE_DOMAIN.other }),
  'tcp/0-79': serviceSetOf({ tcp: [[0, 79]] }),
};

describe("the README's services as the matrix and the impact write them", () => {
  it("gives as the policy file's notation only services a policy file takes", () => {
    const own = examplesAfter("policy file's notation");
    expect(own.length).toBeGreaterThan(0);
    for (const written of own)
      for (const service of written.split(', ')) expect(parseService(service), service).toMatchObject({ ok: true });
  });

  it('gives as other forms exactly what the printer writes, none of which a policy file takes', () => {
    const other = examplesAfter('policy file does not take');
    expect(other).toEqual(Object.keys(beyondThePolicyFile));
    for (const [written, set] of Object.entries(beyondThePolicyFile)) {
      expect(formatServices(set)).toBe(written);
      expect(parseService(written).ok, written).toBe(false);
    }
  });
});
