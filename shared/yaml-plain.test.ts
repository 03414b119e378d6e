import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isMap, isSeq, LineCounter, parseDocument, stringify, type Node } from 'yaml';
import { randomInventoryYaml } from './inventory/testing/random-inventory-yaml';
import { readPlainYaml, type PlainYaml } from './yaml-plain';

type Path = (string | number)[];
type Position = { line: number; column: number };

/** What the `yaml` library reads, as the located parse reads it (the plain value, and where each mapping and list starts), or null for a text with errors. */
function libraryRead(text: string): { value: unknown; starts: [Path, Position][] } | null {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) return null;
  const starts: [Path, Position][] = [];
  const walk = (node: unknown, path: Path): void => {
    if (!isMap(node) && !isSeq(node)) return;
    const { line, col } = lineCounter.linePos((node as Node).range![0]);
    starts.push([path, { line, column: col }]);
    if (isSeq(node)) node.items.forEach((item, i) => walk(item, [...path, i]));
    else for (const pair of node.items) walk(pair.value, [...path, String((pair.key as { value: unknown }).value)]);
  };
  walk(doc.contents, []);
  return { value: doc.toJS(), starts };
}

function startsOf(plain: PlainYaml, paths: readonly Path[]): (Position | undefined)[] {
  return paths.map((path) => plain.startOf(path.reduce<unknown>((value, step) => (value as Record<string | number, unknown>)[step], plain.value) as object));
}

describe('readPlainYaml', () => {
  it('reads what the yaml library reads, with the same starts, or leaves the text to it', () => {
    let read = 0;
    const runs = 2_000;
    fc.assert(
      fc.property(fc.integer(), (seed) => {
        const text = randomInventoryYaml(seed);
        const plain = readPlainYaml(text);
        if (!plain) return;
        read++;
        const library = libraryRead(text);
        expect(library, text).not.toBeNull();
        expect(plain.value, text).toStrictEqual(library!.value);
        expect(startsOf(plain, library!.starts.map(([path]) => path)), text).toEqual(library!.starts.map(([, start]) => start));
      }),
      { numRuns: runs },
    );
    // Most random files keep to the subset: the property says something.
    expect(read).toBeGreaterThan(runs / 3);
  });

  it('reads what yaml.stringify writes and the flow style of the examples', () => {
    const data = { apiVersion: 'microseg.dev/v1', kind: 'Inventory', workloads: [{ name: 'w0', host: 'host-0', addresses: ['10.0.0.1', 'fd00::2'], labels: { app: 'a', tier: 'web' }, ports: [{ port: 80 }] }] };
    expect(readPlainYaml(stringify(data))?.value).toStrictEqual(data);
    const flow = 'kind: Inventory\nworkloads:\n  - { name: web-1, addresses: [10.20.1.11], labels: { tier: web }, image: shop/web:1.4 } # the front\n';
    expect(readPlainYaml(flow)?.value).toStrictEqual({ kind: 'Inventory', workloads: [{ name: 'web-1', addresses: ['10.20.1.11'], labels: { tier: 'web' }, image: 'shop/web:1.4' }] });
  });

  it('reads the rest of YAML as the yaml library does, or leaves it to the library', () => {
    for (const text of ['a: |\n  text\n', 'a: >\n  folded\n  text\n', 'a: one\n  two\n', 'a: "tab\\t"\n', 'a: 1.5\n', 'a: [1,\n  2]\n', '---\na: 1\n', '- a\n', '? a\n: b\n', 'a: 0o17\nb: 0x1F\nc: .inf\nd: 2026-01-01\n']) {
      const plain = readPlainYaml(text);
      if (plain) expect(plain.value, JSON.stringify(text)).toStrictEqual(libraryRead(text)?.value);
    }
  });

  it('leaves anchors, aliases, tags, repeated keys, tabs for indentation and several documents to the library', () => {
    for (const text of ['a: &x 1\nb: *x\n', 'a: !!str 1\n', 'a: !custom {b: 1}\n', 'a: 1\na: 2\n', 'a:\n\tb: 1\n', 'a: 1\n---\nb: 2\n', '']) {
      expect(readPlainYaml(text), JSON.stringify(text)).toBeUndefined();
    }
  });
});
