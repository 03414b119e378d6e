import type { Workload } from '@shared/inventory/model';
import { honeypotRoles } from '@shared/policy/honeypots';
import { DEFAULT_OUTCOME, ungroupedOutcome } from '@shared/policy/ungrouped-outcome';
import { useMemo, useState, type JSX } from 'react';
import { useMembership } from '../../hooks/use-membership';
import { usePolicyStore } from '../../stores/policy-store';
import { useWorkloadRevealStore } from '../../stores/workload-reveal-store';
import { VirtualList } from '../layout/VirtualList';
import { WorkloadRow } from './WorkloadRow';

/** The workloads of the current inventory; those no group holds are flagged and counted. */
export function WorkloadList(): JSX.Element {
  const { workloads, ungrouped } = useMembership();
  // Edges and defaults, not the whole policy: moving a group must not redraw every row.
  const edges = usePolicyStore((s) => s.policy.edges);
  const defaults = usePolicyStore((s) => s.policy.defaults);
  const outcome = DEFAULT_OUTCOME[defaults.betweenGroups];
  // A honeypot in no group is told what really happens to its connections (MS202 says the same).
  const honeypots = useMemo(() => honeypotRoles({ edges, defaults }, workloads), [edges, defaults, workloads]);
  const [filter, setFilter] = useState('');

  const shown = useMemo(() => {
    const needle = filter.trim().toLowerCase();
    if (needle === '') return workloads;
    return workloads.filter((w) =>
      [w.name, w.image ?? '', w.host, w.composeService ?? '', w.switchPort ?? '', ...w.addresses, ...Object.entries(w.labels).map(([k, v]) => `${k}=${v}`)]
        .some((text) => text.toLowerCase().includes(needle)),
    );
  }, [workloads, filter]);

  // A workload picked elsewhere (a problem about it) is scrolled to and marked; a filter that hides it is cleared.
  const revealed = useWorkloadRevealStore((s) => s.revealed);
  const requests = useWorkloadRevealStore((s) => s.requests);
  const revealIndex = revealed === null ? -1 : shown.findIndex((w) => w.id === revealed);
  // Once per request, while rendering (React's way to adjust state to a change): a filter typed afterwards is the user's to keep.
  const [handledRequest, setHandledRequest] = useState(requests);
  if (handledRequest !== requests) {
    setHandledRequest(requests);
    if (revealIndex < 0) setFilter('');
  }

  if (workloads.length === 0) return <p className="muted empty-note">No workloads.</p>;

  return (
    <div className="workloads">
      <div className="workloads-header">
        <input type="search" placeholder="Filter by name, label, address…" value={filter} onChange={(e) => setFilter(e.target.value)} aria-label="Filter workloads" />
        {ungrouped.size > 0 ? (
          <span className="badge badge-warning" title={`Workloads no group selects: every new connection to or from them ${outcome}${[...ungrouped].some((id) => honeypots.has(id)) ? ' (honeypots apart: see their rows)' : ''}`}>
            {ungrouped.size} in no group
          </span>
        ) : null}
      </div>
      <VirtualList
        className="workload-list"
        items={shown}
        keyOf={workloadId}
        estimatedHeight={110}
        gap={6}
        reveal={revealIndex < 0 ? null : { index: revealIndex, request: requests }}
        row={(w) => <WorkloadRow workload={w} revealed={w.id === revealed} ungrouped={ungrouped.has(w.id)} ungroupedOutcome={ungroupedOutcome(defaults.betweenGroups, honeypots.get(w.id))} />}
      />
    </div>
  );
}

function workloadId(w: Workload): string {
  return w.id;
}
