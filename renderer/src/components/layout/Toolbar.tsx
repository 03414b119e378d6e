import type { JSX } from 'react';
import { exportNetworkPolicies, importNetworkPolicyFiles } from '../../actions/network-policy';
import { newPolicy, openPolicy, savePolicy, savePolicyAs } from '../../actions/policy-files';
import { usePolicyStore } from '../../stores/policy-store';
import { CompileButton } from './CompileButton';
import { HistoryButtons } from './HistoryButtons';

/** File actions, NetworkPolicy in and out, the file being edited and whether it has unsaved changes, and Compile. */
export function Toolbar(): JSX.Element {
  const path = usePolicyStore((s) => s.path);
  const dirty = usePolicyStore((s) => s.dirty);
  const name = usePolicyStore((s) => s.policy.name);
  const revision = usePolicyStore((s) => s.policy.revision);

  return (
    <header className="toolbar">
      <div className="brand">
        <span className="brand-mark" aria-hidden="true">◈</span> Microseg Designer
      </div>
      <nav className="button-row" aria-label="File">
        <button type="button" data-testid="policy-new" onClick={() => void newPolicy()}>New</button>
        <button type="button" data-testid="policy-open" onClick={() => void openPolicy()} title="Open (Ctrl+O)">Open…</button>
        <button type="button" data-testid="policy-save" onClick={() => void savePolicy()} title="Save (Ctrl+S)">Save</button>
        <button type="button" data-testid="policy-save-as" onClick={() => void savePolicyAs()} title="Save as (Ctrl+Shift+S)">Save as…</button>
      </nav>
      <HistoryButtons />
      <nav className="button-row" aria-label="Kubernetes NetworkPolicy">
        <button type="button" data-testid="network-policy-import" onClick={() => void importNetworkPolicyFiles()} title="Open NetworkPolicy YAML as a new drawing">Import NetworkPolicy…</button>
        <button type="button" data-testid="network-policy-export" onClick={() => void exportNetworkPolicies()} title="Write the drawing as NetworkPolicy YAML, one file per namespace">Export NetworkPolicy…</button>
      </nav>
      <div className="file-info" title={path ?? 'not saved yet'}>
        <span className="policy-name">{name}</span>
        <span className="muted"> rev {revision}</span>
        <span className="file-path mono" data-testid="policy-path">{path ?? 'not saved yet'}</span>
        {dirty ? (
          <span className="dirty-marker" data-testid="policy-dirty" title="Unsaved changes">
            ● unsaved
          </span>
        ) : null}
      </div>
      <CompileButton />
    </header>
  );
}
