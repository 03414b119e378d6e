/** How many hosts an impact against the deployed flows asked for, and how many of them went unread. */
export interface ImpactHosts {
  asked: number;
  unread: number;
}

/**
 * What the impact list says about its `count` entries: which hosts it covers when some went
 * unread, or why it is empty; null when the entries say it all. `hosts` is absent for a
 * comparison that reads no host (against a saved version).
 */
export function impactListNote(count: number, hosts?: ImpactHosts): string | null {
  const unread = hosts?.unread ?? 0;
  const read = (hosts?.asked ?? 0) - unread;
  // An unread host keeps its own table on both sides, so with none read the list is always empty.
  if (unread > 0 && read <= 0) return 'Nothing could be compared, because no host was read.';
  const scope = unread === 0 ? null : read === 1 ? 'On the one host read' : `On the ${read} hosts read`;
  if (count > 0) return scope === null ? null : `${scope}:`;
  return scope === null ? 'No connection is newly permitted, blocked or redirected.' : `${scope}, no connection is newly permitted, blocked or redirected.`;
}
