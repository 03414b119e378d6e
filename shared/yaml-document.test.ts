import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseInventoryFile } from './inventory/static-file';
import { parseNetworkPolicies } from './kubernetes/network-policy-file';
import { parsePolicyFile } from './policy/policy-file';
import { MAX_YAML_LENGTH } from './yaml-document';

// Hostile YAML is the author's mistake, never a crash: every reader answers with a located
// diagnostic that says what is wrong.

const laughs = Array.from({ length: 10 }, (_, i) => (i === 0 ? '  a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]' : `  a${i}: &a${i} [${Array(9).fill(`*a${i - 1}`).join(',')}]`)).join('\n');

const INPUTS = {
  'an alias bomb': { text: `x:\n${laughs}\n`, message: /alias bomb/, line: 3 },
  'an alias to an anchor of another document': { text: 'a: &base { x: 1 }\n---\nb:\n  c: *base\n', message: /\*base names no anchor/, line: 4 },
  'twenty thousand nested brackets': { text: `a: ${'['.repeat(20_000)}\n`, message: /nested too deeply/, line: 1 },
  // Read, 50 MB of YAML took two minutes and then more memory than a process may have.
  'YAML too large to read': { text: `a: 1\n${`# ${'x'.repeat(1000)}\n`.repeat(MAX_YAML_LENGTH / 1000)}`, message: /^the file is 25 MB of YAML, more than the 24 MB a YAML file may be/, line: 1 },
};

const READERS = {
  'NetworkPolicy file': { read: (text: string) => parseNetworkPolicies(text, 'f.yaml').diagnostics, code: 'MS601' },
  'policy file': { read: (text: string) => parsePolicyFile(text, 'f.yaml').diagnostics, code: 'MS001' },
  'inventory file': { read: (text: string) => parseInventoryFile(text, 'f.yaml', 'now').diagnostics, code: 'MS301' },
};

describe('hostile YAML', () => {
  for (const [what, input] of Object.entries(INPUTS)) {
    for (const [reader, { read, code }] of Object.entries(READERS)) {
      it(`${reader}: ${what} is a located error`, () => {
        // A single-document reader meets the cross-document alias as an alias to a later or missing anchor.
        const text = reader === 'NetworkPolicy file' || !what.includes('another') ? input.text : 'b:\n  c: *base\nd: &base { x: 1 }\n';
        const diagnostics = read(text);
        expect(diagnostics).toHaveLength(1);
        expect(diagnostics[0]).toMatchObject({ code, severity: 'error', location: { file: 'f.yaml' } });
        expect(diagnostics[0]!.message).toMatch(reader === 'NetworkPolicy file' ? input.message : what.includes('another') ? /\*base names no anchor/ : input.message);
        if (reader === 'NetworkPolicy file') expect(diagnostics[0]!.location?.line).toBe(input.line);
      });
    }
  }

  it('counts no brackets inside quotes or comments as nesting', () => {
    const text = `apiVersion: v1\nkind: ConfigMap # ${'['.repeat(200)}\nmetadata: { name: "${'{'.repeat(200)}", namespace: 'it''s ${'['.repeat(200)}' }\n`;
    expect(parseNetworkPolicies(text, 'f.yaml').diagnostics).toEqual([expect.objectContaining({ code: 'MS608' })]);
  });

  it('says a second document is one, at its "---", in words the author can act on', () => {
    const one = 'apiVersion: microseg.dev/v1\nkind: Policy\nmetadata: { name: x }\n';
    for (const [reader, { read, code }] of Object.entries(READERS)) {
      if (reader === 'NetworkPolicy file') continue;
      expect(read(`${one}---\n`), reader).toEqual([
        { code, severity: 'error', message: 'YAML: a second document starts here ("---"); this file holds one document, so remove this "---" (and what follows, if it belongs elsewhere)', location: { file: 'f.yaml', line: 4, column: 1 } },
      ]);
    }
  });

  it('says a merge key is not read, and what is', () => {
    const text = 'apiVersion: microseg.dev/v1\nkind: Policy\nmetadata: { name: x }\ngroups:\n  - { name: web, selector: &s { labels: tier=web } }\n  - { name: app, selector: { <<: *s, image: x } }\n  - { name: db, selector: *s }\n';
    expect(parsePolicyFile(text, 'f.yaml').diagnostics.map((d) => [d.message, d.location?.line, d.location?.column])).toEqual([
      ['groups.1.selector.<<: a merge key (<<: *anchor) is YAML 1.1 and not read here; write the fields out (an alias of a whole value, key: *anchor, is read)', 6, 30],
    ]);
  });

  describe('a key that is a list or a mapping', () => {
    afterEach(() => void vi.restoreAllMocks());

    it('is a located error at the key, and the YAML library prints no warning of it', () => {
      const warned = vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
      const keys = [
        { text: 'apiVersion: v1\nkind: Policy\n? [a, b]\n: 1\n', line: 3, column: 3 },
        { text: 'apiVersion: v1\nkind: Policy\nmetadata:\n  { a: 1 }: x\n', line: 4, column: 3 },
        { text: 'apiVersion: v1\nkind: Policy\nk: &k [a]\n*k : 1\n', line: 4, column: 1 },
      ];
      for (const [reader, { read, code }] of Object.entries(READERS)) {
        for (const { text, line, column } of keys) {
          expect(read(text), `${reader}: ${text}`).toEqual([
            { code, severity: 'error', message: expect.stringMatching(/^YAML: this key is a list or a mapping; a key here is text/), location: { file: 'f.yaml', line, column } },
          ]);
        }
      }
      expect(warned).not.toHaveBeenCalled();
    });
  });

  it('places a path through a key that holds dots (app.kubernetes.io/name) at that key, not at the mapping above it', () => {
    const inventory = 'apiVersion: microseg.dev/v1\nkind: Inventory\nworkloads:\n  - name: web-1\n    host: host-a\n    labels:\n      tier: web\n      app.kubernetes.io/name: "shop web"\n';
    expect(parseInventoryFile(inventory, 'f.yaml', 'now').diagnostics.map((d) => [d.code, d.location?.line])).toEqual([['MS313', 8]]);
    const networkPolicy = 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: { name: web, namespace: shop }\nspec:\n  podSelector:\n    matchLabels:\n      app: web\n      app.kubernetes.io/name: "shop web"\n';
    expect(parseNetworkPolicies(networkPolicy, 'f.yaml').diagnostics.map((d) => [d.code, d.location?.line])).toEqual([['MS603', 8]]);
  });

  it('places a path through a key written with spaces around it, which an inventory reads without them, at that key', () => {
    const inventory = 'apiVersion: microseg.dev/v1\nkind: Inventory\nworkloads:\n  - name: web-1\n    host: host-a\n    labels:\n      tier: web\n      " bad key!": x\n';
    expect(parseInventoryFile(inventory, 'f.yaml', 'now').diagnostics.map((d) => [d.code, d.location?.line])).toEqual([['MS313', 8]]);
  });
});

describe('a mapping where text goes', () => {
  // Found by the mutation property: the hint for a value of the wrong kind quoted it with String(),
  // which throws for a mapping whose key is `toString`.
  it('is said to be of the wrong kind, even one holding a toString key', () => {
    const inventory = 'apiVersion: microseg.dev/v1\nkind: Inventory\nworkloads:\n  - name:\n      toString: ""\n    host: host-a\n    addresses: [10.0.0.1]\n';
    expect(parseInventoryFile(inventory, 'f.yaml', 'now').diagnostics.map((d) => [d.code, d.location?.line, d.message])).toEqual([['MS302', 5, 'workloads.0.name: name must be text']]);
  });
});

describe('a file saved with a byte-order mark', () => {
  it('places what is on its first line at the column an editor shows, as without the mark', () => {
    const text = 'apiVersion: microseg.dev/v2\nkind: Policy\nmetadata: { name: x }\n';
    const columns = (t: string): (number | undefined)[] => parsePolicyFile(t, 'f.yaml').diagnostics.map((d) => d.location?.column);
    expect(columns(text)).toEqual([13]);
    expect(columns(`\uFEFF${text}`)).toEqual([13]);
    // A syntax error on the first line, and where the quick read places a workload there.
    const inventory = '{ apiVersion: microseg.dev/v1, kind: Inventory, workloads: [{ name: w, host: h, addresses: [10.0.0.1] }] }\n';
    const places = (t: string): unknown[] => {
      const { inventory: read, diagnostics } = parseInventoryFile(t, 'f.yaml', 'now');
      return [...diagnostics.map((d) => d.location?.column), ...(read?.workloads.map((w) => w.origin.kind === 'static' && w.origin.entry?.column) ?? [])];
    };
    expect(places(`\uFEFF${inventory}`)).toEqual([61]);
    expect(places('\uFEFFa: b: c\n')).toEqual(places('a: b: c\n'));
  });
});
