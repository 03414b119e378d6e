import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compilePolicy } from '@shared/compiler/compile';
import { formatDiagnostic, hasErrors } from '@shared/diagnostics';
import { parsePolicyFile } from '@shared/policy/policy-file';
import { printsOnOneLine } from '@shared/testing/document-mutations';
import { parseInventoryText } from './inventory-file';

// CSV inventories made from a valid one by mutation of its cells, rows and header (odd text,
// quotes, separators, line breaks, columns dropped, repeated and renamed): the reader answers
// each with an inventory or with errors at a line of the file, and an inventory it gives compiles.

const policy = parsePolicyFile(
  readFileSync(new URL('../../examples/three-tier-shop/policy.yaml', import.meta.url), 'utf8'),
  'p.yaml',
).policy!;

const VALID: string[][] = [
  [
    'name',
    'host',
    'addresses',
    'labels',
    'image',
    'namespace',
    'namespaceLabels',
    'ports',
    'mac',
    'switchPort',
    'composeService',
  ],
  [
    'web-1',
    'host-a',
    '10.20.1.11;fd00::11',
    'tier=web;app=shop',
    'shop/web:1.4',
    '',
    '',
    'http=tcp/8080',
    '',
    'veth-web1',
    'web',
  ],
  [
    'app-1',
    'host-a',
    '10.20.2.21',
    'tier=app',
    'shop/api:2.0',
    'shop',
    'team=shop',
    'tcp/9000;metrics=tcp/9090',
    '02:42:0a:00:00:09',
    '',
    '',
  ],
  ['db-1', 'host-b', '10.20.3.31', 'tier=db', 'postgres:16', '', '', '', '', '', 'db'],
];

/** Text a cell or a header may be given. */
const oddCell = fc.oneof(
  fc.constantFrom(
    '',
    ' ',
    '"',
    '""',
    '"a,b"',
    '"open',
    'a"b',
    ',',
    ';',
    ';;',
    '=',
    'tier==web',
    'tier=web;tier=db',
    'k=v;',
    '=tcp/80',
    'tcp/0',
    'TCP/80',
    'x=udp/99999',
    '10.0.0.0/24',
    '::ffff:10.0.0.1',
    '0.0.0.0',
    '10.0.0.1 10.0.0.2',
    'Name',
    'name',
    'host',
    'from',
    'to',
    '#',
    '# comment',
    'a\tb',
    'a\nb',
    'a\r\nb',
    '\u0000',
    '\u001b[2J',
    '\ufeff',
    'é',
    'x'.repeat(300),
  ),
  fc.string({ maxLength: 12 }),
);

type CsvEdit =
  | { kind: 'cell'; row: number; column: number; text: string }
  | { kind: 'drop-cell'; row: number; column: number }
  | { kind: 'add-cell'; row: number; text: string }
  | { kind: 'repeat-row'; row: number }
  | { kind: 'drop-row'; row: number }
  | { kind: 'insert-line'; row: number; text: string };

const csvEdit: fc.Arbitrary<CsvEdit> = fc.oneof(
  fc.record({ kind: fc.constant('cell' as const), row: fc.nat(), column: fc.nat(), text: oddCell }),
  fc.record({ kind: fc.constant('drop-cell' as const), row: fc.nat(), column: fc.nat() }),
  fc.record({ kind: fc.constant('add-cell' as const), row: fc.nat(), text: oddCell }),
  fc.record({ kind: fc.constant('repeat-row' as const), row: fc.nat() }),
  fc.record({ kind: fc.constant('drop-row' as const), row: fc.nat() }),
  fc.record({
    kind: fc.constant('insert-line' as const),
    row: fc.nat(),
    text: fc.constantFrom('', '# a comment', '   ', ',,,', 'name,host'),
  }),
);

function applyEdit(rows: string[][], e: CsvEdit): string[][] {
  const next = rows.map((r) => [...r]);
  if (next.length === 0) return next;
  const i = e.row % next.length;
  const row = next[i]!;
  if (e.kind === 'cell' && row.length > 0) row[e.column % row.length] = e.text;
  else if (e.kind === 'drop-cell' && row.length > 0) row.splice(e.column % row.length, 1);
  else if (e.kind === 'add-cell') row.push(e.text);
  else if (e.kind === 'repeat-row') next.splice(i, 0, [...row]);
  else if (e.kind === 'drop-row') next.splice(i, 1);
  else if (e.kind === 'insert-line') next.splice(i, 0, [e.text]);
  return next;
}

const csvText = fc
  .record({ edits: fc.array(csvEdit, { minLength: 1, maxLength: 4 }), crlf: fc.boolean() })
  .map(({ edits, crlf }) => {
    const text =
      edits
        .reduce(applyEdit, VALID)
        .map((r) => r.join(','))
        .join('\n') + '\n';
    return crlf ? text.replace(/\n/g, '\r\n') : text;
  });

/** The text from its header row on (the first line that is neither blank nor a comment), with LF line breaks: where a column's name is. */
function fromHeaderRow(text: string): string {
  const lines = text.split(/\r?\n/);
  return lines.slice(lines.findIndex((line) => line.trim() !== '' && !line.trim().startsWith('#'))).join('\n');
}

const RUNS = 1000;

describe('parseInventoryText on mutated CSV', () => {
  it('never throws, and gives an inventory or errors, each with its code, at a line of the file, printed on one line', () => {
    fc.assert(
      fc.property(csvText, (text) => {
        const lines = text.split(/\r\n|\r|\n/).length;
        const parsed = parseInventoryText(text, 'i.csv', 'now');
        expect(parsed.inventory === null, text).toBe(hasErrors(parsed.diagnostics));
        for (const d of parsed.diagnostics) {
          expect(d.code, text).toMatch(/^MS3\d\d$/);
          expect(d.location?.file, text).toBe('i.csv');
          expect(d.location?.line, `${text}\n${formatDiagnostic(d)}`).toBeGreaterThanOrEqual(1);
          expect(d.location?.line, `${text}\n${formatDiagnostic(d)}`).toBeLessThanOrEqual(lines);
          expect(printsOnOneLine(formatDiagnostic(d)), text).toBe(true);
          // A cell is named by its column, a column the header lacks by the name it should have.
          const path = d.location?.path;
          if (path !== undefined && path !== 'name' && path !== 'host')
            expect(fromHeaderRow(text), formatDiagnostic(d)).toContain(path);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('gives only inventories that the example policy compiles against without throwing', () => {
    fc.assert(
      fc.property(csvText, (text) => {
        const { inventory } = parseInventoryText(text, 'i.csv', 'now');
        if (inventory) compilePolicy(policy, inventory);
      }),
      { numRuns: RUNS },
    );
  });
});
