/* The service names an inventory file source `static:PATH` (see InventorySourceInfo.id); these read and write that form. */

const STATIC = 'static:';

/** The path of an inventory file source; null for any other source (Docker, Kubernetes). */
export function staticFilePath(sourceId: string): string | null {
  return sourceId.startsWith(STATIC) ? sourceId.slice(STATIC.length) : null;
}

/** The source id of the inventory file at `path`. */
export function staticSourceId(path: string): string {
  return `${STATIC}${path}`;
}
