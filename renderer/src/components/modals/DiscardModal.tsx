import type { JSX } from 'react';
import { discardQuestion, type DiscardRequest } from '../../model/discard-question';
import { useModalStore } from '../../stores/modal-store';
import { usePolicyStore } from '../../stores/policy-store';
import { Modal } from './Modal';

interface DiscardModalProps {
  request: DiscardRequest;
  onAnswer: (discard: boolean) => void;
}

/** The one question before unsaved changes and unapplied YAML edits are thrown away; keeping them has the focus. */
export function DiscardModal({ request, onAnswer }: DiscardModalProps): JSX.Element {
  const close = useModalStore((s) => s.close);
  const path = usePolicyStore((s) => s.path);
  const question = discardQuestion(request, path);
  const answer = (discard: boolean): void => {
    onAnswer(discard);
    close();
  };

  return (
    <Modal title={question.title} onClose={() => answer(false)} testId="discard-modal">
      <p className="modal-path">{question.message}</p>
      <div className="button-row end">
        <button type="button" data-testid="discard-cancel" autoFocus onClick={() => answer(false)}>
          Keep editing
        </button>
        <button type="button" className="danger" data-testid="discard-confirm" onClick={() => answer(true)}>
          {question.confirmLabel}
        </button>
      </div>
    </Modal>
  );
}
