import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { IPC_EVENT, IPC_REQUEST, type PreloadBridge } from '@shared/api/bridge';
import { isEventChannel, isRequestChannel, type ApiEvents, type EventChannel } from '@shared/api/contract';

// The whole surface the page gets: one object, two methods, channels checked against the
// contract. ipcRenderer itself never reaches the page.
const bridge: PreloadBridge = {
  request(channel, args) {
    if (!isRequestChannel(channel)) return Promise.resolve({ ok: false, error: { code: 'bad-request', message: `Unknown request "${String(channel)}".` } });
    return ipcRenderer.invoke(IPC_REQUEST, channel, args) as ReturnType<PreloadBridge['request']>;
  },
  subscribe<E extends EventChannel>(event: E, listener: (payload: ApiEvents[E]) => void) {
    if (!isEventChannel(event)) throw new Error(`Unknown event "${String(event)}".`);
    const relay = (_: IpcRendererEvent, message: { event: EventChannel; payload: ApiEvents[E] }): void => {
      if (message.event === event) listener(message.payload);
    };
    ipcRenderer.on(IPC_EVENT, relay);
    return () => ipcRenderer.removeListener(IPC_EVENT, relay);
  },
};

contextBridge.exposeInMainWorld('microsegBridge', bridge);
