import type { InventorySourceInfo } from '@shared/api/contract';

/**
 * A source's line in the picker. "(current)" means what it means to kubectl and the docker
 * CLI, the context they would use now; a source that cannot be read says so, and why, instead.
 */
export function sourceLabel(source: InventorySourceInfo): string {
  if (source.unreadable !== undefined) return `${source.name} (cannot be read: ${source.unreadable})`;
  return source.current ? `${source.name} (current)` : source.name;
}

/**
 * Whether a new window opens the source: the contexts the tools would use now, and a source
 * that cannot be read, so that its reason shows at once (its contexts are missing from the list,
 * and nothing else would tell).
 */
export function opensInNewWindow(source: InventorySourceInfo): boolean {
  return source.current || source.unreadable !== undefined;
}
