import type { ExampleProject } from '@shared/api/contract';
import { create } from 'zustand';

export interface PathRequest {
  title: string;
  confirmLabel: string;
  defaultPath: string;
  /** Bundled examples offered as shortcuts when opening. */
  shortcuts: ExampleProject[];
}

type Modal =
  | { kind: 'discard'; action: string; resolve: (discard: boolean) => void }
  | ({ kind: 'path'; resolve: (path: string | null) => void } & PathRequest);

interface ModalState {
  modal: Modal | null;
  /** Asks whether unsaved changes may be thrown away for `action` ("open another file"). */
  confirmDiscard: (action: string) => Promise<boolean>;
  /** Browser mode has no native file dialog; ask for a path on the service's machine instead. */
  askPath: (request: PathRequest) => Promise<string | null>;
  close: () => void;
}

// Modals are promises so file actions read top to bottom: ask, then act on the answer.
export const useModalStore = create<ModalState>()((set, get) => ({
  modal: null,
  confirmDiscard: (action) =>
    new Promise<boolean>((resolve) => {
      get().close();
      set({ modal: { kind: 'discard', action, resolve } });
    }),
  askPath: (request) =>
    new Promise<string | null>((resolve) => {
      get().close();
      set({ modal: { kind: 'path', ...request, resolve } });
    }),
  close: () => {
    const { modal } = get();
    if (modal?.kind === 'discard') modal.resolve(false);
    if (modal?.kind === 'path') modal.resolve(null);
    set({ modal: null });
  },
}));
