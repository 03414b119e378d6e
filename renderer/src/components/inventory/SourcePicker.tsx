import { useState, type JSX } from 'react';
import { openInventoryFile } from '../../actions/inventory-files';
import { useInventoryStore } from '../../stores/inventory-store';
import { InventoryFileEditor } from './InventoryFileEditor';

/** Docker contexts as `docker context ls` lists them, then static inventory files. */
export function SourcePicker(): JSX.Element {
  const sources = useInventoryStore((s) => s.sources);
  const sourceId = useInventoryStore((s) => s.sourceId);
  const loadSource = useInventoryStore((s) => s.loadSource);
  const docker = sources.filter((s) => s.kind === 'docker');
  const files = sources.filter((s) => s.kind === 'static');
  const endpoint = sources.find((s) => s.id === sourceId)?.endpoint;
  const [editing, setEditing] = useState(false);
  const staticPath = sourceId?.startsWith('static:') ? sourceId.slice('static:'.length) : null;

  return (
    <div className="field">
      <label htmlFor="source-select">Source</label>
      <select
        id="source-select"
        data-testid="source-select"
        value={sourceId ?? ''}
        onChange={(e) => void loadSource(e.target.value)}
        disabled={sources.length === 0}
      >
        {sources.length === 0 ? <option value="">no sources</option> : null}
        {docker.length > 0 ? (
          <optgroup label="Docker contexts">
            {docker.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
                {s.current ? ' (current)' : ''}
              </option>
            ))}
          </optgroup>
        ) : null}
        {files.length > 0 ? (
          <optgroup label="Inventory files">
            {files.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </optgroup>
        ) : null}
      </select>
      {endpoint ? <p className="field-hint mono" title={endpoint}>{endpoint}</p> : null}
      <button type="button" className="link" data-testid="open-inventory-file" onClick={() => void openInventoryFile()}>
        Open inventory file (YAML or CSV)…
      </button>
      {staticPath ? (
        <button type="button" className="link" data-testid="edit-inventory-file" onClick={() => setEditing(true)}>
          Edit this file…
        </button>
      ) : null}
      {editing && staticPath ? <InventoryFileEditor path={staticPath} onClose={() => setEditing(false)} /> : null}
    </div>
  );
}
