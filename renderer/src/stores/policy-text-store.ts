import { create } from 'zustand';

/** What the middle of the window shows: the canvas, or the policy as YAML text. */
export type DesignView = 'canvas' | 'yaml';

interface PolicyTextState {
  view: DesignView;
  /** The user's text while it differs from the drawing's; null while the text follows the drawing. */
  draft: string | null;
  /**
   * The drawing's text when the draft began. Once the drawing's text is another (an undo, an
   * edit in the inspector), the draft was written against an older drawing, and the view says so.
   */
  base: string | null;
  show: (view: DesignView) => void;
  /** Takes the editor's text; text that says what the drawing says is no draft. */
  type: (text: string, drawing: string) => void;
  /** Drops the draft: the text follows the drawing again. */
  discard: () => void;
  /**
   * The drawing whose text was `saved` was saved, and its text is now `counted` (the revision
   * counted on, nothing else): a draft begun on that drawing is not behind it.
   */
  rebase: (saved: string, counted: string) => void;
}

// Kept outside the view, so switching to the canvas and back (or closing the view) keeps the draft.
export const usePolicyTextStore = create<PolicyTextState>()((set) => ({
  view: 'canvas',
  draft: null,
  base: null,
  show: (view) => set({ view }),
  type: (text, drawing) =>
    set((s) => (text === drawing ? { draft: null, base: null } : { draft: text, base: s.base ?? drawing })),
  discard: () => set({ draft: null, base: null }),
  rebase: (saved, counted) => set((s) => (s.base === saved ? { base: counted } : {})),
}));
