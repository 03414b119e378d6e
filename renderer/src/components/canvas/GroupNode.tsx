import type { Diagnostic } from '@shared/diagnostics';
import { qualifiedName, type Workload } from '@shared/inventory/model';
import type { Group } from '@shared/policy/model';
import { Handle, Position, useConnection, type Node, type NodeProps } from '@xyflow/react';
import type { JSX } from 'react';
import { formatSelector, writtenBlockCount } from '../../model/format';
import { DiagnosticBadge } from './DiagnosticBadge';

export interface GroupNodeData extends Record<string, unknown> {
  group: Group;
  members: Workload[];
  diagnostics: Diagnostic[];
}

export type GroupFlowNode = Node<GroupNodeData, 'policyGroup'>;

const SHOWN_MEMBERS = 5;

/** A group on the canvas: its name, selector and the workloads it holds right now. */
export function GroupNode({ data, selected }: NodeProps<GroupFlowNode>): JSX.Element {
  const { group, members, diagnostics } = data;
  const blocks = writtenBlockCount(group.selector);
  // While an edge is being drawn, the whole node accepts the drop, not just its small handle.
  const connecting = useConnection((c) => c.inProgress);
  const hidden = members.length - SHOWN_MEMBERS;

  return (
    <div className={`group-node${selected ? ' selected' : ''}`} data-testid="group-node" data-group={group.name}>
      <Handle type="target" position={Position.Left} className="group-handle" />
      <header className="group-node-header">
        <span className="group-node-name">{group.name}</span>
        {group.isolated ? <span className="tag">isolated</span> : null}
        <DiagnosticBadge diagnostics={diagnostics} />
      </header>
      <code className="group-node-selector">{formatSelector(group.selector)}</code>
      <div className="group-node-members">
        <span className="member-count" data-testid="group-member-count">
          {members.length}
        </span>
        <span className="muted"> {members.length === 1 ? 'workload' : 'workloads'}</span>
        {blocks ? <span className="muted" data-testid="group-block-count"> + {blocks}</span> : null}
      </div>
      {members.length > 0 ? (
        <ul className="group-node-names">
          {members.slice(0, SHOWN_MEMBERS).map((w) => (
            <li key={w.id} title={`${qualifiedName(w)} on ${w.host}: ${w.addresses.join(', ') || 'no address'}`}>
              {qualifiedName(w)}
            </li>
          ))}
          {hidden > 0 ? <li className="muted">and {hidden} more</li> : null}
        </ul>
      ) : null}
      <Handle type="source" position={Position.Right} className="group-handle" />
      {connecting ? (
        <Handle type="target" id="drop" position={Position.Left} className="group-drop-target" isConnectableStart={false} />
      ) : null}
    </div>
  );
}
