import {
  ApiError,
  type ApiClient,
  type ApiEvents,
  type ApiResponse,
  type EventChannel,
  type RequestArgs,
  type RequestChannel,
  type RequestResult,
} from '@shared/api/contract';
import type { PreloadBridge } from '@shared/api/bridge';

declare global {
  interface Window {
    /** Set by the Electron preload; absent in browser mode. */
    microsegBridge?: PreloadBridge;
  }
}

/** The API the UI talks to: Electron IPC when the preload provided it, the local web host otherwise. */
export const api: ApiClient = window.microsegBridge ? createIpcClient(window.microsegBridge) : createWebClient();

function createIpcClient(bridge: PreloadBridge): ApiClient {
  return {
    async request<C extends RequestChannel>(channel: C, args: RequestArgs<C>): Promise<RequestResult<C>> {
      const response = (await bridge.request(channel, args ?? null)) as ApiResponse<RequestResult<C>>;
      if (!response.ok) throw new ApiError(response.error);
      return response.value;
    },
    subscribe: (event, listener) => bridge.subscribe(event, listener),
  };
}

function createWebClient(): ApiClient {
  const token = takeToken();
  const listeners = new Map<EventChannel, Set<(payload: never) => void>>();
  connectEvents(token, listeners);

  return {
    async request<C extends RequestChannel>(channel: C, args: RequestArgs<C>): Promise<RequestResult<C>> {
      const response = await fetch(`./api/${channel}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ args: args ?? null }),
      });
      const body = (await response.json()) as ApiResponse<RequestResult<C>>;
      if (!body.ok) throw new ApiError(body.error);
      return body.value;
    },
    subscribe<E extends EventChannel>(event: E, listener: (payload: ApiEvents[E]) => void): () => void {
      const set = listeners.get(event) ?? new Set();
      listeners.set(event, set);
      set.add(listener);
      return () => set.delete(listener);
    },
  };
}

/** The host prints a URL with `#token=…`; keep it for reloads but take it out of the address bar. */
function takeToken(): string {
  const fromHash = new URLSearchParams(window.location.hash.slice(1)).get('token');
  if (fromHash) {
    sessionStorage.setItem('microseg.token', fromHash);
    history.replaceState(null, '', window.location.pathname + window.location.search);
    return fromHash;
  }
  return sessionStorage.getItem('microseg.token') ?? '';
}

function connectEvents(token: string, listeners: Map<EventChannel, Set<(payload: never) => void>>, attempt = 0): void {
  const url = new URL(`./api/events?token=${encodeURIComponent(token)}`, window.location.href);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  const socket = new WebSocket(url);
  socket.onopen = () => {
    attempt = 0;
  };
  socket.onmessage = (message: MessageEvent<string>) => {
    const { event, payload } = JSON.parse(message.data) as { event: EventChannel; payload: never };
    for (const listener of listeners.get(event) ?? []) listener(payload);
  };
  // The host may restart during development; reconnect with a capped backoff.
  socket.onclose = () => {
    const delay = Math.min(500 * 2 ** attempt, 10_000);
    setTimeout(() => connectEvents(token, listeners, attempt + 1), delay);
  };
}
