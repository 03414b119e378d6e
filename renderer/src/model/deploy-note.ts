import type { CompileOutcome } from '@shared/api/contract';
import { hasErrors } from '@shared/diagnostics';
import type { Policy } from '@shared/policy/model';

/**
 * What the Deploy button says while no deploy runs: why it cannot deploy and what to do, or
 * what it would deploy. `compiled`: the compile's input, whose groups say whether to add some.
 */
export function deployNote(outcome: CompileOutcome | null, compiled: { policy: Policy } | null, deployable: number, sharedSwitch: boolean): string {
  if (!outcome) return 'Compile first: a deploy sends the tables you previewed';
  if (outcome.hosts.length === 0) return noTablesNote(outcome, compiled);
  if (deployable > 0) return `Deploy to ${deployable} configured host(s)`;
  return sharedSwitch
    ? "Every configured host shares its switch with another host's target (see its row): give each a switch of its own"
    : 'Configure an SSH target for at least one compiled host';
}

/** A compile that gave no host a table: an SSH target would not help, the input would. */
function noTablesNote(outcome: CompileOutcome, compiled: { policy: Policy } | null): string {
  if (hasErrors(outcome.diagnostics)) return 'The compile found errors and gave no host a table: fix them (see Problems) and compile again';
  const groups = compiled?.policy.groups.length === 0 ? ', add groups that select them' : '';
  return `The compile gave no host a table, as no workload of the inventory runs on a host: open an inventory source with workloads${groups} and compile again`;
}
