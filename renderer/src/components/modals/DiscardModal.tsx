import type { JSX } from 'react';
import { useModalStore } from '../../stores/modal-store';
import { usePolicyStore } from '../../stores/policy-store';
import { Modal } from './Modal';

interface DiscardModalProps {
  action: string;
  onAnswer: (discard: boolean) => void;
}

export function DiscardModal({ action, onAnswer }: DiscardModalProps): JSX.Element {
  const close = useModalStore((s) => s.close);
  const path = usePolicyStore((s) => s.path);
  const answer = (discard: boolean): void => {
    onAnswer(discard);
    close();
  };

  return (
    <Modal title="Discard unsaved changes?" onClose={() => answer(false)} testId="discard-modal">
      <p>
        {path ? <span className="mono">{path}</span> : 'This new policy'} has changes that are not saved. To {action}, they
        will be lost.
      </p>
      <div className="button-row end">
        <button type="button" data-testid="discard-cancel" autoFocus onClick={() => answer(false)}>
          Keep editing
        </button>
        <button type="button" className="danger" data-testid="discard-confirm" onClick={() => answer(true)}>
          Discard changes
        </button>
      </div>
    </Modal>
  );
}
