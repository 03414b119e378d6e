import { create } from 'zustand';

/** A failure the user must see: a request that failed, with the code and detail it carried. */
export interface Notice {
  id: number;
  /** What failed ("Saving the file"); several requests failing the same way share one notice. */
  titles: string[];
  /** The service's error code (`bad-request`, `ssh-failed`): for support, not the user's text. */
  code: string;
  message: string;
  detail?: string;
  /** The hosts whose targets the failed requests were about: a change to one of those targets makes the notice stale. */
  hosts: string[];
}

interface NoticeState {
  notices: Notice[];
  /**
   * Shows a failure. It takes the place of an earlier notice of the same action about the same
   * hosts, which no longer says how things are; `hosts` defaults to none.
   */
  push: (notice: { title: string; code: string; message: string; detail?: string; hosts?: readonly string[] }) => void;
  dismiss: (id: number) => void;
  /** Drops the notices of one action, once that action has succeeded: they are no longer true. */
  settle: (title: string) => void;
  /** Drops the notices about `host`, once its target was saved or forgotten: they described the target as it was. */
  settleHost: (host: string) => void;
}

let nextId = 1;

export const useNoticeStore = create<NoticeState>()((set) => ({
  notices: [],
  push: ({ title, hosts = [], ...error }) =>
    set((s) => {
      const about = [...new Set(hosts)].sort();
      const notices = withoutTitle(s.notices, title, (n) => sameHosts(n.hosts, about));
      // When the service is down every request fails alike; one notice says it once.
      const same = notices.find((n) => n.code === error.code && n.message === error.message && n.detail === error.detail);
      if (!same) return { notices: [...notices, { ...error, titles: [title], hosts: about, id: nextId++ }] };
      const merged = { ...same, titles: [...same.titles, title], hosts: [...new Set([...same.hosts, ...about])].sort() };
      return { notices: notices.map((n) => (n === same ? merged : n)) };
    }),
  dismiss: (id) => set((s) => ({ notices: s.notices.filter((n) => n.id !== id) })),
  settle: (title) =>
    set((s) => {
      if (!s.notices.some((n) => n.titles.includes(title))) return {};
      return { notices: withoutTitle(s.notices, title, () => true) };
    }),
  settleHost: (host) =>
    set((s) => {
      if (!s.notices.some((n) => n.hosts.includes(host))) return {};
      return { notices: s.notices.filter((n) => !n.hosts.includes(host)) };
    }),
}));

/** How a notice's code is offered to support, apart from the words the user reads. */
export function noticeCodeHint(notice: Pick<Notice, 'code'>): string {
  return `Error code for support: ${notice.code}`;
}

/** The hosts a request is about, from its arguments as the contract names them (`host`, `target`, `hosts`). */
export function hostsOfRequest(args: unknown): string[] {
  if (typeof args !== 'object' || args === null) return [];
  const { host, target, hosts } = args as { host?: unknown; target?: { host?: unknown }; hosts?: unknown };
  const named = [host, target?.host, ...(Array.isArray(hosts) ? (hosts as unknown[]) : [])];
  return named.filter((h): h is string => typeof h === 'string' && h !== '');
}

/**
 * `notices` without `title` where `matches`: a notice shared by several actions loses only this
 * action's title, and goes when none is left.
 */
function withoutTitle(notices: readonly Notice[], title: string, matches: (n: Notice) => boolean): Notice[] {
  return notices
    .map((n) => (matches(n) && n.titles.includes(title) ? { ...n, titles: n.titles.filter((t) => t !== title) } : n))
    .filter((n) => n.titles.length > 0);
}

function sameHosts(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((h, i) => h === b[i]);
}
