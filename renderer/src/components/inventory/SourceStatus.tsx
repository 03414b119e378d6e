import type { JSX } from 'react';
import { useState } from 'react';
import { importClusterNetworkPolicies } from '../../actions/network-policy';
import { countOf, formatLocation } from '../../model/format';
import { useInventoryStore, type OpenSource } from '../../stores/inventory-store';
import { ExampleList } from './ExampleList';
import { InventoryFileEditor } from './InventoryFileEditor';
import { staticFilePath } from '../../model/source-ids';
import { listedUnder } from '../../model/same-cluster';

const FAILURE_HEADLINES: Record<string, string> = {
  'docker-unreachable': 'Docker is not reachable.',
  'cluster-unreachable': 'The cluster is not reachable.',
  unauthorized: 'The cluster refused us.',
};

/** One open source in a plain sentence: loading, its workloads and how fresh they are, or why it failed. */
export function SourceStatus({ source }: { source: OpenSource }): JSX.Element {
  const info = useInventoryStore((s) => s.sources.find((x) => x.id === source.sourceId));
  const closeSource = useInventoryStore((s) => s.closeSource);
  const lister = useInventoryStore((s) => listedUnder(s.open).get(source.sourceId));
  const listerName = useInventoryStore((s) => s.sources.find((x) => x.id === lister)?.name ?? lister);
  const [editing, setEditing] = useState(false);
  const { status, failure, inventory, live, diagnostics } = source;
  const name = info?.name ?? source.sourceId;
  const staticPath = staticFilePath(source.sourceId);
  const kubernetesContext = source.sourceId.startsWith('kubernetes:') ? source.sourceId.slice('kubernetes:'.length) : null;
  const tone = status === 'failed' ? 'failed' : live?.status === 'stale' ? 'stale' : status;

  return (
    <li
      className={`source-status ${tone}`}
      data-testid="source-status"
      data-source={source.sourceId}
      data-status={status}
      data-live={live?.status ?? ''}
      data-code={failure?.code ?? ''}
      role="status"
    >
      <div className="source-title">
        <strong title={info?.endpoint}>{name}</strong>
        {staticPath ? (
          <button type="button" className="link" data-testid="edit-inventory-file" onClick={() => setEditing(true)}>
            Edit…
          </button>
        ) : null}
        <button type="button" className="link" data-testid="source-close" title="Close this source: its workloads leave the inventory" onClick={() => void closeSource(source.sourceId)}>
          ✕
        </button>
      </div>
      {status === 'failed' && failure ? (
        <>
          <p>
            <strong>{FAILURE_HEADLINES[failure.code] ?? 'This source could not be read.'}</strong> {failure.message}
          </p>
          {failure.detail ? <pre className="detail">{failure.detail}</pre> : null}
          {inventory ? (
            <p data-testid="source-kept">
              The {countOf(inventory.workloads.length, 'workload')} it gave at {new Date(inventory.readAt).toLocaleTimeString()} stay in the inventory until it reads again; ✕ drops them.
            </p>
          ) : null}
          {failure.kind === 'docker' ? <ExampleList /> : null}
        </>
      ) : (
        <p data-testid="source-summary">{summary(source)}</p>
      )}
      {lister && inventory ? (
        <p data-testid="source-same-cluster">
          Same cluster as {listerName} ({source.cluster?.server}), whose pods are listed once, under {listerName}: this line adds none of its{' '}
          {countOf(inventory.workloads.length, 'workload')}. ✕ closes it; closing {listerName} lists them here.
        </p>
      ) : null}
      {live?.status === 'stale' && live.message ? <p className="stale-reason">{live.message}</p> : null}
      {kubernetesContext && inventory ? (
        <button type="button" className="link" data-testid="source-import-network-policies" title="Open this cluster's NetworkPolicies as a new drawing"
          onClick={() => void importClusterNetworkPolicies(kubernetesContext)}>
          Import this cluster's NetworkPolicies
        </button>
      ) : null}
      {inventory && diagnostics.length > 0 ? (
        <ul className="element-problems">
          {diagnostics.map((d, i) => (
            <li key={i} className={`severity-${d.severity}`}>
              <span className="code">{d.code}</span> {d.message} <span className="muted">{formatLocation(d)}</span>
            </li>
          ))}
        </ul>
      ) : null}
      {editing && staticPath ? <InventoryFileEditor path={staticPath} onClose={() => setEditing(false)} /> : null}
    </li>
  );
}

function summary({ status, inventory, live }: OpenSource): string {
  if (status === 'loading' && !inventory) return 'Loading workloads…';
  if (!inventory) return 'No workloads.';
  const count = countOf(inventory.workloads.length, 'workload');
  if (live?.status === 'live') return `${count}, live, updated ${new Date(live.updatedAt).toLocaleTimeString()}`;
  if (live?.status === 'stale') return `${count}, stale: connection lost, last update ${new Date(live.updatedAt).toLocaleTimeString()}; reconnecting…`;
  return `${count}, read ${new Date(inventory.readAt).toLocaleTimeString()}`;
}
