import { describe, expect, it } from 'vitest';
import { countOf, formatSelector } from './format';

describe('formatSelector', () => {
  it('shows namespace labels, so a group selecting only by them does not read as empty', () => {
    expect(formatSelector({ namespaceLabels: 'team=ops' })).toBe('namespaces team=ops');
    expect(formatSelector({ namespaceLabels: '', labels: 'app=web' })).toBe('app=web · any namespace');
    expect(formatSelector({ namespace: '*', exclude: [{ namespace: 'kube-system' }] })).toBe('namespace * · minus 1 exclusion');
    expect(formatSelector({})).toBe('selects nothing');
  });

  it('shows the blocks carved out of the address blocks', () => {
    expect(formatSelector({ cidrs: ['0.0.0.0/0'], except: ['10.0.0.0/8', '192.168.0.0/16'] })).toBe('0.0.0.0/0 · except 10.0.0.0/8, 192.168.0.0/16');
  });
});

describe('countOf', () => {
  it('says one thing in the singular, and none or many in the plural', () => {
    expect(countOf(1, 'edge')).toBe('1 edge');
    expect(countOf(0, 'workload')).toBe('0 workloads');
    expect(countOf(64, 'address block')).toBe('64 address blocks');
  });
});
