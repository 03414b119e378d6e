import { ReactFlowProvider } from '@xyflow/react';
import { useEffect, type JSX } from 'react';
import { CenterSplit } from './components/layout/CenterSplit';
import { DesignArea } from './components/layout/DesignArea';
import { HostsPanel } from './components/hosts/HostsPanel';
import { Inspector } from './components/inspector/Inspector';
import { InventoryPanel } from './components/inventory/InventoryPanel';
import { FileProblemList } from './components/layout/FileProblemList';
import { NoticeList } from './components/layout/NoticeList';
import { Toolbar } from './components/layout/Toolbar';
import { DeployConfirm } from './components/modals/DeployConfirm';
import { ModalHost } from './components/modals/ModalHost';
import { OutputPanel } from './components/output/OutputPanel';
import { useAnalysisEvents } from './hooks/use-analysis-events';
import { useCompileEvents } from './hooks/use-compile-events';
import { useDeployEvents } from './hooks/use-deploy-events';
import { useInventoryEvents } from './hooks/use-inventory-events';
import { useShortcuts } from './hooks/use-shortcuts';
import { useTargetsOnReturn } from './hooks/use-targets-on-return';
import { startApp } from './startup';
import { useAppStore } from './stores/app-store';
import { usePolicyStore } from './stores/policy-store';
import { usePolicyTextStore } from './stores/policy-text-store';

/** The window: toolbar; inventory, canvas (or the policy's YAML) and inspector side by side; compile output below. */
export function App(): JSX.Element {
  const status = useAppStore((s) => s.status);
  const name = usePolicyStore((s) => s.policy.name);
  const dirty = usePolicyStore((s) => s.dirty);
  const textDraft = usePolicyTextStore((s) => s.draft !== null);

  useDeployEvents();
  useInventoryEvents();
  useAnalysisEvents();
  useCompileEvents();
  useShortcuts();
  useTargetsOnReturn();
  useEffect(() => {
    void startApp();
  }, []);
  useEffect(() => {
    document.title = `${dirty ? '● ' : ''}${name} — Microseg Designer`;
  }, [name, dirty]);

  // Closing or reloading the tab with unsaved changes (or YAML edits not applied) asks first, as the app's own New and Open do.
  useEffect(() => {
    if (!dirty && !textDraft) return;
    const warn = (event: BeforeUnloadEvent): void => event.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [dirty, textDraft]);

  return (
    // One provider for the whole window, so the Problems list can move the canvas viewport.
    <ReactFlowProvider>
      <div className="app" data-testid="app-root" data-app-state={status}>
        <Toolbar />
        <FileProblemList />
        <NoticeList />
        <div className="workspace">
          <aside className="sidebar left">
            <InventoryPanel />
          </aside>
          <CenterSplit top={<DesignArea />} bottom={<OutputPanel />} />
          <aside className="sidebar right">
            <Inspector />
            <HostsPanel />
          </aside>
        </div>
        <ModalHost />
        <DeployConfirm />
      </div>
    </ReactFlowProvider>
  );
}
