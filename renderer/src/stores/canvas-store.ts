import type { CanvasPosition } from '@shared/policy/model';
import { create } from 'zustand';
import type { PolicySetting } from '../model/policy-setting';

/** The one canvas element the inspector shows; groups by name, edges by id. */
export type Selection = { kind: 'group' | 'edge'; id: string } | null;

/** The add form open over the canvas, if any; a drag between groups pre-fills the edge form. */
export type OpenForm = { kind: 'group' } | { kind: 'edge'; from?: string; to?: string } | null;

interface CanvasState {
  selection: Selection;
  form: OpenForm;
  /** A settings field to give the focus to once the settings panel shows (a problem about it was picked). */
  settingToFocus: PolicySetting | null;
  /** Where the groups held in a drag are now; the drawing gets these places when they are let go. */
  held: ReadonlyMap<string, CanvasPosition>;
  /** Whether the overview of the whole drawing shows beside the canvas. */
  overview: boolean;
  select: (selection: Selection) => void;
  openForm: (form: OpenForm) => void;
  hold: (held: ReadonlyMap<string, CanvasPosition>) => void;
  toggleOverview: () => void;
  /** Shows the policy settings (nothing selected, no add form) with the focus in `setting`. */
  showSetting: (setting: PolicySetting) => void;
  /** The settings panel took the focus where it was asked to. */
  settingFocused: () => void;
}

/** No group held: one empty map, so a canvas that drags nothing keeps its nodes as they are. */
export const NOTHING_HELD: ReadonlyMap<string, CanvasPosition> = new Map();

// The inspector and the add forms share field test ids, so only one of them is open at a time.
export const useCanvasStore = create<CanvasState>()((set) => ({
  selection: null,
  form: null,
  settingToFocus: null,
  held: NOTHING_HELD,
  overview: false,
  select: (selection) => set((s) => ({ selection, form: selection ? null : s.form })),
  openForm: (form) => set((s) => ({ form, selection: form ? null : s.selection })),
  hold: (held) => set({ held: held.size === 0 ? NOTHING_HELD : held }),
  toggleOverview: () => set((s) => ({ overview: !s.overview })),
  showSetting: (setting) => set({ selection: null, form: null, settingToFocus: setting }),
  settingFocused: () => set({ settingToFocus: null }),
}));
