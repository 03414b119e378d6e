import type { HoneypotRole } from './honeypots';
import type { DefaultAction } from './model';

/** What the default does to a connection no rule permits, as the end of a sentence ("every new connection … will be dropped"). */
export const DEFAULT_OUTCOME: Readonly<Record<DefaultAction, string>> = {
  drop: 'will be dropped',
  reject: 'will be rejected',
  redirect: 'will go to the default honeypot',
  monitor: 'will be counted as denied (the default only monitors)',
};

/**
 * What happens to the connections of a workload no group holds, as the rest of a sentence
 * ("… is in no group: every new connection to or from it will be dropped"). A honeypot accepts
 * whatever reaches it (docs/pipeline.md), so it is told apart: the default's own honeypot is
 * never redirected to itself, so what it opens that no rule permits is dropped.
 */
export function ungroupedOutcome(byDefault: DefaultAction, role: HoneypotRole | undefined): string {
  if (role === 'default') {
    return 'connections to it are accepted, as a honeypot accepts whatever reaches it, but every new connection it opens that no rule permits will be dropped';
  }
  const outcome = `every new connection to or from it ${DEFAULT_OUTCOME[byDefault]}`;
  return role === 'edge' ? `${outcome}, except those redirected to it and those from addresses outside the inventory, which it accepts as a honeypot does` : outcome;
}
