import type { JSX } from 'react';
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
  return (
    <Modal title={request.title} onClose={() => answer(false)} testId="confirm-modal">
      <p>{request.message}</p>
      <div className="button-row end">
        <button type="button" data-testid="confirm-cancel" autoFocus onClick={() => answer(false)}>
          Cancel
        </button>
        <button type="button" className="danger" data-testid="confirm-accept" onClick={() => answer(true)}>
          {request.confirmLabel}
        </button>
      </div>
    </Modal>
  );
}
