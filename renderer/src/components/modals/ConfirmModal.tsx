import { useState, type JSX } from 'react';
import { useModalStore, type ConfirmRequest } from '../../stores/modal-store';
import { Modal } from './Modal';

interface ConfirmModalProps {
  request: ConfirmRequest;
  onAnswer: (yes: boolean) => void;
}

/** Asks before something that cannot be undone; the safe answer has the focus. */
export function ConfirmModal({ request, onAnswer }: ConfirmModalProps): JSX.Element {
  const close = useModalStore((s) => s.close);
  const answer = (yes: boolean): void => {
    onAnswer(yes);
    close();
  };
  // Agreeing holds for the question it was given for, never for the next one shown in its place.
  const [acceptedFor, setAcceptedFor] = useState<ConfirmRequest | null>(null);
  const accepted = acceptedFor === request;
  const waiting = request.loss !== undefined && !accepted;
  return (
    <Modal title={request.title} onClose={() => answer(false)} testId="confirm-modal">
      <p>{request.message}</p>
      {request.loss ? (
        <>
          <div className="form-error" role="alert" data-testid="confirm-loss">
            <strong>{request.loss.summary}</strong>
            <ul>
              {request.loss.items.map((item) => (
                <li key={item} className="mono" data-testid="confirm-loss-item">
                  {item}
                </li>
              ))}
            </ul>
            <p>{request.loss.explanation}</p>
          </div>
          <label className="checkbox">
            <input type="checkbox" data-testid="confirm-loss-accept" checked={accepted} onChange={(e) => setAcceptedFor(e.target.checked ? request : null)} />
            {request.loss.accept}
          </label>
        </>
      ) : null}
      <div className="button-row end">
        <button type="button" data-testid="confirm-cancel" autoFocus onClick={() => answer(false)}>
          Cancel
        </button>
        <button
          type="button"
          className="danger"
          data-testid="confirm-accept"
          disabled={waiting}
          title={waiting ? `Tick "${request.loss!.accept}" above to go on anyway` : undefined}
          onClick={() => answer(true)}
        >
          {request.confirmLabel}
        </button>
      </div>
    </Modal>
  );
}
