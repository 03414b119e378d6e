import { describe, expect, it } from 'vitest';
import { byLine, capped, formatDiagnostic, type Diagnostic } from './diagnostics';

const error = (line: number, code = 'MS702'): Diagnostic => ({ code, severity: 'error', message: `bad line ${line}`, location: { file: 'log.csv', line } });

describe('capped', () => {
  it('keeps the first ones and counts the rest in one more, with the code of the first left out', () => {
    const many = [...Array.from({ length: 50 }, (_, i) => error(i + 2)), error(52, 'MS703'), error(53)];
    const shown = capped(many);
    expect(shown).toHaveLength(51);
    expect(shown.slice(0, 50)).toEqual(many.slice(0, 50));
    expect(shown[50]).toEqual({ code: 'MS703', severity: 'error', message: 'and 2 more errors in this file not shown (the first 50 are); fix these and read it again', location: { file: 'log.csv' } });
  });

  it('leaves a short list as it is', () => {
    expect(capped([error(2), error(3)], 2)).toEqual([error(2), error(3)]);
  });
});

describe('byLine', () => {
  it('orders by line and keeps the order of one line', () => {
    expect(byLine([error(5), error(2, 'MS303'), error(2, 'MS309')]).map((d) => [d.location?.line, d.code])).toEqual([
      [2, 'MS303'],
      [2, 'MS309'],
      [5, 'MS702'],
    ]);
  });
});

describe('formatDiagnostic', () => {
  it('names the path once: after the message, unless the message starts with it', () => {
    const at = (message: string): Diagnostic => ({ code: 'MS002', severity: 'error', message, location: { file: 'p.yaml', line: 7, column: 11, path: 'groups.0.name' } });
    expect(formatDiagnostic(at('groups.0.name: name must be text (found 12)'))).toBe('p.yaml:7:11: error MS002: groups.0.name: name must be text (found 12)');
    expect(formatDiagnostic(at('group name "We b" must be lowercase'))).toBe('p.yaml:7:11: error MS002: group name "We b" must be lowercase (at groups.0.name)');
  });
});
