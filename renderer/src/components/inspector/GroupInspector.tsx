import { qualifiedName, type Workload } from '@shared/inventory/model';
import type { Group } from '@shared/policy/model';
import { useMemo, type JSX } from 'react';
import { elementKey, useElementDiagnostics } from '../../hooks/use-element-diagnostics';
import { useMembership } from '../../hooks/use-membership';
import { groupDraftOf } from '../../model/drafts';
import { countOf, writtenBlocks, type WrittenBlock } from '../../model/format';
import { confirmGroupRemoval } from '../../actions/confirm-removal';
import { withGroupRemoved } from '../../model/policy-edits';
import { useCanvasStore } from '../../stores/canvas-store';
import { usePolicyStore } from '../../stores/policy-store';
import { GroupForm } from '../canvas/GroupForm';
import { VirtualList } from '../layout/VirtualList';
import { InspectorFrame } from './InspectorFrame';

interface GroupInspectorProps {
  group: Group;
}

export function GroupInspector({ group }: GroupInspectorProps): JSX.Element {
  const edit = usePolicyStore((s) => s.edit);
  const replaceGroup = usePolicyStore((s) => s.replaceGroup);
  const select = useCanvasStore((s) => s.select);
  const diagnostics = useElementDiagnostics().get(elementKey('group', group.name)) ?? [];
  const members = useMembership().membership.get(group.name);
  // One list while neither changes: the member list measures its rows by it, and a group holds thousands.
  const rows = useMemo(() => [...(members?.workloads ?? []), ...writtenBlocks(group.selector)], [members, group.selector]);
  const edgeCount = usePolicyStore((s) => s.policy.edges.filter((e) => e.from === group.name || e.to === group.name).length);

  const remove = async (): Promise<void> => {
    if (!(await confirmGroupRemoval([group.name]))) return;
    edit((p) => withGroupRemoved(p, group.name));
    select(null);
  };

  return (
    <InspectorFrame kind="group" title={group.name} diagnostics={diagnostics} onDelete={() => void remove()}>
      <GroupForm
        initial={groupDraftOf(group)}
        editing={group.name}
        base={group}
        submitLabel="Apply"
        onSubmit={(next) => {
          // Where the group is now: it may have been dragged since the form was filled in.
          const position = usePolicyStore.getState().policy.groups.find((g) => g.name === group.name)?.position;
          replaceGroup(group.name, { ...next, position });
          select({ kind: 'group', id: next.name });
        }}
      />
      <h3 className="subheading">
        Members now <span className="muted">({countOf(members?.workloads.length ?? 0, 'workload')}{edgeCount > 0 ? `, ${countOf(edgeCount, 'edge')}` : ''})</span>
      </h3>
      <VirtualList
        className="member-list"
        items={rows}
        keyOf={memberKey}
        estimatedHeight={42}
        row={(member) =>
          'carvedOut' in member ? (
            <>
              <span className="mono">{member.text}</span>
              <span className="muted">{member.carvedOut ? 'except' : 'external'}</span>
            </>
          ) : (
            <>
              <span>{qualifiedName(member)}</span>
              <span className="muted mono">{member.addresses.join(', ') || 'no address'}</span>
              <span className="muted">{member.host}</span>
            </>
          )
        }
      />
    </InspectorFrame>
  );
}

/** A member workload by its id, an address block by its list and place there. */
function memberKey(member: Workload | WrittenBlock): string {
  return 'carvedOut' in member ? `${member.carvedOut ? 'except' : 'cidrs'}:${member.index}` : member.id;
}
