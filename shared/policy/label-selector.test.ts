import { describe, expect, it } from 'vitest';
import { matchesLabels, parseLabelSelector } from './label-selector';

function selects(selector: string, labels: Record<string, string>): boolean {
  const parsed = parseLabelSelector(selector);
  if (!parsed.ok) throw new Error(parsed.message);
  return matchesLabels(parsed.requirements, labels);
}

describe('label selectors', () => {
  it('matches equality, inequality, sets and existence as kubectl does', () => {
    const web = { tier: 'web', env: 'prod' };
    expect(selects('tier=web', web)).toBe(true);
    expect(selects('tier==web,env=prod', web)).toBe(true);
    expect(selects('tier!=web', web)).toBe(false);
    expect(selects('tier!=db', {})).toBe(true);
    expect(selects('env in (prod, stage)', web)).toBe(true);
    expect(selects('env notin (prod)', web)).toBe(false);
    expect(selects('env notin (prod)', {})).toBe(true);
    expect(selects('tier', web)).toBe(true);
    expect(selects('!tier', web)).toBe(false);
  });

  it('rejects malformed selectors with the reason', () => {
    for (const bad of ['tier=web,,env=prod', 'tier=we b', '-bad=1']) {
      const parsed = parseLabelSelector(bad);
      expect(parsed.ok, bad).toBe(false);
    }
  });
});

describe('label selector messages', () => {
  it('says what is wrong with a set expression', () => {
    const unclosed = parseLabelSelector('tier in (a,b');
    expect(unclosed.ok === false && unclosed.message).toContain('unclosed parenthesis');
    const empty = parseLabelSelector('tier in ()');
    expect(empty.ok === false && empty.message).toContain('lists no value');
  });
});
