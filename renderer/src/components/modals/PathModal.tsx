import { typedPathProblem } from '@shared/files/typed-path';
import { useState, type FormEvent, type JSX } from 'react';
import { useAppStore } from '../../stores/app-store';
import { useModalStore, type PathRequest } from '../../stores/modal-store';
import { Modal } from './Modal';

interface PathModalProps {
  request: PathRequest;
  onAnswer: (path: string | null) => void;
}

/** Browser mode has no native dialog: the path is typed, and is a path on the service's machine. */
export function PathModal({ request, onAnswer }: PathModalProps): JSX.Element {
  const close = useModalStore((s) => s.close);
  const [path, setPath] = useState(request.defaultPath);
  const [problem, setProblem] = useState<string | null>(request.problem ?? null);
  const home = useAppStore((s) => s.info?.homeDir ?? '');

  const answer = (value: string | null): void => {
    onAnswer(value);
    close();
  };
  const submit = (event: FormEvent): void => {
    event.preventDefault();
    if (path.trim() === '') return;
    // Refused rather than resolved against home: the user sees and confirms the exact file.
    const parts = request.several ? path.split(',') : [path];
    const found = parts.map((p) => typedPathProblem(p, home)).find((p) => p !== null) ?? null;
    setProblem(found);
    if (!found) answer(path.trim());
  };

  return (
    <Modal title={request.title} onClose={() => answer(null)} testId="path-modal">
      <form className="form" onSubmit={submit}>
        <div className={`field${problem ? ' has-error' : ''}`}>
          <label htmlFor="path-input">{request.label}</label>
          <input id="path-input" data-testid="path-input" className="mono" autoFocus value={path}
            placeholder={request.placeholder} onChange={(e) => { setPath(e.target.value); setProblem(null); }} />
          {problem ? <p className="field-error" role="alert" data-testid="path-problem">{problem}</p> : null}
        </div>
        {request.shortcuts.length > 0 ? (
          <div className="shortcuts">
            <p className="muted">Bundled examples</p>
            {request.shortcuts.map((example) => (
              <button key={example.name} type="button" className="link" data-testid="path-example" data-example={example.name}
                title={example.description} onClick={() => setPath(example.path)}>
                {example.name} <span className="muted mono">{example.path}</span>
              </button>
            ))}
          </div>
        ) : null}
        <div className="button-row end">
          <button type="button" onClick={() => answer(null)}>Cancel</button>
          <button type="submit" className="primary" data-testid="path-confirm" disabled={path.trim() === ''}>
            {request.confirmLabel}
          </button>
        </div>
      </form>
    </Modal>
  );
}
