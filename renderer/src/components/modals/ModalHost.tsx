import type { JSX } from 'react';
import { useModalStore } from '../../stores/modal-store';
import { ConfirmModal } from './ConfirmModal';
import { DiscardModal } from './DiscardModal';
import { PathModal } from './PathModal';

/** Shows whichever question the file actions are waiting on. */
export function ModalHost(): JSX.Element | null {
  const modal = useModalStore((s) => s.modal);
  if (modal?.kind === 'discard') return <DiscardModal request={modal} onAnswer={modal.resolve} />;
  if (modal?.kind === 'confirm') return <ConfirmModal request={modal} onAnswer={modal.resolve} />;
  if (modal?.kind === 'path') return <PathModal request={modal} onAnswer={modal.resolve} />;
  return null;
}
