/// <reference types="vite/client" />
import { describe, expect, it } from 'vitest';

// Declarations that a later one overrides are dead weight that reads as if it counted: a property
// given twice in one rule, or a selector given a second rule in the same place (file and at-rule).

interface Rule {
  /** Where the rule is: the file, the at-rules around it, and its selector as written. */
  place: string;
  line: number;
  properties: string[];
}

// Read as the bundler reads them (the renderer's tests use no Node file access).
const sheetTexts = import.meta.glob<string>('./*.css', { query: '?raw', import: 'default', eager: true });
const sheets = Object.keys(sheetTexts).map((path) => path.replace('./', ''));

/** The rules of a stylesheet with their declared properties; enough CSS for our own files (no nested rules). */
function rulesOf(file: string, css: string): Rule[] {
  const rules: Rule[] = [];
  const open: { header: string; line: number; properties: string[] }[] = [];
  let text = '';
  let line = 1;
  let quote: string | null = null;
  const uncommented = css.replace(/\/\*[\s\S]*?\*\//g, (comment) => comment.replace(/[^\n]/g, ' '));
  for (const char of uncommented) {
    if (char === '\n') line++;
    if (quote !== null) {
      if (char === quote) quote = null;
      text += char;
    } else if (char === '"' || char === "'") {
      quote = char;
      text += char;
    } else if (char === '{') {
      open.push({ header: text.trim().replace(/\s+/g, ' '), line, properties: [] });
      text = '';
    } else if (char === ';' || char === '}') {
      const declaration = /^\s*([-a-z]+)\s*:/i.exec(text);
      if (declaration && open.length > 0) open[open.length - 1]!.properties.push(declaration[1]!.toLowerCase());
      text = '';
      if (char === '}') {
        const closed = open.pop()!;
        if (!closed.header.startsWith('@')) {
          const around = open.map((o) => o.header).join(' ');
          rules.push({ place: `${file} ${around} ${closed.header}`.replace(/\s+/g, ' '), line: closed.line, properties: closed.properties });
        }
      }
    } else text += char;
  }
  return rules;
}

const rules = sheets.flatMap((file) => rulesOf(file, sheetTexts[`./${file}`]!));

describe('the renderer stylesheets', () => {
  it('are read: every sheet has rules', () => {
    expect(sheets.length).toBeGreaterThan(0);
    for (const file of sheets) expect(rules.some((r) => r.place.startsWith(`${file} `)), file).toBe(true);
  });

  it('are read as they are written: a sample with both faults shows them', () => {
    const sample = rulesOf('s.css', ".a { color: red; content: 'x;y{'; color: blue }\n@media (x) { .a { margin: 0 } }\n.a { padding: 0 }");
    expect(sample.map((r) => [r.place, r.line, r.properties])).toEqual([
      ['s.css .a', 1, ['color', 'content', 'color']],
      ['s.css @media (x) .a', 2, ['margin']],
      ['s.css .a', 3, ['padding']],
    ]);
  });

  it('declare no property twice in one rule', () => {
    const twice = rules.flatMap(({ place, line, properties }) =>
      properties.filter((p, i) => properties.indexOf(p) !== i).map((p) => `${place} (line ${line}): ${p}`),
    );
    expect(twice).toEqual([]);
  });

  it('give no selector two rules in one place: one rule, so no declaration of it is overridden unseen', () => {
    const seen = new Map<string, number>();
    const again: string[] = [];
    for (const { place, line } of rules) {
      const first = seen.get(place);
      if (first !== undefined) again.push(`${place} at lines ${first} and ${line}`);
      else seen.set(place, line);
    }
    expect(again).toEqual([]);
  });
});
