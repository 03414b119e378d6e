import type { Diagnostic } from '@shared/diagnostics';
import { inventoryFileText } from '@shared/inventory/inventory-file-text';
import { useEffect, useState, type JSX } from 'react';
import { openInventoryFile } from '../../actions/inventory-files';
import { request } from '../../api/request';
import { formatLocation } from '../../model/format';
import { withLineEndsOf } from '../../model/line-ends';
import { useInventoryStore } from '../../stores/inventory-store';
import { Modal } from '../modals/Modal';
import { staticSourceId } from '../../model/source-ids';

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
  // The file as read, whose line ends the saved text keeps (see withLineEndsOf).
  const [read, setRead] = useState('');
  const [text, setText] = useState<string | null>(null);
  const [problems, setProblems] = useState<Diagnostic[]>([]);
  const [busy, setBusy] = useState(false);
  const [unreadable, setUnreadable] = useState(false);
  // The file is gone (deleted or moved after it was read): its workloads, still open, are written out anew.
  const [gone, setGone] = useState<{ workloads: number } | null>(null);
  // The file's text on disk when a save found it changed since it was read (another editor, a
  // script regenerating it): saving then waits for Overwrite, or the edit starts again from it.
  const [changedOnDisk, setChangedOnDisk] = useState<string | null>(null);

  useEffect(() => {
    void request('file:read', { path }, { handles: (error) => error.code === 'not-found' }).then((r) => {
      if (r.ok) {
        setRead(r.value.text);
        setText(r.value.text);
      } else if (r.error.code === 'not-found') {
        const workloads = useInventoryStore.getState().open.find((o) => o.sourceId === staticSourceId(path))?.inventory?.workloads ?? [];
        setGone({ workloads: workloads.length });
        setText(inventoryFileText(workloads, path.toLowerCase().endsWith('.csv') ? 'csv' : 'yaml'));
      } else {
        setUnreadable(true);
      }
    });
  }, [path]);

  const openAnother = (): void => {
    onClose();
    void openInventoryFile();
  };

  const save = async (overwrite = false): Promise<void> => {
    if (text === null) return;
    setBusy(true);
    const saved = withLineEndsOf(read, text);
    const checked = await request('inventory:check', { path, text: saved });
    const errors = checked.ok ? checked.value.diagnostics.filter((d) => d.severity === 'error') : [];
    setProblems(checked.ok ? checked.value.diagnostics : []);
    const onDisk = checked.ok && errors.length === 0 && !overwrite ? await request('file:read', { path }, { handles: () => true }) : null;
    if (onDisk?.ok && onDisk.value.text !== read) {
      setChangedOnDisk(onDisk.value.text);
    } else if (checked.ok && errors.length === 0) {
      const written = await request('file:write', { path, text: saved });
      if (written.ok) {
        await openSource(staticSourceId(path));
        onClose();
      }
    }
    setBusy(false);
  };

  const startFromDisk = (): void => {
    if (changedOnDisk === null) return;
    setRead(changedOnDisk);
    setText(changedOnDisk);
    setProblems([]);
    setChangedOnDisk(null);
  };

  return (
    <Modal title={`Edit inventory ${path.split('/').pop() ?? path}`} onClose={onClose} testId="inventory-editor" wide>
      <p className="muted mono modal-path">{path}</p>
      {gone !== null ? (
        <div className="form-warning" data-testid="inventory-file-gone" role="alert">
          <p>
            {path} no longer exists: it was deleted or moved after it was read. Below {gone.workloads === 1 ? 'is the 1 workload' : `are the ${gone.workloads} workloads`} still
            open from it, written out anew: <em>Check and save</em> writes {gone.workloads === 1 ? 'it' : 'them'} to {path}. Or open the file where it is now, or another one.
          </p>
          <div className="button-row end">
            <button type="button" data-testid="inventory-open-another" onClick={openAnother}>
              Open another file…
            </button>
          </div>
        </div>
      ) : null}
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
      {changedOnDisk !== null ? (
        <div className="form-warning" data-testid="inventory-changed-on-disk" role="alert">
          <p>{path} was changed outside this editor since it was opened. Saving now overwrites those changes; or start again from the file as it is now (your edits here are lost).</p>
          <div className="button-row end">
            <button type="button" data-testid="inventory-start-from-disk" disabled={busy} onClick={startFromDisk}>
              Start from the file
            </button>
            <button type="button" data-testid="inventory-overwrite" disabled={busy} onClick={() => void save(true)}>
              Overwrite
            </button>
          </div>
        </div>
      ) : null}
      <div className="button-row end">
        <button type="button" onClick={onClose}>Cancel</button>
        <button type="button" className="primary" data-testid="inventory-save" disabled={busy || text === null || changedOnDisk !== null} onClick={() => void save()}>
          Check and save
        </button>
      </div>
    </Modal>
  );
}
