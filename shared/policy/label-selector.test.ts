import { describe, expect, it } from 'vitest';
import { labelsSatisfiable, matchesLabels, parseLabelSelector } from './label-selector';

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
  });

  it('says that requirements are joined by commas when given ";" as a CSV inventory writes labels, and that a value holds no spaces', () => {
    const message = (text: string): string | false => {
      const parsed = parseLabelSelector(text);
      return !parsed.ok && parsed.message;
    };
    expect(message('tier=web; env=prod')).toBe('label selector "tier=web; env=prod": "tier=web; env=prod": requirements are joined by commas, not ";"; write tier=web,env=prod');
    expect(message('tier=we b')).toBe('label selector "tier=we b": "we b" is not a valid label value: a value holds no spaces');
    expect(message('tier = web')).toBe(false);
  });

  it('holds keys and values to the lengths Kubernetes allows, saying the rule', () => {
    const long = 'a'.repeat(64);
    for (const text of [`tier=${long}`, `tier in (web,${long})`, `${long}=web`, `${'p'.repeat(254)}/tier`]) {
      const parsed = parseLabelSelector(text);
      expect(parsed.ok, text.slice(0, 20)).toBe(false);
      expect(!parsed.ok && parsed.message).toMatch(/at most 63/);
    }
    for (const text of [`tier=${'a'.repeat(63)}`, `${'a'.repeat(63)}=web`, `${'p'.repeat(253)}/${'t'.repeat(63)}=x`]) expect(parseLabelSelector(text).ok, text.slice(0, 20)).toBe(true);
  });

  it('quotes a long selector, key or value by its head and length, so a paste by mistake cannot flood the message', () => {
    for (const text of [`tier=${'v'.repeat(5000)}`, `${'k'.repeat(5000)}`, `tier=${'v'.repeat(5000)} x`, `${'k'.repeat(5000)} in (a)`]) {
      const parsed = parseLabelSelector(text);
      expect(!parsed.ok && parsed.message.length, text.slice(0, 20)).toBeLessThan(400);
      expect(!parsed.ok && parsed.message, text.slice(0, 20)).toContain('characters)');
    }
  });

  it('reads empty values as Kubernetes does: k=, k in (), k in (a,)', () => {
    expect(selects('tier in ()', { tier: '' })).toBe(true);
    expect(selects('tier in ()', {})).toBe(false);
    expect(selects('tier in (a,)', { tier: '' })).toBe(true);
    expect(selects('tier in (a,)', { tier: 'a' })).toBe(true);
    expect(selects('tier notin ()', { tier: 'a' })).toBe(true);
    expect(selects('tier notin ()', { tier: '' })).toBe(false);
    expect(selects('tier=', { tier: '' })).toBe(true);
  });

  it('knows requirements that no labels can meet', () => {
    const satisfiable = (text: string): boolean => {
      const parsed = parseLabelSelector(text);
      if (!parsed.ok) throw new Error(parsed.message);
      return labelsSatisfiable(parsed.requirements);
    };
    for (const text of ['app=a,app=b', 'app=a,!app', 'app in (a,b),app notin (a,b)', 'app=a,app!=a', 'app,!app', 'app in (a),app in (b)']) expect(satisfiable(text), text).toBe(false);
    for (const text of ['', 'app=a,tier=b', 'app!=a,!app', 'app in (a,b),app notin (a)', 'app,app!=a', 'app=a,app in (a,b)']) expect(satisfiable(text), text).toBe(true);
  });
});

