import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatDiagnostic } from '../diagnostics';
import { printsOnOneLine } from '../testing/document-mutations';
import { FlowTextError, parseFlowText, parseFlowTextStrict } from './flow-parser';
import type { ConnectionState, Packet } from './packet';
import { groupByTable, simulatePacket } from './simulate';

// Flow text made from the compiler's real lines by mutation (tokens dropped, repeated, swapped,
// values replaced, characters inserted, lines cut or joined): the parser names every line it
// cannot read, the strict one throws nothing but a FlowTextError naming them, and the flows it
// accepts are ones the simulator runs.

const golden = new URL('../compiler/golden/', import.meta.url);
const realLines = readdirSync(golden)
  .filter((name) => name.endsWith('.flows'))
  .flatMap((name) => readFileSync(new URL(name, golden), 'utf8').split('\n'))
  .filter((line) => line.startsWith('cookie='));

/** Values a field of a flow may be given: numbers out of range, masks, hex, text, nothing. */
const oddValue = fc.oneof(
  fc.constantFrom(
    '',
    '0',
    '-1',
    '65535',
    '65536',
    '4294967296',
    '18446744073709551616',
    '0x',
    '0xffffffffffffffffff',
    '0x10/0x10',
    '1/0',
    '/',
    '10.0.0.1',
    '10.0.0.0/33',
    '::/129',
    'fd00::1/64',
    '+new+trk',
    '-trk',
    '+bogus',
    'NORMAL',
    'drop',
    '(,20)',
    'resubmit(,300)',
    'ct(commit',
    'conjunction(1,3/2)',
    'load:0x1->NXM_NX_REG9[]',
    '1e3',
    'NaN',
    'é',
    '\u0000',
    '\t',
  ),
  fc.integer().map(String),
  fc.string({ maxLength: 12 }),
);

type LineEdit =
  | { kind: 'drop-token'; at: number }
  | { kind: 'repeat-token'; at: number }
  | { kind: 'swap-tokens'; at: number; with: number }
  | { kind: 'set-value'; at: number; value: string }
  | { kind: 'insert'; at: number; text: string }
  | { kind: 'cut'; at: number };

const lineEdit: fc.Arbitrary<LineEdit> = fc.oneof(
  fc.record({ kind: fc.constant('drop-token' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('repeat-token' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('swap-tokens' as const), at: fc.nat(), with: fc.nat() }),
  fc.record({ kind: fc.constant('set-value' as const), at: fc.nat(), value: oddValue }),
  fc.record({
    kind: fc.constant('insert' as const),
    at: fc.nat(),
    text: fc.oneof(
      oddValue,
      fc.constantFrom(',', ' ', '=', 'actions=', 'table=', '(', ')', '[', ']', ':', '->', '\r', '\n'),
    ),
  }),
  fc.record({ kind: fc.constant('cut' as const), at: fc.nat() }),
);

/** The line with one edit; tokens are what lies between commas, spaces and parentheses. */
function edited(line: string, e: LineEdit): string {
  const tokens = line.split(/(?<=[,\s()])|(?=[,\s()])/);
  const i = e.at % tokens.length;
  if (e.kind === 'drop-token') tokens.splice(i, 1);
  else if (e.kind === 'repeat-token') tokens.splice(i, 0, tokens[i]!);
  else if (e.kind === 'swap-tokens')
    [tokens[i], tokens[e.with % tokens.length]] = [tokens[e.with % tokens.length]!, tokens[i]!];
  else if (e.kind === 'set-value')
    tokens[i] = tokens[i]!.includes('=') ? `${tokens[i]!.split('=')[0]!}=${e.value}` : e.value;
  else if (e.kind === 'insert') {
    const at = e.at % (line.length + 1);
    return line.slice(0, at) + e.text + line.slice(at);
  } else return line.slice(0, e.at % (line.length + 1));
  return tokens.join('');
}

/** A few real lines, some of them edited. */
const flowText: fc.Arbitrary<string> = fc
  .array(fc.tuple(fc.constantFrom(...realLines), fc.array(lineEdit, { maxLength: 3 })), { minLength: 1, maxLength: 8 })
  .map((lines) => lines.map(([line, edits]) => edits.reduce(edited, line)).join('\n'));

const PACKETS: [Packet, ConnectionState][] = [
  [{ ethType: 'ipv4', src: '10.20.1.11', dst: '10.20.2.21', protocol: 'tcp', srcPort: 40000, dstPort: 8080 }, 'new'],
  [{ ethType: 'ipv4', src: '10.0.1.1', dst: '10.0.2.1', protocol: 'tcp', srcPort: 40000, dstPort: 22 }, 'established'],
  [{ ethType: 'ipv6', src: 'fd00::1:1', dst: 'fd00::53', protocol: 'udp', srcPort: 40000, dstPort: 53 }, 'new'],
  [{ ethType: 'ipv4', src: '10.0.1.1', dst: '8.8.8.8', protocol: 'icmp', icmpType: 8, icmpCode: 0 }, 'reply'],
  [{ ethType: 'arp', src: '10.0.1.1', dst: '10.0.2.1' }, 'new'],
];

const RUNS = 1000;

describe('parseFlowText on mutated compiler output', () => {
  it('never throws, and names each line it cannot read, by its number, on one printed line', () => {
    fc.assert(
      fc.property(flowText, (text) => {
        const lines = text.split(/\r?\n/).length;
        const { diagnostics } = parseFlowText(text, 'h.flows');
        for (const d of diagnostics) {
          expect(d.code, text).toMatch(/^MS50[1-7]$/);
          expect(d.location?.file).toBe('h.flows');
          expect(d.location?.line, text).toBeGreaterThanOrEqual(1);
          expect(d.location?.line, text).toBeLessThanOrEqual(lines);
          expect(d.location?.column, text).toBeGreaterThanOrEqual(1);
          expect(d.message.startsWith(`line ${d.location?.line}`), d.message).toBe(true);
          expect(printsOnOneLine(formatDiagnostic(d)), text).toBe(true);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('strictly, throws only a FlowTextError that names every line it cannot read', () => {
    fc.assert(
      fc.property(flowText, (text) => {
        const errorLines = parseFlowText(text).diagnostics.flatMap((d) =>
          d.severity === 'error' ? [d.location!.line!] : [],
        );
        try {
          parseFlowTextStrict(text);
          expect(errorLines, text).toEqual([]);
        } catch (error) {
          expect(error, text).toBeInstanceOf(FlowTextError);
          for (const line of errorLines) expect((error as Error).message, text).toContain(`line ${line}:`);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('gives flows the simulator runs a packet through without throwing', () => {
    fc.assert(
      fc.property(flowText, (text) => {
        const tables = groupByTable(parseFlowText(text).flows);
        for (const [packet, state] of PACKETS) simulatePacket(tables, packet, state);
      }),
      { numRuns: RUNS },
    );
  });
});
