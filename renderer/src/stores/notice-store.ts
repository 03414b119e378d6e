import { create } from 'zustand';

/** A failure the user must see: a request that failed, with the code and detail it carried. */
export interface Notice {
  id: number;
  /** What failed ("Saving the file"); several requests failing the same way share one notice. */
  titles: string[];
  code: string;
  message: string;
  detail?: string;
}

interface NoticeState {
  notices: Notice[];
  push: (notice: { title: string; code: string; message: string; detail?: string }) => void;
  dismiss: (id: number) => void;
  /** Drops the notices of one action, once that action has succeeded: they are no longer true. */
  settle: (title: string) => void;
}

let nextId = 1;

export const useNoticeStore = create<NoticeState>()((set) => ({
  notices: [],
  // When the service is down every request fails alike; one notice says it once.
  push: ({ title, ...error }) =>
    set((s) => {
      const same = s.notices.find((n) => n.code === error.code && n.message === error.message && n.detail === error.detail);
      if (!same) return { notices: [...s.notices, { ...error, titles: [title], id: nextId++ }] };
      if (same.titles.includes(title)) return {};
      return { notices: s.notices.map((n) => (n === same ? { ...n, titles: [...n.titles, title] } : n)) };
    }),
  dismiss: (id) => set((s) => ({ notices: s.notices.filter((n) => n.id !== id) })),
  // A notice shared by several actions loses only this action's title; it goes when none is left.
  settle: (title) =>
    set((s) => {
      if (!s.notices.some((n) => n.titles.includes(title))) return {};
      const notices = s.notices.map((n) => ({ ...n, titles: n.titles.filter((t) => t !== title) })).filter((n) => n.titles.length > 0);
      return { notices };
    }),
}));
