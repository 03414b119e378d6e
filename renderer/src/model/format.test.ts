import { describe, expect, it } from 'vitest';
import { countOf, formatSelector, writtenBlockCount, writtenBlocks } from './format';

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

describe('a group\'s address blocks as written', () => {
  const carved = { cidrs: ['fd00::/64'], except: ['fd00::1/128'] };

  it('counts the blocks and their exceptions the user wrote, not the 64 blocks left once fd00::1 is carved out', () => {
    expect(writtenBlockCount(carved)).toBe('1 address block, 1 except');
    expect(writtenBlockCount({ cidrs: ['10.0.0.0/8', '10.0.0.0/8'] })).toBe('2 address blocks');
    expect(writtenBlockCount({ labels: 'tier=web' })).toBeNull();
  });

  it('lists them in the order written, the exceptions last, each with its place', () => {
    expect(writtenBlocks(carved)).toEqual([
      { text: 'fd00::/64', carvedOut: false, index: 0 },
      { text: 'fd00::1/128', carvedOut: true, index: 0 },
    ]);
  });
});
