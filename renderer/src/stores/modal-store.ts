import { create } from 'zustand';
import type { DiscardRequest } from '../model/discard-question';

/** A file of a bundled example that fits what a path dialog asks for. */
export interface PathShortcut {
  name: string;
  description: string;
  path: string;
}

export interface PathRequest {
  title: string;
  /** What to type: which kind of file or folder, on which machine. */
  label: string;
  confirmLabel: string;
  defaultPath: string;
  /** An example of what to type, shown while the field is empty. */
  placeholder?: string;
  /** Bundled example files of the kind asked for, offered as shortcuts. */
  shortcuts: PathShortcut[];
  /** Several paths may be typed, separated by commas. */
  several?: boolean;
  /** Why the path in `defaultPath` was refused the last time it was given, shown under the field. */
  problem?: string;
}

/** A yes/no question about something that cannot be undone. */
export interface ConfirmRequest {
  title: string;
  message: string;
  confirmLabel: string;
  /** A loss said apart from the message (items listed); the confirm button waits until the user ticks `accept`. */
  loss?: { summary: string; items: string[]; explanation: string; accept: string };
}

type Modal =
  | ({ kind: 'discard'; resolve: (discard: boolean) => void } & DiscardRequest)
  | ({ kind: 'confirm'; resolve: (yes: boolean) => void } & ConfirmRequest)
  | ({ kind: 'path'; resolve: (path: string | null) => void } & PathRequest);

interface ModalState {
  modal: Modal | null;
  /** Asks whether unsaved changes, unapplied YAML edits or both may be thrown away for an action. */
  confirmDiscard: (request: DiscardRequest) => Promise<boolean>;
  /** Browser mode has no native file dialog; ask for a path on the service's machine instead. */
  askPath: (request: PathRequest) => Promise<string | null>;
  confirm: (request: ConfirmRequest) => Promise<boolean>;
  close: () => void;
}

// Modals are promises so file actions read top to bottom: ask, then act on the answer.
export const useModalStore = create<ModalState>()((set, get) => ({
  modal: null,
  confirmDiscard: (request) =>
    new Promise<boolean>((resolve) => {
      get().close();
      set({ modal: { kind: 'discard', ...request, resolve } });
    }),
  askPath: (request) =>
    new Promise<string | null>((resolve) => {
      get().close();
      set({ modal: { kind: 'path', ...request, resolve } });
    }),
  confirm: (request) =>
    new Promise<boolean>((resolve) => {
      get().close();
      set({ modal: { kind: 'confirm', ...request, resolve } });
    }),
  close: () => {
    const { modal } = get();
    if (modal?.kind === 'discard' || modal?.kind === 'confirm') modal.resolve(false);
    if (modal?.kind === 'path') modal.resolve(null);
    set({ modal: null });
  },
}));
