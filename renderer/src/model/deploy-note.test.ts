import type { CompileOutcome } from '@shared/api/contract';
import { emptyPolicy, type Policy } from '@shared/policy/model';
import { describe, expect, it } from 'vitest';
import { deployNote } from './deploy-note';

const outcome = (hosts: string[], diagnostics: CompileOutcome['diagnostics'] = []): CompileOutcome => ({
  compileId: 'c1',
  hosts: hosts.map((host) => ({ host, flowCount: 5, workloadCount: 1 })),
  rules: [],
  diagnostics,
  flowCount: hosts.length * 5,
  durationMs: 1,
});
const policy = (groups: number): { policy: Policy } => ({
  policy: { ...emptyPolicy(), groups: Array.from({ length: groups }, (_, i) => ({ name: `g${i}`, selector: { labels: `tier=g${i}` } })) },
});

describe('deployNote', () => {
  // A newcomer's defect: a compile with no workloads was told to configure an SSH target "for at least one compiled host", of which there was none.
  it('says what to do when the compile gave no host a table, not to configure a target', () => {
    expect(deployNote(outcome([]), policy(0), 0, false)).toBe('The compile gave no host a table, as no workload of the inventory runs on a host: open an inventory source with workloads, add groups that select them and compile again');
    expect(deployNote(outcome([]), policy(2), 0, false)).toBe('The compile gave no host a table, as no workload of the inventory runs on a host: open an inventory source with workloads and compile again');
    expect(deployNote(outcome([], [{ code: 'MS133', severity: 'error', message: 'x' }]), policy(2), 0, false)).toBe('The compile found errors and gave no host a table: fix them (see Problems) and compile again');
  });

  it('asks for a target, or a switch of its own, only when hosts were compiled', () => {
    expect(deployNote(null, null, 0, false)).toBe('Compile first: a deploy sends the tables you previewed');
    expect(deployNote(outcome(['h1']), policy(1), 0, false)).toBe('Configure an SSH target for at least one compiled host');
    expect(deployNote(outcome(['h1', 'h2']), policy(1), 0, true)).toMatch(/^Every configured host shares its switch/);
    expect(deployNote(outcome(['h1', 'h2']), policy(1), 2, false)).toBe('Deploy to 2 configured host(s)');
  });
});
