import type { Diagnostic } from '@shared/diagnostics';
import { useEffect, useState, type JSX } from 'react';
import { request } from '../../api/request';
import { formatLocation } from '../../model/format';
import { useInventoryStore } from '../../stores/inventory-store';
import { Modal } from '../modals/Modal';

interface InventoryFileEditorProps {
  path: string;
  onClose: () => void;
}

/**
 * Edits a static inventory file (VMs, servers) in place. The text is checked by the same
 * parser that loads it, and written only when it has no errors, so the file on disk is
 * never left half-valid.
 */
export function InventoryFileEditor({ path, onClose }: InventoryFileEditorProps): JSX.Element {
  const openSource = useInventoryStore((s) => s.openSource);
  const [text, setText] = useState<string | null>(null);
  const [problems, setProblems] = useState<Diagnostic[]>([]);
  const [busy, setBusy] = useState(false);
  const [unreadable, setUnreadable] = useState(false);

  useEffect(() => {
    void request('file:read', { path }).then((r) => (r.ok ? setText(r.value.text) : setUnreadable(true)));
  }, [path]);

  const save = async (): Promise<void> => {
    if (text === null) return;
    setBusy(true);
    const checked = await request('inventory:check', { path, text });
    const errors = checked.ok ? checked.value.diagnostics.filter((d) => d.severity === 'error') : [];
    setProblems(checked.ok ? checked.value.diagnostics : []);
    if (checked.ok && errors.length === 0) {
      const written = await request('file:write', { path, text });
      if (written.ok) {
        await openSource(`static:${path}`);
        onClose();
      }
    }
    setBusy(false);
  };

  return (
    <Modal title={`Edit inventory ${path.split('/').pop() ?? path}`} onClose={onClose} testId="inventory-editor" wide>
      <p className="muted mono modal-path">{path}</p>
      {text === null ? (
        <p className="muted">{unreadable ? 'The file could not be read (see the notice).' : 'Reading…'}</p>
      ) : (
        <textarea className="mono inventory-text" data-testid="inventory-text" spellCheck={false} value={text} onChange={(e) => setText(e.target.value)} />
      )}
      {problems.length > 0 ? (
        <ul className="element-problems inventory-problems" data-testid="inventory-problems">
          {problems.map((d, i) => (
            <li key={i} className={`severity-${d.severity}`}>
              <span className="code">{d.code}</span> {d.message} <span className="muted">{formatLocation(d)}</span>
            </li>
          ))}
        </ul>
      ) : null}
      <div className="button-row end">
        <button type="button" onClick={onClose}>Cancel</button>
        <button type="button" className="primary" data-testid="inventory-save" disabled={busy || text === null} onClick={() => void save()}>
          Check and save
        </button>
      </div>
    </Modal>
  );
}
