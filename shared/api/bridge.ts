import type { ApiEvents, ApiResponse, EventChannel, RequestChannel } from './contract';

/**
 * What the Electron preload exposes as `window.microsegBridge`. Responses stay data (not
 * thrown errors) because Error subclasses do not survive the context bridge.
 */
export interface PreloadBridge {
  request(channel: RequestChannel, args: unknown): Promise<ApiResponse<unknown>>;
  subscribe<E extends EventChannel>(event: E, listener: (payload: ApiEvents[E]) => void): () => void;
}

/** IPC channel names between preload and main; the renderer never sees them. */
export const IPC_REQUEST = 'microseg:request';
export const IPC_EVENT = 'microseg:event';
