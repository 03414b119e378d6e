import type { ServerResponse } from 'node:http';
import type { KubeObject } from './objects';
import type { ResourceType } from './resources';

// The API server's JSON as it goes over the wire: lists, watch event lines and Status errors.

/** A list as the API server sends it: items without their own kind and apiVersion. */
export function listBody(resource: ResourceType, items: KubeObject[], resourceVersion: number): string {
  return JSON.stringify({
    kind: `${resource.kind}List`,
    apiVersion: resource.apiVersion,
    metadata: { resourceVersion: String(resourceVersion) },
    items: items.map((item) => {
      const rest: Partial<KubeObject> = { ...item };
      delete rest.kind;
      delete rest.apiVersion;
      return rest;
    }),
  });
}

/** One line of a watch stream. */
export function eventLine(type: string, object: unknown): string {
  return JSON.stringify({ type, object }) + '\n';
}

export function bookmarkObject(resource: ResourceType, resourceVersion: number): KubeObject {
  return { apiVersion: resource.apiVersion, kind: resource.kind, metadata: { resourceVersion: String(resourceVersion) } } as KubeObject;
}

/** A Status object; `details` as the API server gives them, e.g. `{ kind: 'pods' }` for a refused list. */
export function statusObject(code: number, reason: string, message: string, details?: Record<string, unknown>): Record<string, unknown> {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, ...(details ? { details } : {}), code };
}

export function sendStatus(res: ServerResponse, code: number, reason: string, message: string, details?: Record<string, unknown>): void {
  res.writeHead(code, { 'content-type': 'application/json' });
  res.end(JSON.stringify(statusObject(code, reason, message, details)));
}
