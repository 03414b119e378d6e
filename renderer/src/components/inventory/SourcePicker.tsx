import type { InventorySourceInfo } from '@shared/api/contract';
import type { JSX } from 'react';
import { openInventoryFile } from '../../actions/inventory-files';
import { sourceLabel } from '../../model/source-choice';
import { useInventoryStore } from '../../stores/inventory-store';

const KINDS: { kind: InventorySourceInfo['kind']; label: string }[] = [
  { kind: 'docker', label: 'Docker contexts' },
  { kind: 'kubernetes', label: 'Kubernetes contexts' },
  { kind: 'static', label: 'Inventory files' },
];

/**
 * Opens a source beside the ones already open: Docker contexts as `docker context ls` lists
 * them, Kubernetes contexts as `kubectl config get-contexts` does, then inventory files.
 */
export function SourcePicker(): JSX.Element {
  const sources = useInventoryStore((s) => s.sources);
  const openSource = useInventoryStore((s) => s.openSource);

  return (
    <div className="field">
      <label htmlFor="source-select">Open a source</label>
      <select
        id="source-select"
        data-testid="source-select"
        // Always back on the prompt, so choosing the same source again reads it again.
        value=""
        onChange={(e) => void openSource(e.target.value)}
        disabled={sources.length === 0}
      >
        <option value="" disabled>
          {sources.length === 0 ? 'no sources' : 'Choose a context or file…'}
        </option>
        {KINDS.map(({ kind, label }) => {
          const ofKind = sources.filter((s) => s.kind === kind);
          return ofKind.length === 0 ? null : (
            <optgroup key={kind} label={label}>
              {ofKind.map((s) => (
                <option key={s.id} value={s.id} title={s.endpoint}>
                  {sourceLabel(s)}
                </option>
              ))}
            </optgroup>
          );
        })}
      </select>
      <button type="button" className="link" data-testid="open-inventory-file" onClick={() => void openInventoryFile()}>
        Open inventory file (YAML or CSV)…
      </button>
    </div>
  );
}
